package io.sluice.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sluice.Delivery;
import io.sluice.RetryPolicy;
import io.sluice.WorkerConfig;
import io.sluice.WorkerListener;
import io.sluice.internal.ack.AckBatcher;
import io.sluice.internal.dispatch.QueueDispatcher;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.policy.BreakerGate;
import io.sluice.internal.policy.Breakers;
import io.sluice.internal.policy.DeadLetterRouter;
import io.sluice.internal.policy.QueueFailurePolicy;
import io.sluice.internal.polling.Permits;
import io.sluice.internal.polling.QueuePoller;
import io.sluice.internal.polling.ReceiveGate;
import io.sluice.internal.visibility.VisibilityHeartbeat;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Everything that serves one queue, wired in the order a message travels: pollers (asking the queue's {@link
 * ReceiveGate} — its circuit breaker — and taking handler slots from its {@link Permits}) → {@link QueueDispatcher}
 * (runs the handler while the {@link VisibilityHeartbeat} keeps the message invisible; the {@link QueueFailurePolicy}
 * decides about failures; {@link DeadLetterRouter} sends to the DLQ) → {@link AckBatcher}s: one deletes in batches, a
 * second changes visibility (releases at 0, redelivery back-offs).
 */
public final class QueueRuntime {

    /** Used when neither configuration nor the queue's attributes give a visibility timeout: SQS's default. */
    static final Duration DEFAULT_VISIBILITY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(QueueRuntime.class);

    private final QueueSettings settings;
    private final Permits permits;
    private final AckBatcher deletes;
    private final AckBatcher releases;
    private final VisibilityHeartbeat heartbeat;
    private final List<QueuePoller> pollers = new ArrayList<>();
    private final Scheduler scheduler;
    private final QueueDispatcher dispatcher;
    private final QueueFailurePolicy failurePolicy;
    private final String deadLetterQueue;

