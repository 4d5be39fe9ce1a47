package io.sluice;

import io.sluice.time.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A circuit breaker guarding a queue's handler (a Resilience4j {@code CircuitBreaker}): immutable, built with {@link
 * #builder()} whose setters reject a bad value at once and name it.
 *
 * <p>Over the last {@link #minimumCalls()} handler calls (by default {@value #DEFAULT_MINIMUM_CALLS}, or the
 * concurrency of the queues it guards when that is larger), when the failure rate reaches {@link
 * #failureRateThreshold()} percent the breaker opens: the queue's pollers stop receiving, so an outage burns no receive count and sends nothing
 * to the dead-letter queue; messages received but not started (by a long poll already open) are hidden for the open
 * wait, so they cost one receive per open period and are not received again and again. After {@link
 * #waitInOpen()} it is half-open: {@link #permittedInHalfOpen()} probe messages are received and handled; if they
 * succeed it closes and polling resumes, otherwise it opens again. Poison messages are not counted.
 *
 * <p>Queues whose policies share a {@link #name()} share one breaker (one downstream); the first queue's settings win.
 *
 * <p><b>Why the window is at least the concurrency.</b> With {@code n} handlers running at once, the first outcomes
 * recorded are the fastest ones, and a failing downstream often fails faster than it succeeds. A window smaller than
 * {@code n} can then fill with nothing but failures on a healthy downstream (at concurrency 100 with one call in ten
 * failing, a 10-call window opened within 100 ms, every cycle). A window of at least {@code n} calls always waits for the
 * slow successes of the same burst, and a window of 100 keeps chance out of it: with one call in ten failing, 50 failures
 * in 100 calls essentially never happen. An explicit {@link Builder#minimumCalls} below the concurrency is honoured, with
 * a warning at startup.
 */
public final class BreakerPolicy {

    public static final int DEFAULT_FAILURE_RATE_THRESHOLD = 50;
    /** The smallest window when {@link #minimumCalls()} is not set (the concurrency raises it). */
    public static final int DEFAULT_MINIMUM_CALLS = 100;
    public static final Duration DEFAULT_WAIT_IN_OPEN = Duration.ofSeconds(30);
    public static final int DEFAULT_PERMITTED_IN_HALF_OPEN = 3;

    private final String name;
    private final int failureRateThreshold;
    private final Integer minimumCalls;
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

    /**
     * The calls recorded before the failure rate counts, which is also the size of the sliding window; empty means
     * {@code max(}{@value #DEFAULT_MINIMUM_CALLS}{@code , the concurrency of the queues the breaker guards)}.
     */
    public OptionalInt minimumCalls() {
        return minimumCalls == null ? OptionalInt.empty() : OptionalInt.of(minimumCalls);
    }

    /** The window in force for a breaker guarding queues that run {@code concurrency} handlers at once in all. */
    public int effectiveMinimumCalls(int concurrency) {
        return minimumCalls != null ? minimumCalls : Math.max(DEFAULT_MINIMUM_CALLS, concurrency);
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
                && failureRateThreshold == that.failureRateThreshold && Objects.equals(minimumCalls, that.minimumCalls)
                && waitInOpen.equals(that.waitInOpen) && permittedInHalfOpen == that.permittedInHalfOpen;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, failureRateThreshold, minimumCalls, waitInOpen, permittedInHalfOpen);
    }

    @Override
    public String toString() {
        return "BreakerPolicy{name=" + (name == null ? "<queue>" : name) + ", failureRateThreshold="
                + failureRateThreshold + "%, minimumCalls="
                + (minimumCalls == null ? "max(" + DEFAULT_MINIMUM_CALLS + ", concurrency)" : minimumCalls) + ", waitInOpen=" + Durations.format(waitInOpen)
                + ", permittedInHalfOpen=" + permittedInHalfOpen + '}';
    }

    /** Builds a {@link BreakerPolicy}. */
    public static final class Builder {
        private String name;
        private int failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private Integer minimumCalls;
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

        /**
         * Calls recorded before the rate counts (and the window's size), 1..10,000; unset, {@code max(100, the
         * concurrency of the queues it guards)}. A value below that concurrency lets the first, fastest outcomes of a
         * burst decide alone (see the class comment).
         */
        public Builder minimumCalls(int minimumCalls) {
            this.minimumCalls = WorkerConfig.checkRange("minimumCalls", minimumCalls, 1, 10_000);
            return this;
        }

        /** How long the breaker stays open, 100 ms..1 h. */
        public Builder waitInOpen(Duration waitInOpen) {
            Objects.requireNonNull(waitInOpen, "waitInOpen");
            if (waitInOpen.compareTo(Duration.ofMillis(100)) < 0 || waitInOpen.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("waitInOpen must be between 100ms and 1h, but was " + Durations.format(waitInOpen));
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
