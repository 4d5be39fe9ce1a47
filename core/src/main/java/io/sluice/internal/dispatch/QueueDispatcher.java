package io.sluice.internal.dispatch;

import io.sluice.Delivery;
import io.sluice.MessageBindingException;
import io.sluice.WorkerListener;
import io.sluice.internal.ack.AckBatcher;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.polling.Permits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Runs one queue's handler for each received message and settles the outcome: success queues the delete, failure goes
 * to the {@link FailurePolicy}. Either way the message's handler slot is released when the handler ends (for an
 * asynchronous handler, when its stage completes), which lets a poller receive the next message.
 *
 * <p>Thread safe: {@link #dispatch} is called from poller completion threads; handlers run on the executor.
 */
public final class QueueDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(QueueDispatcher.class);

    private final String queue;
    private final HandlerMethod handler;
    private final Executor executor;
    private final Permits permits;
    private final Clock clock;
    private final WorkerListener listener;
    private final AckBatcher deletes;
    private final FailurePolicy failurePolicy;
    private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();

    public QueueDispatcher(String queue, HandlerMethod handler, Executor executor, Permits permits, Clock clock,
            WorkerListener listener, AckBatcher deletes, FailurePolicy failurePolicy) {
        this.queue = queue;
        this.handler = handler;
        this.executor = executor;
        this.permits = permits;
        this.clock = clock;
        this.listener = listener;
        this.deletes = deletes;
        this.failurePolicy = failurePolicy;
    }

    /** Messages dispatched and not yet settled: queued for or running in a handler. */
    public int active() {
        return active.get();
    }

    /** Starts handling {@code message}; the caller has taken one handler slot for it, which this releases. */
    public void dispatch(Message message) {
        Delivery delivery = new Delivery(queue, message.messageId(), handler.name(),
                HandlerMethod.receiveCount(message), clock.instant());
        active.incrementAndGet();
        try {
            executor.execute(() -> handle(message, delivery));
        } catch (RejectedExecutionException e) {
            active.decrementAndGet();
            permits.release(1);
            LOG.warn("Not handling {}: the handler executor is shut down; SQS will deliver it again", delivery);
        }
    }

    private void handle(Message message, Delivery delivery) {
        Instant started = clock.instant();
        CompletionStage<?> outcome;
        try {
            outcome = handler.invoke(message);
        } catch (Throwable t) { // the handler machinery itself must never lose a slot
            outcome = CompletableFuture.failedFuture(t);
        }
        outcome.whenComplete((ignored, error) -> settle(message, delivery, started, error));
    }

    private void settle(Message message, Delivery delivery, Instant started, Throwable error) {
        try {
            if (error == null) {
                listener.onHandled(delivery, Duration.between(started, clock.instant()));
                deletes.submit(message, delivery, 0);
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                logFailure(delivery, cause);
                listener.onFailed(delivery, cause);
                failurePolicy.onFailure(message, delivery, cause);
            }
        } catch (RuntimeException e) {
            LOG.error("Settling {} failed; SQS will deliver it again", delivery, e);
        } finally {
            active.decrementAndGet();
            permits.release(1);
        }
    }

    private static void logFailure(Delivery delivery, Throwable cause) {
        if (cause instanceof MessageBindingException) {
            // Poison: the reason, never the body. No stack trace: it is the message that is wrong, not the code.
            LOG.warn("{}; it is left for SQS to redeliver or dead-letter", cause.getMessage());
        } else {
            LOG.warn("Handler failed for {}; SQS will deliver it again after its visibility timeout", delivery, cause);
        }
    }
}
