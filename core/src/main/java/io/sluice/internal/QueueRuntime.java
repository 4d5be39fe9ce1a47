package io.sluice.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sluice.AdaptiveConcurrencyPolicy;
import io.sluice.Delivery;
import io.sluice.QueueHealth;
import io.sluice.RetryPolicy;
import io.sluice.WorkerEvent;
import io.sluice.WorkerEvent.ReleaseReason;
import io.sluice.WorkerHealth;
import io.sluice.internal.ack.AckBatcher;
import io.sluice.internal.batch.Batcher;
import io.sluice.internal.batch.SendAction;
import io.sluice.internal.batch.SendEntry;
import io.sluice.internal.call.CallPipeline;
import io.sluice.internal.call.CallRunner;
import io.sluice.internal.call.DeliveryState;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.lease.LeaseActions;
import io.sluice.internal.lease.Leases;
import io.sluice.internal.limit.AdaptiveLimiter;
import io.sluice.internal.policy.Breakers;
import io.sluice.internal.policy.DeadLetterRouter;
import io.sluice.internal.policy.QueueFailurePolicy;
import io.sluice.internal.polling.BreakerGate;
import io.sluice.internal.polling.RateGate;
import io.sluice.internal.polling.Permits;
import io.sluice.internal.polling.PollerSettings;
import io.sluice.internal.polling.QueuePoller;
import io.sluice.internal.polling.ReceiveGate;
import io.sluice.internal.sink.MessageSink;
import io.sluice.internal.sink.Sinks;
import io.sluice.internal.support.MessageRules;
import io.sluice.internal.visibility.VisibilityHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Everything that serves one queue, wired in the order a message travels: pollers (asking the queue's {@link
 * ReceiveGate}, its circuit breaker, and taking handler slots from its {@link Permits}) hand each receive to {@link
 * Leases} (a lease per message: its slot, its heartbeat registration, its terminal action) and then to the queue's
 * {@link MessageSink} (fan-out, group-ordered or batching), which starts calls on the {@link CallRunner} (breaker
 * admission, maximum processing time, interceptors, bind and invoke) and carries out each delivery's settlement through
 * its lease: deletes and visibility changes in batches ({@link AckBatcher}), dead-letters through the {@link
 * DeadLetterRouter}.
 */
public final class QueueRuntime {

    /** Used when neither configuration nor the queue's attributes give a visibility timeout: SQS's default. */
    static final Duration DEFAULT_VISIBILITY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(QueueRuntime.class);

    private final QueueSettings settings;
    private final Permits permits;
    private final AdaptiveLimiter limiter;
    private final AckBatcher deletes;
    private final AckBatcher releases;
    private final Batcher<SendEntry, SendMessageBatchResultEntry> resends;
    private final VisibilityHeartbeat heartbeat;
    private final Leases leases;
    private final CallRunner runner;
    private final MessageSink sink;
    private final List<QueuePoller> pollers = new ArrayList<>();
    private final QueueFailurePolicy failurePolicy;
    private final String deadLetterQueue;
    private final WorkerServices services;
    private final CircuitBreaker breaker;
    private final String url;

