package io.sluice.internal.limit;

import io.sluice.AdaptiveConcurrencyPolicy;

/**
 * How a concurrency limit follows the calls it admits. The {@link AdaptiveLimiter} gathers ended calls into windows of
 * about one round trip's worth (as many calls as the limit) and hands each {@link Window} to the algorithm, which
 * answers the new limit: one move per round trip, as TCP Vegas moves once per round trip, so that the answer to one move
 * is seen before the next (moving on every call, it overshoots and swings). Called under the limiter's lock, so
 * implementations keep plain state; the limiter clamps the answer.
 */
interface LimitAlgorithm {

    /**
     * The calls that ended in one window.
     *
     * @param meanNanos   their mean latency (0 only when the window has a failure: algorithms check {@code dropped} first)
     * @param leastNanos  the lowest latency among them above 0, or 0
     * @param mostInFlight the most calls running when one of them started, itself included
     * @param dropped     whether any failed in a way that counts against the downstream
     */
    record Window(long meanNanos, long leastNanos, int mostInFlight, boolean dropped) {
    }

    /**
     * @param limit         the limit now (a real number: algorithms move it in fractions)
     * @param unloadedNanos the downstream's latency unloaded ({@link UnloadedLatency}), at most the window's mean
     * @return the new limit (not yet clamped)
     */
    double update(double limit, Window window, long unloadedNanos);

    static LimitAlgorithm of(AdaptiveConcurrencyPolicy.Algorithm algorithm) {
        return switch (algorithm) {
            case VEGAS -> new VegasLimit();
            case GRADIENT -> new GradientLimit();
        };
    }

    /** A limit moves by its order of magnitude: steps of 1 up to 100, 2 up to 1,000 and so on. */
    static double step(double limit) {
        return Math.max(1, Math.floor(Math.log10(Math.max(1, limit))));
    }
}
