package io.sluice;

import io.sluice.internal.support.Placeholders;
import io.sluice.time.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Worker-wide settings: the defaults every queue inherits, per-queue overrides, and lifecycle timeouts. Immutable;
 * built with {@link #builder()}, whose setters reject a bad value at once and name it.
 *
 * <p>A queue's effective settings are, from strongest to weakest: its {@link QueueConfig} here (which external
 * configuration fills), its {@code @SqsHandler} attributes, and these defaults. A queue is named by its resolved name:
 * {@code @SqsHandler(queue = "${orders.queue}")} with {@code orders.queue=orders-prod} takes the overrides of {@code
 * orders-prod}, and a queue given by URL those of the URL's last path segment.
 */
public final class WorkerConfig {

    public static final int DEFAULT_CONCURRENCY = 100;
    public static final Duration DEFAULT_WAIT_TIME = Duration.ofSeconds(20);
    public static final int DEFAULT_MAX_MESSAGES_PER_RECEIVE = 10;
    public static final Duration DEFAULT_DELETE_FLUSH_INTERVAL = Duration.ofMillis(50);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_DELETE_ATTEMPTS = 5;

    static final int MAX_CONCURRENCY = 10_000;
    static final int MAX_POLLERS = 100;
    private static final Duration MAX_VISIBILITY = Duration.ofHours(12);

    private final int concurrency;
    private final int pollers;
    private final Duration waitTime;
    private final int maxMessagesPerReceive;
    private final Duration visibilityTimeout;
    private final Duration deleteFlushInterval;
    private final int deleteAttempts;
    private final Duration shutdownTimeout;
    private final Duration startupTimeout;
    private final boolean createQueues;
    private final Map<String, QueueConfig> queues;
    private final RetryPolicy retry;
    private final Duration maxProcessingTime;
    private final Function<String, Optional<String>> placeholders;

    private WorkerConfig(Builder builder) {
        this.concurrency = builder.concurrency;
        this.pollers = builder.pollers;
        this.waitTime = builder.waitTime;
        this.maxMessagesPerReceive = builder.maxMessagesPerReceive;
        this.visibilityTimeout = builder.visibilityTimeout;
        this.deleteFlushInterval = builder.deleteFlushInterval;
        this.deleteAttempts = builder.deleteAttempts;
        this.shutdownTimeout = builder.shutdownTimeout;
        this.startupTimeout = builder.startupTimeout;
        this.createQueues = builder.createQueues;
        this.queues = Map.copyOf(builder.queues);
        this.retry = builder.retry;
        this.maxProcessingTime = builder.maxProcessingTime;
        this.placeholders = builder.placeholders;
    }

