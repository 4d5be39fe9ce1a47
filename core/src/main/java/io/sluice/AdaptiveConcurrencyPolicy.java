package io.sluice;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An adaptive concurrency limit for a queue's handler, in place of a fixed one: the limit rises while the handler's
 * latency holds, and falls when its latency climbs or its calls fail (failures that count against the downstream, as
 * for the circuit breaker; poison does not count). Immutable, built with {@link #builder()} whose setters reject a bad
 * value at once and name it.
 *
 * <p>The limit moves between {@link #min()} and {@link #max()} (by default the queue's concurrency, which then is the
 * ceiling: the slots, pollers and handler threads are sized for it) and starts at {@link #initial()} (by default 10, or
 * the nearest bound). It composes with the rest: a circuit breaker still stops receiving while the downstream is down
 * (no call, no sample, the limit stays); on FIFO queues and with per-group limits the limit caps the queue's calls, the
 * group rules apply within it; a rate limit caps the messages per second on top. The current limit is the gauge {@code
 * sluice.concurrency.limit} and each change is a {@link WorkerEvent.ConcurrencyLimitChanged}.
 *
 * <p>The algorithms:
 * <ul>
 *   <li>{@link Algorithm#VEGAS} (the default): keeps the calls' latency near the lowest seen (the downstream's latency
 *   unloaded, measured again now and then). From the limit and how far the latency is above that, it estimates the
 *   calls queued in the downstream: it grows the limit while they are few and shrinks it when they are many. Near a
 *   downstream's knee it settles a few calls above it, so latency stays close to unloaded.</li>
 *   <li>{@link Algorithm#GRADIENT}: compares the recent latency with its long-term average and scales the limit by
 *   their ratio (down to half at once), adding a little headroom; it tolerates latency up to 1.5 times the average
 *   before it shrinks, so it runs hotter than Vegas and follows a drifting baseline.</li>
 * </ul>
 */
public final class AdaptiveConcurrencyPolicy {

    /** How the limit follows the handler's latency and failures. */
    public enum Algorithm {
        VEGAS, GRADIENT;

        /** The algorithm named (any case), or an exception naming the values there are. */
        public static Algorithm parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the adaptive concurrency algorithm must be vegas or gradient, but"
                        + " was '" + name + "'");
            }
        }
    }

    /** The starting limit when none is given (within the bounds). */
    public static final int DEFAULT_INITIAL = 10;
    /** The highest limit allowed anywhere. */
    public static final int MAX_LIMIT = 10_000;

    private final Algorithm algorithm;
    private final int min;
    private final Integer max;
    private final Integer initial;

    private AdaptiveConcurrencyPolicy(Builder builder) {
        this.algorithm = builder.algorithm;
        this.min = builder.min;
        this.max = builder.max;
        this.initial = builder.initial;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Vegas between 1 and the queue's concurrency, starting at 10. */
    public static AdaptiveConcurrencyPolicy defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.algorithm = algorithm;
        builder.min = min;
        builder.max = max;
        builder.initial = initial;
        return builder;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** The lowest limit (at least 1). */
    public int min() {
        return min;
    }

    /** The highest limit, if set; else the queue's concurrency. */
    public OptionalInt max() {
        return max == null ? OptionalInt.empty() : OptionalInt.of(max);
    }

    /** The starting limit, if set; else {@value #DEFAULT_INITIAL} within the bounds. */
    public OptionalInt initial() {
        return initial == null ? OptionalInt.empty() : OptionalInt.of(initial);
    }

    /** The highest limit for a queue whose concurrency is {@code concurrency}. */
    public int maxFor(int concurrency) {
        return max != null ? max : concurrency;
    }

    /** The starting limit within {@code min()..maxFor(concurrency)}. */
    public int initialFor(int concurrency) {
        int ceiling = maxFor(concurrency);
        return Math.max(min, Math.min(ceiling, initial != null ? initial : DEFAULT_INITIAL));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AdaptiveConcurrencyPolicy that && algorithm == that.algorithm && min == that.min
                && Objects.equals(max, that.max) && Objects.equals(initial, that.initial);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, min, max, initial);
    }

    @Override
    public String toString() {
        return "AdaptiveConcurrencyPolicy{" + algorithm.name().toLowerCase(Locale.ROOT) + ", min=" + min
                + ", max=" + (max == null ? "concurrency" : max)
                + ", initial=" + (initial == null ? DEFAULT_INITIAL : initial) + '}';
    }

    /** Builds an {@link AdaptiveConcurrencyPolicy}; each setter rejects a bad value at once, naming it. */
    public static final class Builder {
        private Algorithm algorithm = Algorithm.VEGAS;
        private int min = 1;
        private Integer max;
        private Integer initial;

        private Builder() {
        }

        public Builder algorithm(Algorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /** The lowest limit, 1..10,000. */
        public Builder min(int min) {
            this.min = WorkerConfig.checkRange("adaptive concurrency min", min, 1, MAX_LIMIT);
            return this;
        }

        /** The highest limit, 1..10,000; by default the queue's concurrency. */
        public Builder max(int max) {
            this.max = WorkerConfig.checkRange("adaptive concurrency max", max, 1, MAX_LIMIT);
            return this;
        }

        /** The starting limit, 1..10,000 (brought within the bounds); by default {@value #DEFAULT_INITIAL}. */
        public Builder initial(int initial) {
            this.initial = WorkerConfig.checkRange("adaptive concurrency initial", initial, 1, MAX_LIMIT);
            return this;
        }

        /** @throws IllegalArgumentException when min is above max */
        public AdaptiveConcurrencyPolicy build() {
            if (max != null && min > max) {
                throw new IllegalArgumentException("adaptive concurrency min " + min + " is above its max " + max);
            }
            return new AdaptiveConcurrencyPolicy(this);
        }
    }
}
