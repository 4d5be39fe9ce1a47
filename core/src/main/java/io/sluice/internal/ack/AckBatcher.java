package io.sluice.internal.ack;

import io.sluice.Delivery;
import io.sluice.internal.batch.Batcher;
import io.sluice.internal.support.Backoff;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * One queue's deletes (or visibility changes), on the {@link Batcher}: calls of up to ten entries, sent as soon as ten
 * wait or when the oldest has waited the flush interval; each entry settled on its own, transient failures retried with
 * back-off up to a number of attempts, failures for good (a stale receipt handle, a missing queue, attempts spent)
 * reported through the entry's future. None is dropped silently: a message whose delete failed is delivered again, a
 * duplicate rather than a loss. Thread safe.
 */
public final class AckBatcher {

    /** Which batch action this batcher performs. */
    public enum Action {
        DELETE,
        CHANGE_VISIBILITY
    }

    private static final Backoff RETRY_BACKOFF = Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(5));

    private final Batcher<Ack, ?> batcher;

    public AckBatcher(String queue, String queueUrl, Action action, SqsTransport transport, Scheduler scheduler,
            Duration flushInterval, int maxAttempts) {
        this.batcher = Batcher.builder(new AckAction(action, transport, queueUrl), queue).scheduler(scheduler).flushInterval(flushInterval)
                .maxAttempts(maxAttempts).backoff(RETRY_BACKOFF).build();
    }

    /**
     * Queues the action for {@code message}.
     *
     * @param visibilitySeconds the new visibility timeout, for {@link Action#CHANGE_VISIBILITY}; ignored otherwise
     * @return completes normally once SQS did it, or exceptionally with why it failed for good
     */
    public CompletableFuture<?> submit(Message message, Delivery delivery, int visibilitySeconds) {
        return batcher.submit(new Ack(message, delivery, visibilitySeconds));
    }

    /** Entries not yet settled: buffered, in a call, or waiting for a retry. */
    public int unsettled() {
        return batcher.unsettled();
    }

    /**
     * Sends every buffered entry now, and returns a future that completes when every entry submitted so far is settled
     * (including retries).
     */
    public CompletableFuture<Void> flush() {
        return batcher.flush();
    }

    /** One message to delete or change the visibility of. */
    record Ack(Message message, Delivery delivery, int visibilitySeconds) {
    }
}