    /** The defaults: concurrency 100 (ten pollers), 20 s long polls of up to 10 messages, deletes flushed every 50 ms. */
    public static WorkerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.concurrency = concurrency;
        builder.pollers = pollers;
        builder.waitTime = waitTime;
        builder.maxMessagesPerReceive = maxMessagesPerReceive;
        builder.visibilityTimeout = visibilityTimeout;
        builder.deleteFlushInterval = deleteFlushInterval;
        builder.deleteAttempts = deleteAttempts;
        builder.shutdownTimeout = shutdownTimeout;
        builder.startupTimeout = startupTimeout;
        builder.createQueues = createQueues;
        builder.queues.putAll(queues);
        builder.retry = retry;
        builder.maxProcessingTime = maxProcessingTime;
        builder.placeholders = placeholders;
        return builder;
    }

    /** Default messages handled at once per queue. */
    public int concurrency() {
        return concurrency;
    }

    /** Default pollers per queue; 0 means one per ten handler slots (at least one). */
    public int pollers() {
        return pollers;
    }

    /** Long-poll wait of each receive, 0..20 s. */
    public Duration waitTime() {
        return waitTime;
    }

    /** Most messages asked for in one receive, 1..10. */
    public int maxMessagesPerReceive() {
        return maxMessagesPerReceive;
    }

    /** The visibility timeout requested on receive, or {@code null} for each queue's own. */
    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    /** How long a delete waits for nine others before its batch is sent anyway. */
    public Duration deleteFlushInterval() {
        return deleteFlushInterval;
    }

    /** Attempts at deleting one message before giving up (it then comes back: a duplicate, never a loss). */
    public int deleteAttempts() {
        return deleteAttempts;
    }

    /** How long {@code stop()} waits for in-flight handlers and pending deletes. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** How long {@code start()} waits for queue URLs to resolve (and queues to be created). */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** Whether {@code start()} creates a missing queue (and its DLQ) instead of failing. */
    public boolean createQueues() {
        return createQueues;
    }

    /** The failure policy of queues whose handler declares none ({@code @Retry}, {@code @Redelivery}). */
    public RetryPolicy retry() {
        return retry;
    }

    /** The default longest handler call, or {@code null} for no limit (besides SQS's 12 hours). */
    public Duration maxProcessingTime() {
        return maxProcessingTime;
    }

    /** Where {@code ${key}} placeholders in handlers' queues find their values; see {@link Builder#placeholders}. */
    public Function<String, Optional<String>> placeholders() {
        return placeholders;
    }

    /**
     * The environment variable that holds {@code key}, for placeholders and Sluice's settings alike: upper case, with
     * {@code .} and {@code -} as {@code _} ({@code orders.queue} is {@code ORDERS_QUEUE}).
     */
    public static String environmentVariable(String key) {
        return Placeholders.environmentVariable(key);
    }

    /** Per-queue overrides by queue name. */
    public Map<String, QueueConfig> queues() {
        return queues;
    }

    /** The overrides for {@code queue}, or an empty config. */
    public QueueConfig queue(String queue) {
        return queues.getOrDefault(queue, QueueConfig.empty());
    }

    @Override
    public String toString() {
        return "WorkerConfig{concurrency=" + concurrency + ", pollers=" + (pollers == 0 ? "auto" : pollers)
                + ", waitTime=" + Durations.format(waitTime) + ", maxMessagesPerReceive=" + maxMessagesPerReceive
                + ", visibilityTimeout=" + (visibilityTimeout == null ? "<queue's>" : Durations.format(visibilityTimeout))
                + ", deleteFlushInterval=" + Durations.format(deleteFlushInterval) + ", deleteAttempts=" + deleteAttempts
                + ", shutdownTimeout=" + Durations.format(shutdownTimeout) + ", startupTimeout="
                + Durations.format(startupTimeout) + ", createQueues=" + createQueues + ", retry=" + retry
                + (maxProcessingTime == null ? "" : ", maxProcessingTime=" + Durations.format(maxProcessingTime))
                + ", queues=" + queues + '}';
    }

    static int checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + " must be between " + min + " and " + max + ", but was " + value);
        }
        return value;
    }

    static Duration checkVisibility(Duration visibility) {
        Objects.requireNonNull(visibility, "visibilityTimeout");
        if (visibility.isNegative() || visibility.compareTo(MAX_VISIBILITY) > 0 || visibility.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException(
                    "visibilityTimeout must be whole seconds between 0s and 12h, but was " + Durations.format(visibility));
        }
        return visibility;
    }

    static Duration checkMaxProcessingTime(Duration value) {
        Objects.requireNonNull(value, "maxProcessingTime");
        if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("maxProcessingTime must be between 1s and 12h, but was " + Durations.format(value));
        }
        return value;
    }

    static String checkQueueName(String what, String name) {
        if (!io.sluice.internal.support.QueueNames.isValid(name)) {
            throw new IllegalArgumentException(what + " must be an SQS queue name (1-80 letters, digits, - and _,"
                    + " FIFO names ending in .fifo), but was '" + name + "'");
        }
        return name;
    }

    private static Duration checkDuration(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    name + " must be between " + Durations.format(min) + " and " + Durations.format(max)
                            + ", but was " + Durations.format(value));
        }
        return value;
    }

    /** Builds a {@link WorkerConfig}. */
    public static final class Builder {
        private int concurrency = DEFAULT_CONCURRENCY;
        private int pollers;
        private Duration waitTime = DEFAULT_WAIT_TIME;
        private int maxMessagesPerReceive = DEFAULT_MAX_MESSAGES_PER_RECEIVE;
        private Duration visibilityTimeout;
        private Duration deleteFlushInterval = DEFAULT_DELETE_FLUSH_INTERVAL;
        private int deleteAttempts = DEFAULT_DELETE_ATTEMPTS;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private boolean createQueues;
        private final Map<String, QueueConfig> queues = new LinkedHashMap<>();
        private RetryPolicy retry = RetryPolicy.defaults();
        private Duration maxProcessingTime;
        private Function<String, Optional<String>> placeholders = Placeholders.systemLookup();

        private Builder() {
        }

        /**
         * Where {@code ${key}} and {@code ${key:default}} placeholders in {@code @SqsHandler} queues find their values
         * (an empty value counts as none); by default the system property {@code key}, else the environment variable
         * {@link WorkerConfig#environmentVariable(String) KEY}. A key without a value or default fails the worker's
         * {@code build()}, naming the handler and the key.
         */
        public Builder placeholders(Function<String, Optional<String>> values) {
            this.placeholders = Objects.requireNonNull(values, "placeholders");
            return this;
        }

        /** The failure policy of queues whose handler declares none. */
        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** The default longest handler call, 1 s..12 h; {@code null} for no limit. */
        public Builder maxProcessingTime(Duration maxProcessingTime) {
            this.maxProcessingTime = maxProcessingTime == null ? null : checkMaxProcessingTime(maxProcessingTime);
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = checkRange("concurrency", concurrency, 1, MAX_CONCURRENCY);
            return this;
        }

        /** Pollers per queue, 1..100, or 0 for one per ten handler slots. */
        public Builder pollers(int pollers) {
            this.pollers = checkRange("pollers", pollers, 0, MAX_POLLERS);
            return this;
        }

        public Builder waitTime(Duration waitTime) {
            this.waitTime = checkDuration("waitTime", waitTime, Duration.ZERO, Duration.ofSeconds(20));
            if (waitTime.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("waitTime must be whole seconds, but was " + Durations.format(waitTime));
            }
            return this;
        }

        public Builder maxMessagesPerReceive(int maxMessagesPerReceive) {
            this.maxMessagesPerReceive = checkRange("maxMessagesPerReceive", maxMessagesPerReceive, 1, 10);
            return this;
        }

        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = visibilityTimeout == null ? null : checkVisibility(visibilityTimeout);
            return this;
        }

        public Builder deleteFlushInterval(Duration deleteFlushInterval) {
            this.deleteFlushInterval = checkDuration("deleteFlushInterval", deleteFlushInterval, Duration.ZERO,
                    Duration.ofSeconds(10));
            return this;
        }

        public Builder deleteAttempts(int deleteAttempts) {
            this.deleteAttempts = checkRange("deleteAttempts", deleteAttempts, 1, 100);
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = checkDuration("shutdownTimeout", shutdownTimeout, Duration.ZERO, Duration.ofHours(12));
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = checkDuration("startupTimeout", startupTimeout, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        public Builder createQueues(boolean createQueues) {
            this.createQueues = createQueues;
            return this;
        }

        /** Sets the overrides for {@code queue}, replacing earlier ones. */
        public Builder queue(String queue, QueueConfig config) {
            queues.put(checkQueueName("queue", queue), Objects.requireNonNull(config, "config"));
            return this;
        }

        public WorkerConfig build() {
            return new WorkerConfig(this);
        }
    }
}