    public QueueRuntime(QueueSettings settings, QueueResolver.QueueFacts facts, SqsTransport transport,
            Scheduler scheduler, Executor executor, WorkerListener listener, WorkerConfig config, Breakers breakers,
            RandomGenerator random) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.permits = new Permits(settings.concurrency());
        String queue = settings.queue();
        String queueUrl = facts.url();
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
                Duration.ZERO, config.deleteAttempts(), new AckBatcher.Callback() {
                    @Override
                    public void succeeded(Message message, Delivery delivery) {
                    }

                    @Override
                    public void failed(Message message, Delivery delivery, Throwable cause) {
                        // Still invisible until its timeout runs out; then SQS delivers it again. Nothing is lost.
                    }
                });
        Duration visibility = settings.visibilityTimeout() != null ? settings.visibilityTimeout()
                : facts.visibilityTimeoutSeconds() != null ? Duration.ofSeconds(facts.visibilityTimeoutSeconds())
                : DEFAULT_VISIBILITY;
        this.heartbeat = visibility.isZero() ? null
                : new VisibilityHeartbeat(queue, queueUrl, visibility, transport, scheduler, config.deleteAttempts());

        int maxAttempts = effectiveMaxAttempts(settings, facts);
        this.failurePolicy = new QueueFailurePolicy(queue, settings.retry(), maxAttempts,
                facts.deadLetterUrl() != null, random);
        this.deadLetterQueue = facts.deadLetterQueue();
        DeadLetterRouter deadLetters = facts.deadLetterUrl() == null ? null
                : new DeadLetterRouter(queue, facts.deadLetterQueue(), facts.deadLetterUrl(), transport,
                        scheduler);
        if (deadLetters == null) {
            LOG.warn("Queue '{}' has no dead-letter queue (no RedrivePolicy, none configured): poison and exhausted"
                    + " messages are left on it", queue);
        }
        CircuitBreaker breaker = settings.circuitBreaker() == null ? null
                : breakers.breaker(settings.breakerName(), settings.circuitBreaker());
        ReceiveGate gate = breaker == null ? ReceiveGate.always() : new BreakerGate(breaker, scheduler);

        HandlerMethod handler = settings.handler();
        this.dispatcher = new QueueDispatcher(queue, handler, executor, permits, scheduler, listener, deletes,
                releases, heartbeat, failurePolicy, deadLetters, breaker, gate, settings.maxProcessingTime(), maxAttempts);
        // Each poller waits for its share of the slots (at most a full receive) so that receives stay full under load.
        int minMessages = Math.max(1, Math.min(settings.maxMessages(), settings.concurrency() / settings.pollers()));
        for (int i = 1; i <= settings.pollers(); i++) {
            pollers.add(new QueuePoller(queue, queueUrl, i, transport, permits, scheduler, minMessages,
                    settings.maxMessages(), settings.waitTime(), settings.visibilityTimeout(),
                    handler.needsAllAttributes(), dispatcher::dispatch, this::release, gate));
        }
    }

    /**
     * The deliveries after which Sluice dead-letters: the policy's maxAttempts, else the RedrivePolicy's
     * maxReceiveCount, else {@link RetryPolicy#DEFAULT_MAX_ATTEMPTS}; never above maxReceiveCount, since SQS would move
     * the message first (without the reason).
     */
    static int effectiveMaxAttempts(QueueSettings settings, QueueResolver.QueueFacts facts) {
        Integer maxReceiveCount = facts.maxReceiveCount();
        if (settings.retry().maxAttempts().isEmpty()) {
            return maxReceiveCount != null ? maxReceiveCount : RetryPolicy.DEFAULT_MAX_ATTEMPTS;
        }
        int configured = settings.retry().maxAttempts().getAsInt();
        if (maxReceiveCount != null && configured > maxReceiveCount) {
            LOG.warn("Queue '{}': maxAttempts {} exceeds its RedrivePolicy's maxReceiveCount {}; SQS would move a"
                    + " message to the DLQ first, so Sluice dead-letters after {} deliveries", settings.queue(),
                    configured, maxReceiveCount, maxReceiveCount);
            return maxReceiveCount;
        }
        return configured;
    }

    public QueueSettings settings() {
        return settings;
    }

    /** The failure policy in force, with its effective maxAttempts. */
    public QueueFailurePolicy failurePolicy() {
        return failurePolicy;
    }

    public void start() {
        pollers.forEach(QueuePoller::start);
    }

    /**
     * Stops every poller (a receive in flight may still return: its messages are released; see {@link
     * #abandonReceives()}) and stops starting handlers: deliveries not yet started are
     * released (visibility 0). Running handlers go on, their messages kept invisible by the heartbeat.
     */
    public void stopReceiving() {
        pollers.forEach(QueuePoller::stopGracefully);
        dispatcher.stop();
    }

    /** Completes when no poller of this queue has a receive in flight. */
    public CompletableFuture<Void> whenNotReceiving() {
        return CompletableFuture.allOf(pollers.stream().map(QueuePoller::whenNotReceiving)
                .toArray(CompletableFuture[]::new));
    }

    /** Abandons the receives still in flight (idle long polls). */
    public void abandonReceives() {
        pollers.forEach(QueuePoller::abandonReceive);
    }

    /** Cancels the handler calls still running and releases their messages; returns how many. */
    public int cancelRunning() {
        return dispatcher.cancelRunning();
    }

    /** Completes when no handler of this queue is running and no receive holds a slot. */
    public CompletableFuture<Void> whenIdle() {
        return permits.whenIdle();
    }

    /** Messages handed to the handler and not yet settled. */
    /** Handler calls in progress now (not deliveries waiting for a retry or a thread). */
    public int handlersRunning() {
        return dispatcher.calling();
    }

    public int inFlight() {
        return dispatcher.active();
    }

    /** Sends pending deletes and releases now; completes when every one is settled. */
    public CompletableFuture<Void> flush() {
        return CompletableFuture.allOf(deletes.flush(), releases.flush());
    }

    /** Stops the visibility heartbeat (after the last handler settled). */
    public void close() {
        if (heartbeat != null) {
            heartbeat.close();
        }
    }

    @Override
    public String toString() {
        return settings + ", " + failurePolicy + (deadLetterQueue == null ? "" : ", DLQ '" + deadLetterQueue + "'");
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
