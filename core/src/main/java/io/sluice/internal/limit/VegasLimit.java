package io.sluice.internal.limit;

/**
 * TCP Vegas applied to handler calls, once per window of calls (about a round trip). Against the downstream's {@link
 * UnloadedLatency}, a window whose mean latency is longer says that {@code limit * (1 - unloaded / latency)} calls were
 * queued in the downstream. Below {@code alpha} queued the limit grows by a step ({@code beta} steps at a time until it
 * first shrank: a slow start); beyond {@code beta} it shrinks by a step; a window with a failed call shrinks it by a
 * step too. Near a knee it settles {@code alpha..beta} calls above it. A window whose calls all started while fewer than
 * half the limit were in flight says nothing about a higher limit and leaves it alone.
 */
final class VegasLimit implements LimitAlgorithm {

    private static final double ALPHA = 3;
    private static final double BETA = 6;

    /** Until the limit first shrinks it grows fast (beta steps at a time), then by one step. */
    private boolean slowStart = true;

    @Override
    public double update(double limit, Window window, long unloadedNanos) {
        long rttNanos = window.meanNanos();
        boolean dropped = window.dropped();
        double step = LimitAlgorithm.step(limit);
        if (dropped) {
            slowStart = false;
            return limit - step;
        }
        if (window.mostInFlight() * 2 < limit) {
            return limit;
        }
        double queued = Math.ceil(limit * (1 - (double) unloadedNanos / rttNanos));
        if (queued <= step) {
            return limit + (slowStart ? BETA * step : step);
        }
        if (queued < ALPHA * step) {
            return limit + step;
        }
        if (queued > BETA * step) {
            slowStart = false;
            return limit - step;
        }
        return limit;
    }

    @Override
    public String toString() {
        return "vegas";
    }
}
