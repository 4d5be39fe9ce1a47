package io.sluice.internal;

import io.sluice.AdaptiveConcurrencyPolicy;
import io.sluice.BreakerPolicy;
import io.sluice.QueueConfig;
import io.sluice.RetryPolicy;
import io.sluice.WorkerConfig;
import io.sluice.annotations.AdaptiveConcurrency;
import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.Redelivery;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.sink.SinkRules;
import io.sluice.internal.support.QueueNames;
import io.sluice.time.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The effective settings of one queue: its {@link QueueConfig} over its handler's annotations ({@code @SqsHandler},
 * {@code @Retry}, {@code @Redelivery}, {@code @CircuitBreaker}) over the worker's defaults. Immutable.
 */
public final class QueueSettings {

    /** A batch handler's most messages per call unless configured. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 10;
    /** A batch handler's longest wait for a batch to fill unless configured. */
    public static final Duration DEFAULT_MAX_BATCH_WAIT = Duration.ofMillis(100);

    private final HandlerMethod handler;
    private final QueueConfig config;
    private final int concurrency;
    private final int pollers;
    private final int maxMessages;
    private final Duration waitTime;
    private final Duration visibilityTimeout;
    private final RetryPolicy retry;
    private final BreakerPolicy circuitBreaker;
    private final Duration maxProcessingTime;
    private final SinkRules sinkRules;
    private final double maxMessagesPerSecond;
    private final AdaptiveConcurrencyPolicy adaptiveConcurrency;
    private final int prefetch;

    private QueueSettings(HandlerMethod handler, WorkerConfig worker, QueueConfig config) {
        SqsHandler annotation = handler.method().getAnnotation(SqsHandler.class);
        this.handler = handler;
        this.config = config;
        int fixed = config.concurrency().orElse(handler.concurrency() > 0 ? handler.concurrency()
                : worker.concurrency());
        this.adaptiveConcurrency = adaptiveConcurrency(handler, config);
        // Adaptive: the concurrency is the limit's ceiling (slots, pollers and threads are sized for it).
        this.concurrency = adaptiveConcurrency == null ? fixed : adaptiveConcurrency.maxFor(fixed);
        if (adaptiveConcurrency != null && adaptiveConcurrency.min() > concurrency) {
            throw new IllegalArgumentException("adaptive concurrency min " + adaptiveConcurrency.min()
                    + " is above the concurrency " + concurrency + " (its ceiling)");
        }
        this.maxMessages = Math.min(worker.maxMessagesPerReceive(), concurrency);
        // An adaptive limit caps the calls; a receive's worth held ahead keeps its slots busy between receives.
        this.prefetch = prefetch(annotation, config, concurrency, adaptiveConcurrency == null ? 0 : maxMessages);
        int defaultPollers = worker.pollers() > 0 ? worker.pollers() : Math.max(1, (concurrency + 9) / 10);
        // A poller without a free slot can only wait, so more pollers than slots would never receive.
        this.pollers = Math.min(concurrency, config.pollers().orElse(defaultPollers));
        this.waitTime = worker.waitTime();
        this.visibilityTimeout = config.visibilityTimeout().orElse(worker.visibilityTimeout());
        this.retry = retryPolicy(handler, worker, config);
        this.circuitBreaker = breakerPolicy(handler, config);
        this.maxProcessingTime = maxProcessingTime(annotation, worker, config);
        this.sinkRules = sinkRules(handler, annotation, config, concurrency);
        this.maxMessagesPerSecond = maxMessagesPerSecond(annotation, config);
    }

    private static double maxMessagesPerSecond(SqsHandler annotation, QueueConfig config) {
        if (config.maxMessagesPerSecond().isPresent()) {
            return config.maxMessagesPerSecond().getAsDouble();
        }
        double rate = annotation == null ? 0 : annotation.maxMessagesPerSecond();
        if (rate != 0 && !(rate > 0 && rate <= QueueConfig.MAX_MESSAGES_PER_SECOND)) {
            throw new IllegalArgumentException("maxMessagesPerSecond must be more than 0 and at most "
                    + (int) QueueConfig.MAX_MESSAGES_PER_SECOND + " (or 0 for no limit), but was " + rate);
        }
        return rate;
    }

    private static AdaptiveConcurrencyPolicy adaptiveConcurrency(HandlerMethod handler, QueueConfig config) {
        if (config.adaptiveConcurrency().isPresent()) {
            return config.adaptiveConcurrency().get();
        }
        AdaptiveConcurrency annotation = handler.method().getAnnotation(AdaptiveConcurrency.class);
        if (annotation == null) {
            return null;
        }
        AdaptiveConcurrencyPolicy.Builder policy = AdaptiveConcurrencyPolicy.builder()
                .algorithm(AdaptiveConcurrencyPolicy.Algorithm.parse(annotation.algorithm()))
                .min(annotation.min());
        if (annotation.max() != 0) {
            policy.max(annotation.max());
        }
        if (annotation.initial() != 0) {
            policy.initial(annotation.initial());
        }
        return policy.build();
    }

