package io.sluice.internal.limit;

import io.sluice.AdaptiveConcurrencyPolicy;

/**
 * How a concurrency limit follows the calls it admits: each ended call is a sample (its latency, the calls in flight
 * when it started, whether it failed against the downstream), and the algorithm answers the new limit. Called by one
 * {@link AdaptiveLimiter} under its lock, so implementations keep plain state; the limiter clamps the answer.
 */
interface LimitAlgorithm {

    /**
     * @param limit    the limit now (a real number: algorithms move it in fractions)
     * @param rttNanos how long the call took
     * @param inFlight calls running when it started, itself included
     * @param dropped  whether it failed in a way that counts against the downstream
     * @return the new limit (not yet clamped)
     */
    double update(double limit, long rttNanos, int inFlight, boolean dropped);

    static LimitAlgorithm of(AdaptiveConcurrencyPolicy.Algorithm algorithm) {
        return switch (algorithm) {
            case VEGAS -> new VegasLimit();
            case GRADIENT -> new GradientLimit();
        };
    }

    /** A limit grows by its order of magnitude: steps of 1 up to 100, 2 up to 1,000 and so on. */
    static double step(double limit) {
        return Math.max(1, Math.floor(Math.log10(Math.max(1, limit))));
    }
}
