package io.sluice.internal.support;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off, the one implementation every retry in Sluice uses (failed receives, acknowledgement entries,
 * dead-letter sends, redelivery back-offs): {@code initial × multiplier^(attempt-1)}, capped at {@code max}, on
 * Resilience4j's {@link IntervalFunction}; with "equal jitter" on request (a uniform value between half and all of it).
 * Immutable and thread safe.
 */
public final class Backoff {

    private final IntervalFunction growth;

    private Backoff(IntervalFunction growth) {
        this.growth = growth;
    }

    /** {@code initial}, then times {@code multiplier} per attempt, never above {@code max}. */
    public static Backoff exponential(Duration initial, double multiplier, Duration max) {
        long initialMillis = Math.max(1, initial.toMillis());
        return new Backoff(IntervalFunction.ofExponentialBackoff(initialMillis, multiplier,
                Math.max(initialMillis, max.toMillis())));
    }

    /** The wait before attempt {@code attempt + 1}, after attempt {@code attempt} (1-based) failed. */
    public Duration after(int attempt) {
        return Duration.ofMillis(growth.apply(Math.max(1, Math.min(attempt, 64))));
    }

    /** The same growth as Resilience4j's {@link IntervalFunction} (attempt to milliseconds), for its {@code Retry}. */
    public IntervalFunction asIntervalFunction() {
        return growth;
    }

    /** {@link #after} with equal jitter: uniform between half of it (rounded up) and all of it. */
    public Duration jittered(int attempt, RandomGenerator random) {
        long ceiling = after(attempt).toMillis();
        long half = ceiling - ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }
}
