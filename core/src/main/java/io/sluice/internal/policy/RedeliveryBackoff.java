package io.sluice.internal.policy;

import io.sluice.internal.support.Backoff;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The visibility given to a message whose delivery failed, from its receive count: {@code base × 2^(receiveCount-1)},
 * capped at {@code max} (the shared {@link Backoff}), with "equal jitter" (a uniform value between half and all of it),
 * in whole seconds (the half rounded up), at least one. Thread safe when its random generator is.
 */
public final class RedeliveryBackoff {

    private final Backoff backoff;
    private final RandomGenerator random;

    public RedeliveryBackoff(Duration base, Duration max, RandomGenerator random) {
        Duration first = base.getSeconds() < 1 ? Duration.ofSeconds(1) : Duration.ofSeconds(base.getSeconds());
        this.backoff = Backoff.exponential(first, 2, max.compareTo(first) < 0 ? first : Duration.ofSeconds(max.getSeconds()));
        this.random = random;
    }

    /** The back-off without jitter for {@code receiveCount} (a count below 1 counts as 1). */
    public long ceilingSeconds(int receiveCount) {
        return backoff.after(Math.max(receiveCount, 1)).getSeconds();
    }

    /** The jittered back-off for {@code receiveCount}. */
    public Duration forReceiveCount(int receiveCount) {
        long ceiling = ceilingSeconds(receiveCount);
        long half = ceiling - ceiling / 2; // rounded up, so the back-off is never below half of its ceiling
        long seconds = half + random.nextLong(ceiling - half + 1);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
