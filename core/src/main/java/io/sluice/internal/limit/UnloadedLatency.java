package io.sluice.internal.limit;

/**
 * The downstream's latency when it is not loaded, which both algorithms compare each call's latency with: the lowest
 * latency seen, measured again by a probe every {@value #PROBE_EVERY} times the limit in calls (once the queue is busy:
 * at least half the limit in flight). A probe halves the
 * limit for as many calls as the halved limit and takes the lowest latency of the calls that ran within it as the new
 * baseline: a downstream that became slower for good sets a higher one, and one that was loaded all along (a limit
 * above its knee) shows its latency unloaded. Taking the loaded latency as the baseline instead would let the limit
 * ratchet up at every probe. Deterministic: no randomness, no clock of its own.
 */
final class UnloadedLatency {

    static final int PROBE_EVERY = 30;

    private long nanos;
    private long callsToProbe = PROBE_EVERY;
    private int probeLimit;
    private int probeCalls;
    private long probeNanos;

    /**
     * Takes one call's latency in; returns the limit to hold while a probe runs (the halved limit), or {@code -1} when
     * no probe runs and the algorithm may move the limit.
     */
    double observe(double limit, long rttNanos, int inFlight) {
        if (probeLimit > 0) {
            if (inFlight <= probeLimit) {
                probeNanos = probeNanos == 0 ? rttNanos : Math.min(probeNanos, rttNanos);
                if (++probeCalls >= probeLimit) {
                    nanos = probeNanos;
                    probeLimit = 0;
                    callsToProbe = (long) Math.ceil(PROBE_EVERY * limit);
                    return limit;
                }
            }
            return probeLimit;
        }
        if (nanos == 0 || rttNanos < nanos) {
            nanos = rttNanos;
        }
        // Only a busy queue needs a probe: an idle one shows the latency unloaded anyway, and would not grow back.
        if (--callsToProbe <= 0 && limit >= 2 && inFlight * 2 >= limit) {
            probeLimit = (int) Math.max(1, Math.floor(limit / 2));
            probeCalls = 0;
            probeNanos = 0;
            return probeLimit;
        }
        return -1;
    }

    /** The baseline latency, in nanoseconds (0 before the first call). */
    long nanos() {
        return nanos;
    }
}
