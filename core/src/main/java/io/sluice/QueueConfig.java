package io.sluice;

import io.sluice.time.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Settings for one queue that override the handler's annotation and the worker's defaults. Every setting is optional;
 * an unset one is inherited.
 *
 * <p>The dead-letter settings serve two purposes. When the worker creates a missing queue ({@link
 * WorkerConfig#createQueues()}), the queue is created with a {@code RedrivePolicy} that moves a message to {@link
 * #deadLetterQueue()} after {@link #maxReceiveCount()} receives. And when an existing queue has no {@code
 * RedrivePolicy}, an explicitly set {@link #deadLetterQueue()} is where Sluice dead-letters poison and exhausted
 * messages itself (with the reason attached).
 */
public final class QueueConfig {

    /** Receives after which a created queue's RedrivePolicy moves a message to its DLQ, unless set: the article's 3. */
    public static final int DEFAULT_MAX_RECEIVE_COUNT = 3;

    private static final QueueConfig EMPTY = builder().build();

    private final Integer concurrency;
    private final Integer pollers;
    private final Duration visibilityTimeout;
    private final String deadLetterQueue;
    private final boolean deadLetterQueueDisabled;
    private final Integer maxReceiveCount;
    private final Integer maxAttempts;
    private final Integer retryAttempts;
    private final List<Class<? extends Throwable>> retryOn;
    private final List<Class<? extends Throwable>> noRetryOn;
    private final Duration maxProcessingTime;
    private final BreakerPolicy circuitBreaker;
    private final Integer maxConcurrencyPerGroup;
    private final Integer maxBatchSize;
    private final Duration maxBatchWait;
    private final Double maxMessagesPerSecond;
    private final AdaptiveConcurrencyPolicy adaptiveConcurrency;
    private final Integer prefetch;

    /** The highest {@link Builder#maxMessagesPerSecond}: SQS itself serves nearly unlimited receives. */
    public static final double MAX_MESSAGES_PER_SECOND = 100_000;

    private QueueConfig(Builder builder) {
        this.concurrency = builder.concurrency;
        this.pollers = builder.pollers;
        this.visibilityTimeout = builder.visibilityTimeout;
        this.deadLetterQueue = builder.deadLetterQueue;
        this.deadLetterQueueDisabled = builder.deadLetterQueueDisabled;
        this.maxReceiveCount = builder.maxReceiveCount;
        this.maxAttempts = builder.maxAttempts;
        this.retryAttempts = builder.retryAttempts;
        this.retryOn = builder.retryOn;
        this.noRetryOn = builder.noRetryOn;
        this.maxProcessingTime = builder.maxProcessingTime;
        this.circuitBreaker = builder.circuitBreaker;
        this.maxConcurrencyPerGroup = builder.maxConcurrencyPerGroup;
        this.maxBatchSize = builder.maxBatchSize;
        this.maxBatchWait = builder.maxBatchWait;
        this.maxMessagesPerSecond = builder.maxMessagesPerSecond;
        this.adaptiveConcurrency = builder.adaptiveConcurrency;
        this.prefetch = builder.prefetch;
    }

    /** A config that overrides nothing. */
    public static QueueConfig empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.concurrency = concurrency;
        builder.pollers = pollers;
        builder.visibilityTimeout = visibilityTimeout;
        builder.deadLetterQueue = deadLetterQueue;
        builder.deadLetterQueueDisabled = deadLetterQueueDisabled;
        builder.maxReceiveCount = maxReceiveCount;
        builder.maxAttempts = maxAttempts;
        builder.retryAttempts = retryAttempts;
        builder.retryOn = retryOn;
        builder.noRetryOn = noRetryOn;
        builder.maxProcessingTime = maxProcessingTime;
        builder.circuitBreaker = circuitBreaker;
        builder.maxConcurrencyPerGroup = maxConcurrencyPerGroup;
        builder.maxBatchSize = maxBatchSize;
        builder.maxBatchWait = maxBatchWait;
        builder.maxMessagesPerSecond = maxMessagesPerSecond;
        builder.adaptiveConcurrency = adaptiveConcurrency;
        builder.prefetch = prefetch;
        return builder;
    }

    public OptionalInt concurrency() {
        return concurrency == null ? OptionalInt.empty() : OptionalInt.of(concurrency);
    }

    public OptionalInt pollers() {
        return pollers == null ? OptionalInt.empty() : OptionalInt.of(pollers);
    }

    /** The visibility timeout requested on each receive; unset means the queue's own. */
    public Optional<Duration> visibilityTimeout() {
        return Optional.ofNullable(visibilityTimeout);
    }

    /**
     * The name of the DLQ to create with the queue. Unset means {@code <queue>-dlq} (for {@code name.fifo}: {@code
     * name-dlq.fifo}); empty when dead-lettering was disabled with {@link Builder#noDeadLetterQueue()}.
     */
    public Optional<String> deadLetterQueue() {
        return Optional.ofNullable(deadLetterQueue);
    }

    /** Whether a created queue gets no DLQ at all. */
    public boolean deadLetterQueueDisabled() {
        return deadLetterQueueDisabled;
    }

    public OptionalInt maxReceiveCount() {
        return maxReceiveCount == null ? OptionalInt.empty() : OptionalInt.of(maxReceiveCount);
    }

    /** Deliveries before dead-lettering ({@link RetryPolicy#maxAttempts()}), overriding the handler's policy. */
    public OptionalInt maxAttempts() {
        return maxAttempts == null ? OptionalInt.empty() : OptionalInt.of(maxAttempts);
    }

    /** Handler calls per delivery ({@link RetryPolicy#attempts()}), overriding the handler's policy. */
    public OptionalInt retryAttempts() {
        return retryAttempts == null ? OptionalInt.empty() : OptionalInt.of(retryAttempts);
    }

    /** The exception types retried ({@link RetryPolicy#retryOn()}), overriding the handler's policy. */
    public Optional<List<Class<? extends Throwable>>> retryOn() {
        return Optional.ofNullable(retryOn);
    }

    /** The exception types that are poison ({@link RetryPolicy#noRetryOn()}), overriding the handler's policy. */
    public Optional<List<Class<? extends Throwable>>> noRetryOn() {
        return Optional.ofNullable(noRetryOn);
    }

    /** The longest one handler call may take before it is cancelled and the message released. */
    public Optional<Duration> maxProcessingTime() {
        return Optional.ofNullable(maxProcessingTime);
    }

    /** The circuit breaker guarding this queue's handler, overriding the handler's {@code @CircuitBreaker}. */
    public Optional<BreakerPolicy> circuitBreaker() {
        return Optional.ofNullable(circuitBreaker);
    }

    /**
     * Standard queues with {@code MessageGroupId}s (fair queues): the most messages of one group handled at once; see
     * {@code @SqsHandler(maxConcurrencyPerGroup)}.
     */
    public OptionalInt maxConcurrencyPerGroup() {
        return maxConcurrencyPerGroup == null ? OptionalInt.empty() : OptionalInt.of(maxConcurrencyPerGroup);
    }

    /** A batch handler's most messages per call; see {@code @SqsHandler(maxBatchSize)}. */
    public OptionalInt maxBatchSize() {
        return maxBatchSize == null ? OptionalInt.empty() : OptionalInt.of(maxBatchSize);
    }

    /** The most messages per second received from the queue; see {@code @SqsHandler(maxMessagesPerSecond)}. */
    public OptionalDouble maxMessagesPerSecond() {
        return maxMessagesPerSecond == null ? OptionalDouble.empty() : OptionalDouble.of(maxMessagesPerSecond);
    }

    /** The adaptive concurrency limit in place of the fixed concurrency; see {@code @AdaptiveConcurrency}. */
    public Optional<AdaptiveConcurrencyPolicy> adaptiveConcurrency() {
        return Optional.ofNullable(adaptiveConcurrency);
    }

    /** Messages held ahead of the handler slots; see {@code @SqsHandler(prefetch)}. */
    public OptionalInt prefetch() {
        return prefetch == null ? OptionalInt.empty() : OptionalInt.of(prefetch);
    }

    /** A batch handler's longest wait for a batch to fill; see {@code @SqsHandler(maxBatchWaitMillis)}. */
    public Optional<Duration> maxBatchWait() {
        return Optional.ofNullable(maxBatchWait);
    }

    /** This config with every setting that {@code overrides} sets replaced by its value. */
    public QueueConfig overriddenBy(QueueConfig overrides) {
        Builder merged = toBuilder();
        if (overrides.concurrency != null) {
            merged.concurrency = overrides.concurrency;
        }
        if (overrides.pollers != null) {
            merged.pollers = overrides.pollers;
        }
        if (overrides.visibilityTimeout != null) {
            merged.visibilityTimeout = overrides.visibilityTimeout;
        }
        if (overrides.deadLetterQueue != null || overrides.deadLetterQueueDisabled) {
            merged.deadLetterQueue = overrides.deadLetterQueue;
            merged.deadLetterQueueDisabled = overrides.deadLetterQueueDisabled;
        }
        if (overrides.maxReceiveCount != null) {
            merged.maxReceiveCount = overrides.maxReceiveCount;
        }
        if (overrides.maxAttempts != null) {
            merged.maxAttempts = overrides.maxAttempts;
        }
        if (overrides.retryAttempts != null) {
            merged.retryAttempts = overrides.retryAttempts;
        }
        if (overrides.retryOn != null) {
            merged.retryOn = overrides.retryOn;
        }
        if (overrides.noRetryOn != null) {
            merged.noRetryOn = overrides.noRetryOn;
        }
        if (overrides.maxProcessingTime != null) {
            merged.maxProcessingTime = overrides.maxProcessingTime;
        }
        if (overrides.circuitBreaker != null) {
            merged.circuitBreaker = overrides.circuitBreaker;
        }
        if (overrides.maxConcurrencyPerGroup != null) {
            merged.maxConcurrencyPerGroup = overrides.maxConcurrencyPerGroup;
        }
        if (overrides.maxBatchSize != null) {
            merged.maxBatchSize = overrides.maxBatchSize;
        }
        if (overrides.maxBatchWait != null) {
            merged.maxBatchWait = overrides.maxBatchWait;
        }
        if (overrides.maxMessagesPerSecond != null) {
            merged.maxMessagesPerSecond = overrides.maxMessagesPerSecond;
        }
        if (overrides.adaptiveConcurrency != null) {
            merged.adaptiveConcurrency = overrides.adaptiveConcurrency;
        }
        if (overrides.prefetch != null) {
            merged.prefetch = overrides.prefetch;
        }
        return merged.build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueueConfig that
                && Objects.equals(concurrency, that.concurrency)
                && Objects.equals(pollers, that.pollers)
                && Objects.equals(visibilityTimeout, that.visibilityTimeout)
                && Objects.equals(deadLetterQueue, that.deadLetterQueue)
                && deadLetterQueueDisabled == that.deadLetterQueueDisabled
                && Objects.equals(maxReceiveCount, that.maxReceiveCount)
                && Objects.equals(maxAttempts, that.maxAttempts)
                && Objects.equals(retryAttempts, that.retryAttempts)
                && Objects.equals(retryOn, that.retryOn)
                && Objects.equals(noRetryOn, that.noRetryOn)
                && Objects.equals(maxProcessingTime, that.maxProcessingTime)
                && Objects.equals(circuitBreaker, that.circuitBreaker)
                && Objects.equals(maxConcurrencyPerGroup, that.maxConcurrencyPerGroup)
                && Objects.equals(maxBatchSize, that.maxBatchSize)
                && Objects.equals(maxBatchWait, that.maxBatchWait)
                && Objects.equals(maxMessagesPerSecond, that.maxMessagesPerSecond)
                && Objects.equals(adaptiveConcurrency, that.adaptiveConcurrency)
                && Objects.equals(prefetch, that.prefetch);
    }

    @Override
    public int hashCode() {
        return Objects.hash(concurrency, pollers, visibilityTimeout, deadLetterQueue, deadLetterQueueDisabled,
                maxReceiveCount, maxAttempts, retryAttempts, retryOn, noRetryOn, maxProcessingTime, circuitBreaker,
                maxConcurrencyPerGroup, maxBatchSize, maxBatchWait, maxMessagesPerSecond, adaptiveConcurrency,
                prefetch);
    }

    @Override
    public String toString() {
        return "QueueConfig{concurrency=" + concurrency + ", pollers=" + pollers + ", visibilityTimeout="
                + Durations.format(visibilityTimeout) + ", deadLetterQueue=" + (deadLetterQueueDisabled ? "<none>" : deadLetterQueue)
                + ", maxReceiveCount=" + maxReceiveCount
                + (maxAttempts == null ? "" : ", maxAttempts=" + maxAttempts)
                + (retryAttempts == null ? "" : ", retryAttempts=" + retryAttempts)
                + (retryOn == null ? "" : ", retryOn=" + retryOn.stream().map(Class::getSimpleName).toList())
                + (noRetryOn == null ? "" : ", noRetryOn=" + noRetryOn.stream().map(Class::getSimpleName).toList())
                + (maxProcessingTime == null ? "" : ", maxProcessingTime=" + Durations.format(maxProcessingTime))
                + (circuitBreaker == null ? "" : ", circuitBreaker=" + circuitBreaker)
                + (maxConcurrencyPerGroup == null ? "" : ", maxConcurrencyPerGroup=" + maxConcurrencyPerGroup)
                + (maxBatchSize == null ? "" : ", maxBatchSize=" + maxBatchSize)
                + (maxBatchWait == null ? "" : ", maxBatchWait=" + Durations.format(maxBatchWait))
                + (maxMessagesPerSecond == null ? "" : ", maxMessagesPerSecond=" + maxMessagesPerSecond)
                + (adaptiveConcurrency == null ? "" : ", adaptiveConcurrency=" + adaptiveConcurrency)
                + (prefetch == null ? "" : ", prefetch=" + prefetch) + '}';
    }

    /** Builds a {@link QueueConfig}; each setter rejects a bad value at once, naming it. */
    public static final class Builder {
        private Integer concurrency;
        private Integer pollers;
        private Duration visibilityTimeout;
        private String deadLetterQueue;
        private boolean deadLetterQueueDisabled;
        private Integer maxReceiveCount;
        private Integer maxAttempts;
        private Integer retryAttempts;
        private List<Class<? extends Throwable>> retryOn;
        private List<Class<? extends Throwable>> noRetryOn;
        private Duration maxProcessingTime;
        private BreakerPolicy circuitBreaker;
        private Integer maxConcurrencyPerGroup;
        private Double maxMessagesPerSecond;
        private AdaptiveConcurrencyPolicy adaptiveConcurrency;
        private Integer prefetch;
        private Integer maxBatchSize;
        private Duration maxBatchWait;

        private Builder() {
        }

        /**
         * The most messages of one {@code MessageGroupId} handled at once on a standard queue (fair queues), 1..10,000;
         * messages over the cap wait without holding up other groups.
         */
        public Builder maxConcurrencyPerGroup(int maxConcurrencyPerGroup) {
            this.maxConcurrencyPerGroup = WorkerConfig.checkRange("maxConcurrencyPerGroup", maxConcurrencyPerGroup, 1,
                    WorkerConfig.MAX_CONCURRENCY);
            return this;
        }

        /**
         * The most messages per second this worker receives from the queue, more than 0 and at most 100,000; enforced
         * before each receive and shared by the queue's pollers. Overrides {@code @SqsHandler(maxMessagesPerSecond)}.
         */
        public Builder maxMessagesPerSecond(double maxMessagesPerSecond) {
            if (!(maxMessagesPerSecond > 0 && maxMessagesPerSecond <= MAX_MESSAGES_PER_SECOND)) {
                throw new IllegalArgumentException("maxMessagesPerSecond must be more than 0 and at most "
                        + (int) MAX_MESSAGES_PER_SECOND + ", but was " + maxMessagesPerSecond);
            }
            this.maxMessagesPerSecond = maxMessagesPerSecond;
            return this;
        }

        /**
         * Runs the handler under an adaptive concurrency limit instead of a fixed one (the concurrency is then its
         * ceiling unless the policy sets a max). Overrides {@code @AdaptiveConcurrency}.
         */
        public Builder adaptiveConcurrency(AdaptiveConcurrencyPolicy adaptiveConcurrency) {
            this.adaptiveConcurrency = Objects.requireNonNull(adaptiveConcurrency, "adaptiveConcurrency");
            return this;
        }

        /**
         * Messages held ahead of the handler slots, 0..10,000 (and at most the queue's concurrency), so that a freed
         * slot starts the next message without waiting a receive. By default none, or a receive's worth (10) under an
         * adaptive concurrency limit. Overrides {@code @SqsHandler(prefetch)}.
         */
        public Builder prefetch(int prefetch) {
            this.prefetch = WorkerConfig.checkRange("prefetch", prefetch, 0, AdaptiveConcurrencyPolicy.MAX_LIMIT);
            return this;
        }

        /** A batch handler's most messages per call, 1..1,000 (and at most the queue's concurrency). */
        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = WorkerConfig.checkRange("maxBatchSize", maxBatchSize, 1, 1000);
            return this;
        }

        /** A batch handler's longest wait for a batch to fill, 0..1 min. */
        public Builder maxBatchWait(Duration maxBatchWait) {
            Objects.requireNonNull(maxBatchWait, "maxBatchWait");
            if (maxBatchWait.isNegative() || maxBatchWait.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("maxBatchWait must be between 0s and 1m, but was "
                        + Durations.format(maxBatchWait));
            }
            this.maxBatchWait = maxBatchWait;
            return this;
        }

        /** Deliveries before dead-lettering, 1..1000; see {@link RetryPolicy#maxAttempts()}. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = WorkerConfig.checkRange("maxAttempts", maxAttempts, 1, 1000);
            return this;
        }

        /** Handler calls per delivery, 1..10; see {@link RetryPolicy#attempts()}. */
        public Builder retryAttempts(int retryAttempts) {
            this.retryAttempts = WorkerConfig.checkRange("retry attempts", retryAttempts, 1, 10);
            return this;
        }

        /**
         * Only these exception types (and subtypes) are retried; see {@link RetryPolicy#retryOn()}. No types means
         * every type not listed by {@link #noRetryOn}.
         */
        @SafeVarargs
        public final Builder retryOn(Class<? extends Throwable>... types) {
            this.retryOn = List.copyOf(RetryPolicy.Builder.checkTypes("retryOn", types));
            return this;
        }

        /** These exception types (and subtypes) are poison, dead-lettered at once; see {@link RetryPolicy#noRetryOn()}. */
        @SafeVarargs
        public final Builder noRetryOn(Class<? extends Throwable>... types) {
            this.noRetryOn = List.copyOf(RetryPolicy.Builder.checkTypes("noRetryOn", types));
            return this;
        }

        /** The longest one handler call may take, 1 s..12 h. */
        public Builder maxProcessingTime(Duration maxProcessingTime) {
            this.maxProcessingTime = WorkerConfig.checkMaxProcessingTime(maxProcessingTime);
            return this;
        }

        /** Guards this queue's handler with a circuit breaker. */
        public Builder circuitBreaker(BreakerPolicy circuitBreaker) {
            this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
            return this;
        }

        /** Messages of this queue handled at once, 1..10,000. */
        public Builder concurrency(int concurrency) {
            this.concurrency = WorkerConfig.checkRange("concurrency", concurrency, 1, WorkerConfig.MAX_CONCURRENCY);
            return this;
        }

        /** Pollers long-polling this queue, 1..100; by default one per ten handler slots. */
        public Builder pollers(int pollers) {
            this.pollers = WorkerConfig.checkRange("pollers", pollers, 1, WorkerConfig.MAX_POLLERS);
            return this;
        }

        /** Visibility timeout requested on each receive, 0 s..12 h, whole seconds. */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = WorkerConfig.checkVisibility(visibilityTimeout);
            return this;
        }

        /** The DLQ's name for a created queue. */
        public Builder deadLetterQueue(String deadLetterQueue) {
            if (deadLetterQueue == null || deadLetterQueue.isBlank()) {
                throw new IllegalArgumentException("deadLetterQueue must be a queue name, but was '" + deadLetterQueue + "'");
            }
            this.deadLetterQueue = WorkerConfig.checkQueueName("deadLetterQueue", deadLetterQueue.trim());
            this.deadLetterQueueDisabled = false;
            return this;
        }

        /** A created queue gets no DLQ and no RedrivePolicy. */
        public Builder noDeadLetterQueue() {
            this.deadLetterQueue = null;
            this.deadLetterQueueDisabled = true;
            return this;
        }

        /** Receives before SQS moves a message to the DLQ, 1..1,000 (SQS's range). */
        public Builder maxReceiveCount(int maxReceiveCount) {
            this.maxReceiveCount = WorkerConfig.checkRange("maxReceiveCount", maxReceiveCount, 1, 1000);
            return this;
        }

        public QueueConfig build() {
            return new QueueConfig(this);
        }
    }
}
