package io.sluice.internal.limit;

/**
 * TCP Vegas applied to handler calls. Against the downstream's {@link UnloadedLatency}, a call that took longer says
 * that {@code limit * (1 - unloaded / latency)} calls were queued in the downstream. While few are queued (at most a
 * step) the limit grows fast ({@code beta} steps); up to {@code alpha} it grows by a step; beyond {@code beta} it shrinks
 * by a step; a failed call shrinks it by a step too. Near a knee it settles {@code alpha..beta} calls above it. Calls
 * that started while fewer than half the limit were in flight say nothing about a higher limit and leave it alone.
 */
final class VegasLimit implements LimitAlgorithm {

    private static final double ALPHA = 3;
    private static final double BETA = 6;

    private final UnloadedLatency unloaded = new UnloadedLatency();

    @Override
    public double update(double limit, long rttNanos, int inFlight, boolean dropped) {
        if (rttNanos <= 0) {
            return limit;
        }
        double probe = unloaded.observe(limit, rttNanos, inFlight);
        if (probe >= 0) {
            return probe;
        }
        double step = LimitAlgorithm.step(limit);
        if (dropped) {
            return limit - step;
        }
        if (inFlight * 2 < limit) {
            return limit;
        }
        double queued = Math.ceil(limit * (1 - (double) unloaded.nanos() / rttNanos));
        if (queued <= step) {
            return limit + BETA * step;
        }
        if (queued < ALPHA * step) {
            return limit + step;
        }
        if (queued > BETA * step) {
            return limit - step;
        }
        return limit;
    }

    @Override
    public String toString() {
        return "vegas";
    }
}
