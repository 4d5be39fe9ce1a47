package io.sluice.internal.limit;

/**
 * A gradient limit: the ratio of the downstream's {@link UnloadedLatency} to a window's mean latency, with a tolerance
 * of 1.5 ({@code gradient = min(1, 1.5 * unloaded / latency)}, at least 1/2), scales the limit, plus a headroom of the
 * limit's square root so that it keeps probing upwards; the result is smoothed (a fifth of the way per window, about a
 * round trip). A window with a failed call counts as a gradient of 1/2. Where Vegas moves by steps, this one answers in
 * proportion: a latency twice the tolerated one halves the target at once. Near a knee it settles where latency is
 * about 1.5 times unloaded plus the headroom, hotter than Vegas. A window whose calls all started while fewer than half
 * the limit were in flight leaves it alone.
 */
final class GradientLimit implements LimitAlgorithm {

    private static final double TOLERANCE = 1.5;
    private static final double SMOOTHING = 0.2;


    @Override
    public double update(double limit, Window window, long unloadedNanos) {
        long rttNanos = window.meanNanos();
        boolean dropped = window.dropped();
        if (!dropped && window.mostInFlight() * 2 < limit) {
            return limit;
        }
        double gradient = dropped ? 0.5
                : Math.max(0.5, Math.min(1.0, TOLERANCE * unloadedNanos / rttNanos));
        double target = limit * gradient + Math.sqrt(limit);
        return limit * (1 - SMOOTHING) + target * SMOOTHING;
    }

    @Override
    public String toString() {
        return "gradient";
    }
}
