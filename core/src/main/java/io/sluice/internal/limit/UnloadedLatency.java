package io.sluice.internal.limit;

/**
 * The downstream's latency when it is not loaded, which both algorithms compare each window's latency with: the lowest
 * latency seen, measured again by a probe every {@value #PROBE_EVERY} windows (once the queue is busy: at least half
 * the limit in flight). A probe halves the limit (not under the policy's floor) until a whole window of calls started within the halved limit, and
 * takes that window's lowest latency as the new baseline: a downstream that became slower for good sets a higher one,
 * and one that was loaded all along (a limit above its knee) shows its latency unloaded. Taking the loaded latency as
 * the baseline instead would let the limit ratchet up at every probe. Deterministic: no randomness, no clock of its
 * own.
 */
final class UnloadedLatency {

    static final int PROBE_EVERY = 100;

    private final int floor;
    private long nanos;
    private int windowsToProbe = PROBE_EVERY;
    private int probeLimit;

    /** @param floor the lowest limit there may be: a probe never goes under it (it could never end under it) */
    UnloadedLatency(int floor) {
        this.floor = Math.max(1, floor);
    }

    /**
     * Takes one window in; returns the limit to hold while a probe runs (the halved limit), or {@code -1} when no probe
     * runs and the algorithm may move the limit.
     */
    double observe(double limit, LimitAlgorithm.Window window) {
        if (probeLimit > 0) {
            if (window.leastNanos() <= 0 || window.mostInFlight() > probeLimit) {
                return probeLimit; // calls from before the probe still ran: not unloaded yet
            }
            nanos = window.leastNanos();
            probeLimit = 0;
            windowsToProbe = PROBE_EVERY;
            return -1;
        }
        if (window.leastNanos() <= 0) {
            return -1; // no call of the window took measurable time: nothing to learn of latency
        }
        if (nanos == 0 || window.leastNanos() < nanos) {
            nanos = window.leastNanos();
        }
        // Only a busy queue needs a probe: an idle one shows the latency unloaded anyway, and would not grow back.
        int halved = (int) Math.max(floor, Math.floor(limit / 2));
        if (--windowsToProbe <= 0 && halved < limit && window.mostInFlight() * 2 >= limit) {
            probeLimit = halved;
            return probeLimit;
        }
        return -1;
    }

    /** The baseline latency, in nanoseconds (0 before the first window). */
    long nanos() {
        return nanos;
    }
}