    private static int prefetch(SqsHandler annotation, QueueConfig config, int concurrency, int byDefault) {
        int prefetch = config.prefetch().orElse(annotation == null || annotation.prefetch() < 0 ? byDefault
                : annotation.prefetch());
        if (prefetch < 0 || prefetch > concurrency) {
            throw new IllegalArgumentException("prefetch must be between 0 and the concurrency " + concurrency
                    + " (a prefetched message then waits about one handler call at most), but was " + prefetch);
        }
        return prefetch;
    }

    /** The adaptive concurrency limit, or {@code null} for a fixed {@link #concurrency()}. */
    public AdaptiveConcurrencyPolicy adaptiveConcurrency() {
        return adaptiveConcurrency;
    }

    /** Messages held ahead of the handler slots (0: none). */
    public int prefetch() {
        return prefetch;
    }

    /** The most messages per second received from the queue, or 0 for no limit. */
    public double maxMessagesPerSecond() {
        return maxMessagesPerSecond;
    }

    /**
     * @throws IllegalArgumentException when an annotation holds a bad value, naming the handler and the value
     */
    public static QueueSettings resolve(HandlerMethod handler, WorkerConfig worker) {
        try {
            return new QueueSettings(handler, worker, worker.queue(handler.queue()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the policy of " + handler.name() + " (queue '" + handler.queue()
                    + "'): " + e.getMessage(), e);
        }
    }

    public String queue() {
        return handler.queue();
    }

    public HandlerMethod handler() {
        return handler;
    }

    public int concurrency() {
        return concurrency;
    }

    public int pollers() {
        return pollers;
    }

    public int maxMessages() {
        return maxMessages;
    }

    public Duration waitTime() {
        return waitTime;
    }

    /** The visibility requested on receive, or {@code null} for the queue's own. */
    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    public QueueConfig config() {
        return config;
    }

    /** The failure policy ({@code maxAttempts} still to be made coherent with the queue's RedrivePolicy at startup). */
    public RetryPolicy retry() {
        return retry;
    }

    /** The breaker guarding the handler, or {@code null} for none. */
    public BreakerPolicy circuitBreaker() {
        return circuitBreaker;
    }

    /** The longest handler call, or {@code null} for no limit. */
    public Duration maxProcessingTime() {
        return maxProcessingTime;
    }

    /** How messages reach the handler: FIFO order, a per-group cap, batches. */
    public SinkRules sinkRules() {
        return sinkRules;
    }

    /** Whether the queue is a FIFO queue (by its name). */
    public boolean fifo() {
        return QueueNames.isFifo(queue());
    }

    /** The name of this queue's circuit breaker: the policy's shared name, or the queue's. */
    public String breakerName() {
        return circuitBreaker == null ? null : circuitBreaker.name().orElse(queue());
    }

    private static Duration maxProcessingTime(SqsHandler annotation, WorkerConfig worker, QueueConfig config) {
        if (config.maxProcessingTime().isPresent()) {
            return config.maxProcessingTime().get();
        }
        long seconds = annotation == null ? 0 : annotation.maxProcessingTimeSeconds();
        if (seconds < 0 || seconds > Duration.ofHours(12).getSeconds()) {
            throw new IllegalArgumentException("maxProcessingTimeSeconds must be between 0 and 43200, but was "
                    + seconds);
        }
        return seconds > 0 ? Duration.ofSeconds(seconds) : worker.maxProcessingTime();
    }

    private static SinkRules sinkRules(HandlerMethod handler, SqsHandler annotation, QueueConfig config,
            int concurrency) {
        int perGroup = config.maxConcurrencyPerGroup().orElse(annotation == null ? 0 : annotation.maxConcurrencyPerGroup());
        if (perGroup < 0) {
            throw new IllegalArgumentException("maxConcurrencyPerGroup must be positive (or 0 for no cap), but was "
                    + perGroup);
        }
        boolean fifo = QueueNames.isFifo(handler.queue());
        if (fifo && perGroup > 1) {
            throw new IllegalArgumentException("maxConcurrencyPerGroup " + perGroup + " is not possible on a FIFO"
                    + " queue: SQS hands out one message of a group at a time, in order");
        }
        int cap = perGroup == 0 ? Integer.MAX_VALUE : perGroup;
        if (!handler.isBatch()) {
            return new SinkRules(fifo, cap, 0, Duration.ZERO, concurrency);
        }
        int size = config.maxBatchSize().orElse(annotation == null || annotation.maxBatchSize() == 0
                ? Math.min(DEFAULT_MAX_BATCH_SIZE, concurrency) : annotation.maxBatchSize());
        if (size < 1 || size > concurrency) {
            throw new IllegalArgumentException("maxBatchSize must be between 1 and the queue's concurrency "
                    + concurrency + " (a batch holds that many handler slots), but was " + size);
        }
        long waitMillis = annotation == null ? 0 : annotation.maxBatchWaitMillis();
        if (waitMillis < 0 || waitMillis > 60_000) {
            throw new IllegalArgumentException("maxBatchWaitMillis must be between 0 and 60000, but was " + waitMillis);
        }
        Duration wait = config.maxBatchWait().orElse(waitMillis == 0 ? DEFAULT_MAX_BATCH_WAIT
                : Duration.ofMillis(waitMillis));
        return new SinkRules(fifo, cap, size, wait, 0);
    }

    private static RetryPolicy retryPolicy(HandlerMethod handler, WorkerConfig worker, QueueConfig config) {
        RetryPolicy.Builder builder = worker.retry().toBuilder();
        Retry retry = handler.method().getAnnotation(Retry.class);
        if (retry != null) {
            if (retry.attempts() != 0) {
                builder.attempts(retry.attempts());
            }
            if (retry.delayMillis() != 0) {
                builder.delay(Duration.ofMillis(retry.delayMillis()));
            }
            if (retry.multiplier() != 0) {
                builder.multiplier(retry.multiplier());
            }
            if (retry.retryOn().length > 0) {
                builder.retryOn(retry.retryOn());
            }
            if (retry.noRetryOn().length > 0) {
                builder.noRetryOn(retry.noRetryOn());
            }
        }
        Redelivery redelivery = handler.method().getAnnotation(Redelivery.class);
        if (redelivery != null) {
            if (redelivery.maxAttempts() != 0) {
                builder.maxAttempts(redelivery.maxAttempts());
            }
            if (redelivery.backoffSeconds() != 0) {
                builder.backoff(Duration.ofSeconds(redelivery.backoffSeconds()));
            }
            if (redelivery.maxBackoffSeconds() != 0) {
                builder.maxBackoff(Duration.ofSeconds(redelivery.maxBackoffSeconds()));
            }
        }
        config.retryAttempts().ifPresent(builder::attempts);
        config.retryOn().ifPresent(types -> builder.retryOn(array(types)));
        config.noRetryOn().ifPresent(types -> builder.noRetryOn(array(types)));
        config.maxAttempts().ifPresent(builder::maxAttempts);
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Throwable>[] array(List<Class<? extends Throwable>> types) {
        return types.toArray(new Class[0]);
    }

    private static BreakerPolicy breakerPolicy(HandlerMethod handler, QueueConfig config) {
        if (config.circuitBreaker().isPresent()) {
            return config.circuitBreaker().get();
        }
        CircuitBreaker annotation = handler.method().getAnnotation(CircuitBreaker.class);
        if (annotation == null) {
            return null;
        }
        BreakerPolicy.Builder builder = BreakerPolicy.builder()
                .failureRateThreshold(annotation.failureRateThreshold())
                .waitInOpen(Duration.ofSeconds(annotation.waitInOpenSeconds()))
                .permittedInHalfOpen(annotation.permittedInHalfOpen());
        if (annotation.minimumCalls() != 0) {
            builder.minimumCalls(annotation.minimumCalls());
        }
        if (!annotation.name().isEmpty()) {
            builder.name(annotation.name());
        }
        return builder.build();
    }

    @Override
    public String toString() {
        String limit = adaptiveConcurrency == null ? String.valueOf(concurrency) : "adaptive, "
                + adaptiveConcurrency.algorithm().name().toLowerCase(Locale.ROOT) + " " + adaptiveConcurrency.min()
                + ".." + concurrency;
        return "queue '" + queue() + "' -> " + handler.name() + " (concurrency " + limit
                + (prefetch == 0 ? "" : ", prefetch " + prefetch) + ", pollers " + pollers
                + ", up to " + maxMessages + " per receive, wait " + waitTime.getSeconds() + " s, visibility "
                + (visibilityTimeout == null ? "queue default" : visibilityTimeout.getSeconds() + " s")
                + ", retry " + retry.attempts() + " call(s) per delivery"
                + (maxProcessingTime == null ? "" : ", max processing time " + Durations.format(maxProcessingTime))
                + (circuitBreaker == null ? "" : ", circuit breaker '" + breakerName() + "'")
                + (sinkRules.ordered() ? ", FIFO: one message per group at a time, in order" : "")
                + (sinkRules.groupCap() != Integer.MAX_VALUE ? ", at most " + sinkRules.groupCap() + " per group" : "")
                + (sinkRules.batching() ? ", batches of up to " + sinkRules.maxBatchSize() + " (waiting at most "
                        + Durations.format(sinkRules.maxBatchWait()) + ")" : "") + ")";
    }
}
