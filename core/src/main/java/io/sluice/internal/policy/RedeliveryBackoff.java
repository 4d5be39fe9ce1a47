package io.sluice.internal.policy;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The visibility given to a message whose delivery failed, from its receive count: {@code base × 2^(receiveCount-1)},
 * capped at {@code max}, with "equal jitter" (a uniform value between half and all of it), in whole seconds (the half
 * rounded up), at least one. Thread safe when its random generator is.
 */
public final class RedeliveryBackoff {

    private final long baseSeconds;
    private final long maxSeconds;
    private final RandomGenerator random;

    public RedeliveryBackoff(Duration base, Duration max, RandomGenerator random) {
        this.baseSeconds = Math.max(1, base.getSeconds());
        this.maxSeconds = Math.max(baseSeconds, max.getSeconds());
        this.random = random;
    }

    /** The back-off without jitter for {@code receiveCount} (a count below 1 counts as 1). */
    public long ceilingSeconds(int receiveCount) {
        // base is at most 12 h (< 2^16 s), so a shift of at most 40 cannot overflow.
        int exponent = Math.min(Math.max(receiveCount, 1) - 1, 40);
        long grown = baseSeconds << exponent;
        return Math.min(maxSeconds, grown);
    }

    /** The jittered back-off for {@code receiveCount}. */
    public Duration forReceiveCount(int receiveCount) {
        long ceiling = ceilingSeconds(receiveCount);
        long half = ceiling - ceiling / 2; // rounded up, so the back-off is never below half of its ceiling
        long seconds = half + random.nextLong(ceiling - half + 1);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
