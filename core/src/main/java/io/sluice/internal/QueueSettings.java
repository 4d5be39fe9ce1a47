package io.sluice.internal;

import io.sluice.BreakerPolicy;
import io.sluice.QueueConfig;
import io.sluice.RetryPolicy;
import io.sluice.WorkerConfig;
import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.Redelivery;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.internal.handler.HandlerMethod;
import java.time.Duration;

/**
 * The effective settings of one queue: its {@link QueueConfig} over its handler's annotations ({@code @SqsHandler},
 * {@code @Retry}, {@code @Redelivery}, {@code @CircuitBreaker}) over the worker's defaults.
 *
 * @param retry             the failure policy ({@code maxAttempts} still to be made coherent with the queue's
 *                          RedrivePolicy at startup)
 * @param circuitBreaker    the breaker guarding the handler, or null for none
 * @param maxProcessingTime the longest handler call, or null for no limit
 */
public record QueueSettings(String queue, HandlerMethod handler, int concurrency, int pollers, int maxMessages,
        Duration waitTime, Duration visibilityTimeout, QueueConfig config, RetryPolicy retry,
        BreakerPolicy circuitBreaker, Duration maxProcessingTime) {

    /**
     * @throws IllegalArgumentException when an annotation holds a bad value, naming the handler and the value
     */
    public static QueueSettings resolve(HandlerMethod handler, WorkerConfig worker) {
        QueueConfig config = worker.queue(handler.queue());
        int concurrency = config.concurrency().orElse(handler.concurrency() > 0 ? handler.concurrency() : worker.concurrency());
        int maxMessages = Math.min(worker.maxMessagesPerReceive(), concurrency);
        int defaultPollers = worker.pollers() > 0 ? worker.pollers() : Math.max(1, (concurrency + 9) / 10);
        // A poller without a free slot can only wait, so more pollers than slots would never receive.
        int pollers = Math.min(concurrency, config.pollers().orElse(defaultPollers));
        Duration visibility = config.visibilityTimeout().orElse(worker.visibilityTimeout());
        try {
            RetryPolicy retry = retryPolicy(handler, worker, config);
            BreakerPolicy breaker = breakerPolicy(handler, config);
            Duration maxProcessingTime = config.maxProcessingTime().orElse(null);
            if (maxProcessingTime == null) {
                SqsHandler annotation = handler.method().getAnnotation(SqsHandler.class);
                long seconds = annotation == null ? 0 : annotation.maxProcessingTimeSeconds();
                if (seconds < 0 || seconds > Duration.ofHours(12).getSeconds()) {
                    throw new IllegalArgumentException("maxProcessingTimeSeconds must be between 0 and 43200, but was "
                            + seconds);
                }
                maxProcessingTime = seconds > 0 ? Duration.ofSeconds(seconds) : worker.maxProcessingTime();
            }
            return new QueueSettings(handler.queue(), handler, concurrency, pollers, maxMessages, worker.waitTime(),
                    visibility, config, retry, breaker, maxProcessingTime);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the policy of " + handler.name() + " (queue '" + handler.queue()
                    + "'): " + e.getMessage(), e);
        }
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
    private static Class<? extends Throwable>[] array(java.util.List<Class<? extends Throwable>> types) {
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

    /** The name of this queue's circuit breaker: the policy's shared name, or the queue's. */
    public String breakerName() {
        return circuitBreaker == null ? null : circuitBreaker.name().orElse(queue);
    }

    @Override
    public String toString() {
        return "queue '" + queue + "' -> " + handler.name() + " (concurrency " + concurrency + ", pollers " + pollers
                + ", up to " + maxMessages + " per receive, wait " + waitTime.getSeconds() + " s, visibility "
                + (visibilityTimeout == null ? "queue default" : visibilityTimeout.getSeconds() + " s")
                + ", retry " + retry.attempts() + " call(s) per delivery"
                + (maxProcessingTime == null ? "" : ", max processing time "
                        + io.sluice.time.Durations.format(maxProcessingTime))
                + (circuitBreaker == null ? "" : ", circuit breaker '" + breakerName() + "'") + ")";
    }
}