    public QueueRuntime(QueueSettings settings, QueueResolver.QueueFacts facts, WorkerServices services) {
        this.settings = settings;
        this.services = services;
        this.url = facts.url();
        String queue = settings.queue();
        // Prefetch: the pollers may hold that many messages more than may run; the runner's call slots hold the rest.
        int prefetch = settings.prefetch();
        AdaptiveConcurrencyPolicy adaptive = settings.adaptiveConcurrency();
        int initialLimit = adaptive == null ? settings.concurrency() : adaptive.initialFor(settings.concurrency());
        this.permits = new Permits(settings.concurrency() + prefetch, initialLimit + prefetch);
        Permits starts = prefetch == 0 ? null : new Permits(settings.concurrency(), initialLimit);
        this.limiter = adaptive == null ? null : new AdaptiveLimiter(queue, adaptive, settings.concurrency(),
                services.events(), services.scheduler(), limit -> {
                    permits.limit(limit + prefetch);
                    if (starts != null) {
                        starts.limit(limit);
                    }
                });
        int attempts = services.config().deleteAttempts();
        this.deletes = new AckBatcher(queue, facts.url(), AckBatcher.Action.DELETE, services.transport(),
                services.scheduler(), services.config().deleteFlushInterval(), attempts);
        this.releases = new AckBatcher(queue, facts.url(), AckBatcher.Action.CHANGE_VISIBILITY, services.transport(),
                services.scheduler(), Duration.ZERO, attempts);
        this.resends = Batcher.builder(new SendAction(services.transport(), facts.url()), queue)
                .scheduler(services.scheduler()).flushInterval(services.config().deleteFlushInterval())
                .maxAttempts(attempts).maxBatchBytes(MessageRules.MAX_MESSAGE_SIZE).build();
        Duration visibility = settings.visibilityTimeout() != null ? settings.visibilityTimeout()
                : facts.visibilityTimeoutSeconds() != null ? Duration.ofSeconds(facts.visibilityTimeoutSeconds())
                : DEFAULT_VISIBILITY;
        this.heartbeat = visibility.isZero() ? null : new VisibilityHeartbeat(queue, facts.url(), visibility,
                services.transport(), services.scheduler(), attempts, services.events());
        int maxAttempts = effectiveMaxAttempts(settings, facts);
        this.failurePolicy = new QueueFailurePolicy(queue, settings.retry(), maxAttempts,
                facts.deadLetterUrl() != null, services.random());
        this.deadLetterQueue = facts.deadLetterQueue();
        DeadLetterRouter deadLetters = facts.deadLetterUrl() == null ? null
                : new DeadLetterRouter(queue, facts.deadLetterQueue(), facts.deadLetterUrl(), services.transport(),
                        services.scheduler());
        if (deadLetters == null) {
            LOG.warn("Queue '{}' has no dead-letter queue (no RedrivePolicy, none configured): poison and exhausted"
                    + " messages are left on it", queue);
        }
        HandlerMethod handler = settings.handler();
        this.leases = new Leases(queue, handler.name(), services.scheduler().clock(), permits, heartbeat,
                new LeaseActions(deletes, releases, deadLetters, resends), services.events());
        this.breaker = settings.circuitBreaker() == null ? null
                : services.breakers().breaker(settings.breakerName(), settings.circuitBreaker());
        ReceiveGate breakerGate = breaker == null ? ReceiveGate.always() : new BreakerGate(breaker, services.scheduler());
        ReceiveGate gate = settings.maxMessagesPerSecond() > 0 ? new RateGate(breakerGate,
                settings.maxMessagesPerSecond(), settings.maxMessages(), services.scheduler()) : breakerGate;
        this.runner = CallPipeline.builder().handler(handler).executor(services.executor())
                .scheduler(services.scheduler()).events(services.events()).failurePolicy(failurePolicy)
                .breaker(breaker).maxProcessingTime(settings.maxProcessingTime())
                .interceptors(services.interceptors()).ordered(settings.sinkRules().ordered())
                .limiter(limiter).starts(starts).build();
        MessageSink handlerSink = Sinks.create(settings.sinkRules(), runner, lease -> new DeliveryState(lease,
                failurePolicy.start(lease.message(), lease.delivery())), queue, services.events(), services.scheduler());
        this.sink = settings.fifo() ? handlerSink : Sinks.withDueTimes(handlerSink, services.scheduler().clock(),
                facts.maxReceiveCount());
        // Each poller waits for its share of the slots (at most a full receive) so that receives stay full under load.
        int minMessages = Math.max(1, Math.min(settings.maxMessages(), permits.capacity() / settings.pollers()));
        PollerSettings pollerSettings = new PollerSettings(queue, facts.url(), minMessages, settings.maxMessages(),
                settings.waitTime(), settings.visibilityTimeout(), handler.needsAllAttributes(), settings.fifo());
        QueuePoller.ReceiveSink receiveSink = new QueuePoller.ReceiveSink() {
            @Override
            public void accept(List<Message> messages) {
                sink.accept(leases.open(messages));
            }

            @Override
            public void late(List<Message> messages) {
                release(messages);
            }
        };
        for (int i = 1; i <= settings.pollers(); i++) {
            pollers.add(new QueuePoller(pollerSettings, i, services.transport(), permits, services.scheduler(), gate,
                    receiveSink, services.events()));
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
     * #abandonReceives()}) and stops starting handlers. Running handlers go on, their messages kept invisible by the
     * heartbeat.
     */
    public void stopReceiving() {
        pollers.forEach(QueuePoller::stopGracefully);
        runner.stopStarting();
    }

    /**
     * Releases (visibility 0) every delivery waiting in the sink or for a call: once no receive of this worker is open
     * (one would catch them straight back and spend a receive count on nothing).
     */
    public void releaseWaiting() {
        sink.stop();
        runner.releaseWaiting();
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
        return runner.cancelRunning();
    }

    /**
     * Completes when no handler of this queue is running, no receive holds a slot and every message held was settled
     * (its action submitted).
     */
    public CompletableFuture<Void> whenIdle() {
        return CompletableFuture.allOf(permits.whenIdle(), leases.whenEmpty());
    }

    /** Handler calls in progress now (not deliveries waiting for a retry, a thread or their turn). */
    public int handlersRunning() {
        return runner.calling();
    }

    /** Handler calls allowed at once now: the fixed concurrency, or the adaptive limit's current value. */
    public int concurrencyLimit() {
        return limiter == null ? settings.concurrency() : limiter.limit();
    }

    /** Messages this worker holds of the queue: received and not yet settled. */
    public int inFlight() {
        return leases.held();
    }

    /** The queue's URL. */
    public String url() {
        return url;
    }

    /**
     * The queue's part of the worker's health: its breaker, what it holds, its last receive, and whether a poller is
     * stuck (a receive in flight for longer than the long poll plus {@link WorkerHealth#STUCK_AFTER}).
     */
    public QueueHealth health() {
        long now = services.scheduler().clock().millis();
        long stuckAfter = settings.waitTime().plus(WorkerHealth.STUCK_AFTER).toMillis();
        long lastReceived = -1;
        boolean stuck = false;
        for (QueuePoller poller : pollers) {
            lastReceived = Math.max(lastReceived, poller.lastReceivedMillis());
            long since = poller.receivingSinceMillis();
            stuck |= since >= 0 && now - since > stuckAfter;
        }
        return new QueueHealth(settings.queue(), settings.handler().name(),
                breaker == null ? null : Breakers.map(breaker.getState()), inFlight(), handlersRunning(),
                lastReceived < 0 ? null : Instant.ofEpochMilli(lastReceived), stuck,
                new QueueHealth.Limits(settings.maxMessagesPerSecond(), concurrencyLimit()));
    }

    /** Sends pending deletes, releases and re-sends now; completes when every one is settled. */
    public CompletableFuture<Void> flush() {
        return CompletableFuture.allOf(resends.flush(), deletes.flush(), releases.flush());
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

    /** Makes messages that were received but will not be handled visible again at once (no lease: no handler). */
    private void release(List<Message> messages) {
        LOG.debug("Releasing {} message(s) of queue '{}' received after stop", messages.size(), settings.queue());
        for (Message message : messages) {
            Delivery delivery = new Delivery(settings.queue(), message.messageId(), settings.handler().name(),
                    HandlerMethod.receiveCount(message), services.scheduler().clock().instant());
            releases.submit(message, delivery, 0).whenComplete((ok, error) -> {
                if (error == null) {
                    services.events().publish(new WorkerEvent.Released(delivery, ReleaseReason.NOT_STARTED));
                }
            });
        }
    }
}
