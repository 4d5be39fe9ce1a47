package io.sluice;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A circuit breaker guarding a queue's handler (a Resilience4j {@code CircuitBreaker}): immutable, built with {@link
 * #builder()} whose setters reject a bad value at once and name it.
 *
 * <p>Over the last {@link #minimumCalls()} handler calls, when the failure rate reaches {@link #failureRateThreshold()}
 * percent the breaker opens: the queue's pollers stop receiving, so an outage burns no receive count and sends nothing
 * to the dead-letter queue; messages received but not started (by a long poll already open) are hidden for the open
 * wait, so they cost one receive per open period and are not received again and again. After {@link
 * #waitInOpen()} it is half-open: {@link #permittedInHalfOpen()} probe messages are received and handled; if they
 * succeed it closes and polling resumes, otherwise it opens again. Poison messages are not counted.
 *
 * <p>Queues whose policies share a {@link #name()} share one breaker (one downstream); the first queue's settings win.
 */
public final class BreakerPolicy {

    public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;
    public static final int DEFAULT_MINIMUM_CALLS = 10;
    public static final Duration DEFAULT_WAIT_IN_OPEN = Duration.ofSeconds(30);
    public static final int DEFAULT_PERMITTED_IN_HALF_OPEN = 3;

    private final String name;
    private final int failureRateThreshold;
    private final int minimumCalls;
    private final Duration waitInOpen;
    private final int permittedInHalfOpen;

    private BreakerPolicy(Builder builder) {
        this.name = builder.name;
        this.failureRateThreshold = builder.failureRateThreshold;
        this.minimumCalls = builder.minimumCalls;
        this.waitInOpen = builder.waitInOpen;
        this.permittedInHalfOpen = builder.permittedInHalfOpen;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.name = name;
        builder.failureRateThreshold = failureRateThreshold;
        builder.minimumCalls = minimumCalls;
        builder.waitInOpen = waitInOpen;
        builder.permittedInHalfOpen = permittedInHalfOpen;
        return builder;
    }

    /** The shared breaker's name; empty means the queue's own breaker (named after the queue). */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    public int failureRateThreshold() {
        return failureRateThreshold;
    }

    public int minimumCalls() {
        return minimumCalls;
    }

    public Duration waitInOpen() {
        return waitInOpen;
    }

    public int permittedInHalfOpen() {
        return permittedInHalfOpen;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BreakerPolicy that && Objects.equals(name, that.name)
                && failureRateThreshold == that.failureRateThreshold && minimumCalls == that.minimumCalls
                && waitInOpen.equals(that.waitInOpen) && permittedInHalfOpen == that.permittedInHalfOpen;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, failureRateThreshold, minimumCalls, waitInOpen, permittedInHalfOpen);
    }

    @Override
    public String toString() {
        return "BreakerPolicy{name=" + (name == null ? "<queue>" : name) + ", failureRateThreshold="
                + failureRateThreshold + "%, minimumCalls=" + minimumCalls + ", waitInOpen=" + waitInOpen
                + ", permittedInHalfOpen=" + permittedInHalfOpen + '}';
    }

    /** Builds a {@link BreakerPolicy}. */
    public static final class Builder {
        private String name;
        private int failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private int minimumCalls = DEFAULT_MINIMUM_CALLS;
        private Duration waitInOpen = DEFAULT_WAIT_IN_OPEN;
        private int permittedInHalfOpen = DEFAULT_PERMITTED_IN_HALF_OPEN;

        private Builder() {
        }

        /** A name shared by queues with one downstream; letters, digits, '-', '_' and '.', 1..80 characters. */
        public Builder name(String name) {
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,80}")) {
                throw new IllegalArgumentException("breaker name must be 1-80 letters, digits, '-', '_' or '.', but was '"
                        + name + "'");
            }
            this.name = name;
            return this;
        }

        /** Failure rate in percent, 1..100. */
        public Builder failureRateThreshold(int percent) {
            this.failureRateThreshold = WorkerConfig.checkRange("failureRateThreshold", percent, 1, 100);
            return this;
        }

        /** Calls recorded before the rate counts, 1..10,000. */
        public Builder minimumCalls(int minimumCalls) {
            this.minimumCalls = WorkerConfig.checkRange("minimumCalls", minimumCalls, 1, 10_000);
            return this;
        }

        /** How long the breaker stays open, 100 ms..1 h. */
        public Builder waitInOpen(Duration waitInOpen) {
            Objects.requireNonNull(waitInOpen, "waitInOpen");
            if (waitInOpen.compareTo(Duration.ofMillis(100)) < 0 || waitInOpen.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("waitInOpen must be between 100 ms and 1 h, but was " + waitInOpen);
            }
            this.waitInOpen = waitInOpen;
            return this;
        }

        /** Probe messages while half-open, 1..100. */
        public Builder permittedInHalfOpen(int permitted) {
            this.permittedInHalfOpen = WorkerConfig.checkRange("permittedInHalfOpen", permitted, 1, 100);
            return this;
        }

        public BreakerPolicy build() {
            return new BreakerPolicy(this);
        }
    }
}
