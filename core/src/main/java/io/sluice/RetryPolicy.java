package io.sluice;

import io.sluice.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What Sluice does when a handler fails: the whole failure policy of a queue, immutable, built with {@link #builder()}
 * whose setters reject a bad value at once and name it.
 *
 * <ol>
 *   <li><b>Classification.</b> A failure is <em>poison</em> when it is a {@link MessageBindingException} (the body
 *   cannot be bound: never retried), or an instance of one of {@link #noRetryOn()}, or not an instance of any of
 *   {@link #retryOn()} when that list is not empty. Poison is dead-lettered on the receive it failed on.</li>
 *   <li><b>In-process retry.</b> A retryable failure is retried on the same delivery, up to {@link #attempts()} handler
 *   calls per delivery, waiting {@link #delay()} then times {@link #multiplier()} each time (at most {@link
 *   #MAX_RETRY_DELAY}). The visibility heartbeat keeps the message invisible meanwhile.</li>
 *   <li><b>Redelivery back-off.</b> When a delivery's calls are spent and its receive count is below {@link
 *   #maxAttempts()}, the message's visibility is set to {@code min(maxBackoff, backoff × 2^(receiveCount-1))} with
 *   jitter (a uniform value between half and all of it): it comes back later instead of hot-looping.</li>
 *   <li><b>Dead-lettering.</b> On delivery number {@link #maxAttempts()} (or for poison) the message is sent to the
 *   queue's dead-letter queue with the reason as message attributes, then deleted from the source.</li>
 * </ol>
 *
 * <p><b>Attempts.</b> {@code maxAttempts} counts deliveries (receives, SQS's {@code ApproximateReceiveCount}), not
 * handler calls: a message is handled at most {@code maxAttempts × attempts} times. When the queue has a {@code
 * RedrivePolicy}, {@code maxAttempts} defaults to its {@code maxReceiveCount} and may not exceed it (SQS would move the
 * message to the DLQ first, without the reason): the worker warns at startup and uses {@code maxReceiveCount}.
 */
public final class RetryPolicy {

    public static final int DEFAULT_ATTEMPTS = 3;
    public static final Duration DEFAULT_DELAY = Duration.ofMillis(200);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    /** Deliveries before dead-lettering when neither the policy nor the queue's RedrivePolicy says. */
    public static final int DEFAULT_MAX_ATTEMPTS = QueueConfig.DEFAULT_MAX_RECEIVE_COUNT;
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(15);
    private static final Duration MAX_VISIBILITY = Duration.ofHours(12);

    private static final RetryPolicy DEFAULTS = builder().build();

    private final int attempts;
    private final Duration delay;
    private final double multiplier;
    private final List<Class<? extends Throwable>> retryOn;
    private final List<Class<? extends Throwable>> noRetryOn;
    private final Integer maxAttempts;
    private final Duration backoff;
    private final Duration maxBackoff;

    private RetryPolicy(Builder builder) {
        this.attempts = builder.attempts;
        this.delay = builder.delay;
        this.multiplier = builder.multiplier;
        this.retryOn = List.copyOf(builder.retryOn);
        this.noRetryOn = List.copyOf(builder.noRetryOn);
        this.maxAttempts = builder.maxAttempts;
        this.backoff = builder.backoff;
        this.maxBackoff = builder.maxBackoff;
    }

    /** Three calls per delivery (200 ms, 400 ms apart), back-off from 5 s to 15 min, maxAttempts from the queue. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.attempts = attempts;
        builder.delay = delay;
        builder.multiplier = multiplier;
        builder.retryOn.addAll(retryOn);
        builder.noRetryOn.addAll(noRetryOn);
        builder.maxAttempts = maxAttempts;
        builder.backoff = backoff;
        builder.maxBackoff = maxBackoff;
        return builder;
    }

    /** Handler calls per delivery (1: no in-process retry). */
    public int attempts() {
        return attempts;
    }

    /** The wait before the first in-process retry. */
    public Duration delay() {
        return delay;
    }

    public double multiplier() {
        return multiplier;
    }

    /** Retryable exception types; empty means every type not in {@link #noRetryOn()}. */
    public List<Class<? extends Throwable>> retryOn() {
        return retryOn;
    }

    /** Exception types that make a message poison. */
    public List<Class<? extends Throwable>> noRetryOn() {
        return noRetryOn;
    }

    /** Deliveries before dead-lettering; empty means the queue's maxReceiveCount, else {@link #DEFAULT_MAX_ATTEMPTS}. */
    public OptionalInt maxAttempts() {
        return maxAttempts == null ? OptionalInt.empty() : OptionalInt.of(maxAttempts);
    }

    /** The redelivery back-off after the first failed delivery. */
    public Duration backoff() {
        return backoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** Whether {@code failure} is worth retrying; {@code false} means poison. */
    public boolean isRetryable(Throwable failure) {
        if (failure instanceof MessageBindingException) {
            return false;
        }
        for (Class<? extends Throwable> type : noRetryOn) {
            if (type.isInstance(failure)) {
                return false;
            }
        }
        if (retryOn.isEmpty()) {
            return true;
        }
        for (Class<? extends Throwable> type : retryOn) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RetryPolicy that && attempts == that.attempts && delay.equals(that.delay)
                && multiplier == that.multiplier && retryOn.equals(that.retryOn) && noRetryOn.equals(that.noRetryOn)
                && Objects.equals(maxAttempts, that.maxAttempts) && backoff.equals(that.backoff)
                && maxBackoff.equals(that.maxBackoff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(attempts, delay, multiplier, retryOn, noRetryOn, maxAttempts, backoff, maxBackoff);
    }

    @Override
    public String toString() {
        return "RetryPolicy{attempts=" + attempts + ", delay=" + Durations.format(delay) + ", multiplier=" + multiplier
                + (retryOn.isEmpty() ? "" : ", retryOn=" + retryOn.stream().map(Class::getSimpleName).toList())
                + (noRetryOn.isEmpty() ? "" : ", noRetryOn=" + noRetryOn.stream().map(Class::getSimpleName).toList())
                + ", maxAttempts=" + (maxAttempts == null ? "<queue's>" : maxAttempts) + ", backoff="
                + Durations.format(backoff) + ", maxBackoff=" + Durations.format(maxBackoff) + '}';
    }

    /** Builds a {@link RetryPolicy}. */
    public static final class Builder {
        private int attempts = DEFAULT_ATTEMPTS;
        private Duration delay = DEFAULT_DELAY;
        private double multiplier = DEFAULT_MULTIPLIER;
        private final List<Class<? extends Throwable>> retryOn = new ArrayList<>();
        private final List<Class<? extends Throwable>> noRetryOn = new ArrayList<>();
        private Integer maxAttempts;
        private Duration backoff = DEFAULT_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

        private Builder() {
        }

        /** Handler calls per delivery, 1..10. */
        public Builder attempts(int attempts) {
            this.attempts = WorkerConfig.checkRange("retry attempts", attempts, 1, 10);
            return this;
        }

        /** The wait before the first in-process retry, 0..30 s. */
        public Builder delay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative() || delay.compareTo(MAX_RETRY_DELAY) > 0) {
                throw new IllegalArgumentException("retry delay must be between 0s and 30s, but was " + Durations.format(delay));
            }
            this.delay = delay;
            return this;
        }

        /** Growth of the in-process retry delay, 1..10. */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1 && multiplier <= 10)) {
                throw new IllegalArgumentException("retry multiplier must be between 1 and 10, but was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /** Only these exception types (and subtypes) are retried; replaces earlier ones. */
        @SafeVarargs
        public final Builder retryOn(Class<? extends Throwable>... types) {
            retryOn.clear();
            retryOn.addAll(checkTypes("retryOn", types));
            return this;
        }

        /** These exception types (and subtypes) are poison: dead-lettered at once. Replaces earlier ones. */
        @SafeVarargs
        public final Builder noRetryOn(Class<? extends Throwable>... types) {
            noRetryOn.clear();
            noRetryOn.addAll(checkTypes("noRetryOn", types));
            return this;
        }

        /** Deliveries (receives) before dead-lettering, 1..1000. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = WorkerConfig.checkRange("maxAttempts", maxAttempts, 1, 1000);
            return this;
        }

        /** The redelivery back-off after the first failed delivery, 1 s..12 h, whole seconds. */
        public Builder backoff(Duration backoff) {
            this.backoff = checkBackoff("backoff", backoff);
            return this;
        }

        /** The longest redelivery back-off, 1 s..12 h, whole seconds. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = checkBackoff("maxBackoff", maxBackoff);
            return this;
        }

        public RetryPolicy build() {
            if (backoff.compareTo(maxBackoff) > 0) {
                throw new IllegalArgumentException("backoff (" + Durations.format(backoff)
                        + ") must not exceed maxBackoff (" + Durations.format(maxBackoff) + ")");
            }
            return new RetryPolicy(this);
        }

        static List<Class<? extends Throwable>> checkTypes(String name, Class<? extends Throwable>[] types) {
            Objects.requireNonNull(types, name);
            List<Class<? extends Throwable>> checked = new ArrayList<>();
            for (Class<? extends Throwable> type : types) {
                checked.add(Objects.requireNonNull(type, name + " must not contain null"));
            }
            return checked;
        }

        private static Duration checkBackoff(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(MAX_VISIBILITY) > 0
                    || value.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException(name + " must be whole seconds between 1s and 12h, but was " + Durations.format(value));
            }
            return value;
        }
    }
}
