package io.sluice.internal;

import io.sluice.Delivery;
import io.sluice.WorkerConfig;
import io.sluice.WorkerListener;
import io.sluice.internal.ack.AckBatcher;
import io.sluice.internal.dispatch.FailurePolicy;
import io.sluice.internal.dispatch.QueueDispatcher;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.polling.Permits;
import io.sluice.internal.polling.QueuePoller;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Everything that serves one queue, wired in the order a message travels: pollers (taking handler slots from the
 * queue's {@link Permits}) → {@link QueueDispatcher} (runs the handler) → {@link AckBatcher} (deletes in batches), with
 * a second batcher that hands messages back (visibility 0) when they were received but cannot be started.
 */
public final class QueueRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(QueueRuntime.class);

    private final QueueSettings settings;
    private final Permits permits;
    private final AckBatcher deletes;
    private final AckBatcher releases;
    private final List<QueuePoller> pollers = new ArrayList<>();
    private final Scheduler scheduler;
    private final QueueDispatcher dispatcher;

    public QueueRuntime(QueueSettings settings, String queueUrl, SqsTransport transport, Scheduler scheduler,
            Executor executor, WorkerListener listener, WorkerConfig config, FailurePolicy failurePolicy) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.permits = new Permits(settings.concurrency());
        String queue = settings.queue();
        this.deletes = new AckBatcher(queue, queueUrl, AckBatcher.Action.DELETE, transport, scheduler,
                config.deleteFlushInterval(), config.deleteAttempts(), new AckBatcher.Callback() {
                    @Override
                    public void succeeded(Message message, Delivery delivery) {
                        listener.onDeleted(delivery);
                    }

                    @Override
                    public void failed(Message message, Delivery delivery, Throwable cause) {
                        listener.onDeleteFailed(delivery, cause);
                    }
                });
        this.releases = new AckBatcher(queue, queueUrl, AckBatcher.Action.CHANGE_VISIBILITY, transport, scheduler,
                java.time.Duration.ZERO, config.deleteAttempts(), new AckBatcher.Callback() {
                    @Override
                    public void succeeded(Message message, Delivery delivery) {
                    }

                    @Override
                    public void failed(Message message, Delivery delivery, Throwable cause) {
                        // Still invisible until its timeout runs out; then SQS delivers it again. Nothing is lost.
                    }
                });
        HandlerMethod handler = settings.handler();
        this.dispatcher = new QueueDispatcher(queue, handler, executor, permits, scheduler.clock(), listener,
                deletes, failurePolicy);
        // Each poller waits for its share of the slots (at most a full receive) so that receives stay full under load.
        int minMessages = Math.max(1, Math.min(settings.maxMessages(), settings.concurrency() / settings.pollers()));
        for (int i = 1; i <= settings.pollers(); i++) {
            pollers.add(new QueuePoller(queue, queueUrl, i, transport, permits, scheduler, minMessages,
                    settings.maxMessages(), settings.waitTime(), settings.visibilityTimeout(),
                    handler.needsAllAttributes(), dispatcher::dispatch, this::release));
        }
    }

    public QueueSettings settings() {
        return settings;
    }

    public void start() {
        pollers.forEach(QueuePoller::start);
    }

    /** Stops every poller; open long polls are abandoned. */
    public void stopReceiving() {
        pollers.forEach(QueuePoller::stop);
    }

    /** Completes when no handler of this queue is running and no receive holds a slot. */
    public CompletableFuture<Void> whenIdle() {
        return permits.whenIdle();
    }

    /** Messages handed to the handler and not yet settled. */
    public int inFlight() {
        return dispatcher.active();
    }

    /** Sends pending deletes and releases now; completes when every one is settled. */
    public CompletableFuture<Void> flush() {
        return CompletableFuture.allOf(deletes.flush(), releases.flush());
    }

    /** Makes messages that were received but will not be handled visible again at once. */
    private void release(List<Message> messages) {
        LOG.debug("Releasing {} message(s) of queue '{}' received after stop", messages.size(), settings.queue());
        for (Message message : messages) {
            Delivery delivery = new Delivery(settings.queue(), message.messageId(), settings.handler().name(),
                    HandlerMethod.receiveCount(message), scheduler.clock().instant());
            releases.submit(message, delivery, 0);
        }
    }
}
