package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as the handler of one SQS queue.
 *
 * <p>The method's parameters are bound per message: at most one unannotated parameter receives the payload, bound from
 * the JSON body (or the raw body when its type is {@code String}); parameters annotated with {@link MessageId},
 * {@link ReceiveCount}, {@link MessageAttribute} or {@link MessageAttributes} receive that part of the message; a
 * parameter of the AWS SDK type {@code software.amazon.awssdk.services.sqs.model.Message} receives the raw message.
 *
 * <p>The method returns {@code void} (it succeeded when it returns normally) or a {@code CompletionStage} (it succeeded
 * when the stage completes normally). On success the message is deleted; on failure the {@link Retry}, {@link Redelivery}
 * and {@link CircuitBreaker} policies decide what happens (by default: up to three calls, then a back-off, then the
 * dead-letter queue).
 *
 * <p>One queue has exactly one handler method in a worker.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SqsHandler {

    /**
     * The queue's name, for example {@code "order-processing"} or {@code "payments.fifo"}, or its URL ({@code
     * "https://sqs.eu-west-1.amazonaws.com/123456789012/orders"}, another account's too), used as given and named by
     * its last path segment. {@code ${key}} and {@code ${key:default}} placeholders take their values from the
     * worker's configuration (by default the system property {@code key}, else the environment variable {@code KEY}):
     * {@code "${orders.queue}"}. External configuration ({@code sluice.queues.<queue>.*}) names the resolved queue.
     */
    String queue();

    /**
     * How many messages of this queue may be handled at once. {@code 0} (the default) means the worker's default
     * concurrency. External configuration ({@code sluice.queues.<queue>.concurrency}) overrides this value.
     */
    int concurrency() default 0;

    /**
     * The longest one handler call may take, in seconds; after it the call is cancelled (its thread interrupted, or its
     * stage cancelled) and the message goes back to the queue for a later delivery. {@code 0} (the default) means no
     * limit besides SQS's 12 hours of visibility. External configuration ({@code
     * sluice.queues.<queue>.max-processing-time}) overrides this value.
     */
    long maxProcessingTimeSeconds() default 0;

    /**
     * On a standard queue whose messages carry a {@code MessageGroupId} (SQS fair queues): the most messages of one group
     * handled at once, so that one noisy tenant cannot take every handler slot; messages over the cap wait (kept
     * invisible) without holding up other groups. {@code 0} (the default) means no cap. A FIFO queue always handles one
     * message of a group at a time, in order. External configuration ({@code
     * sluice.queues.<queue>.max-concurrency-per-group}) overrides this value.
     */
    int maxConcurrencyPerGroup() default 0;

    /**
     * For a batch handler (one taking {@code Batch<T>}): the most messages per call, at most the queue's concurrency.
     * {@code 0} (the default) means 10. External configuration ({@code sluice.queues.<queue>.max-batch-size}) overrides
     * this value.
     */
    int maxBatchSize() default 0;

    /**
     * For a batch handler: the longest wait, in milliseconds, for a batch to fill before the call starts with what is
     * there. {@code 0} (the default) means 100 ms. External configuration ({@code
     * sluice.queues.<queue>.max-batch-wait}) overrides this value.
     */
    long maxBatchWaitMillis() default 0;

    /**
     * The most messages per second this worker receives from the queue, to protect a downstream that cannot take more:
     * enforced before each receive, so a message is never received only to wait; shared by the queue's pollers. {@code
     * 0} (the default) means no limit. External configuration ({@code sluice.queues.<queue>.rate}) overrides this value.
     */
    double maxMessagesPerSecond() default 0;

    /**
     * Messages received ahead of the handler slots: up to this many more than the concurrency are held, waiting (their
     * visibility kept by the heartbeat), so that a handler slot that frees up starts the next message at once instead of
     * waiting a receive round trip. At most the concurrency (so a prefetched message waits about one handler call at
     * most). {@code 0} means none; {@code -1} (the default) means none, or a receive's worth (10) under an {@link
     * AdaptiveConcurrency} limit (which then caps the calls, not the messages held). External configuration ({@code
     * sluice.queues.<queue>.prefetch}) overrides this value.
     */
    int prefetch() default -1;
}
