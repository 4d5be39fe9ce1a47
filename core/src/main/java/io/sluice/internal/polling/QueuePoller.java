package io.sluice.internal.polling;

import io.sluice.WorkerEvent;
import io.sluice.internal.events.Events;
import io.sluice.internal.support.Backoff;
import io.sluice.internal.support.Failures;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * One long-polling loop over one queue: take free handler slots, receive at most that many messages, hand the whole
 * receive to the queue's {@link ReceiveSink}, and go again. It never blocks a thread: each step continues on the
 * completion of the one before. A queue has one or more pollers sharing its {@link Permits}.
 *
 * <p>Once it holds free slots, and just before each receive, the poller asks its {@link ReceiveGate} how many messages
 * it may receive (a circuit breaker that is open holds it there, without receiving). Receive failures are retried
 * after an exponential back-off (200 ms doubling to 10 s, with jitter) on the injected {@link Scheduler}, each
 * published as {@code ReceiveFailed}. On a FIFO queue every receive carries a {@code ReceiveRequestAttemptId}, and a
 * receive retried after a failure reuses it, as SQS asks (the retry then returns the same messages and receipt handles
 * if the failed one had taken any). After {@link #stop()}, no new receive starts and the open long poll is abandoned;
 * messages that a receive returns after the stop go to {@link ReceiveSink#late} (which makes them visible again), never
 * dropped.
 */
public final class QueuePoller {

    private static final Logger LOG = LoggerFactory.getLogger(QueuePoller.class);
    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(200), 2, Duration.ofSeconds(10));
    /** Where a poller's receives go. */
    public interface ReceiveSink {
        /** The messages of one receive, in order; the caller's slots (one per message) go with them. */
        void accept(List<Message> messages);

        /** Messages received that will not be handled (after a stop, or beyond the slots asked for): release them. */
        void late(List<Message> messages);
    }

    private final PollerSettings settings;
    private final int id;
    private final SqsTransport transport;
    private final Permits permits;
    private final Scheduler scheduler;
    private final ReceiveGate gate;
    private final ReceiveSink sink;
    private final Events events;
    private final AtomicInteger wip = new AtomicInteger();

    private volatile boolean running;
    private volatile CompletableFuture<?> pending;
    private volatile CompletableFuture<?> receiving;
    private volatile Scheduler.Cancellable backoffTask;
    private int consecutiveFailures;
    /** When the receive in flight was sent ({@code -1}: none); a health check finds a receive that never returns. */
    private volatile long receivingSinceMillis = -1;
    /** When a receive last completed without error ({@code -1}: never). */
    private volatile long lastReceivedMillis = -1;
    /** The FIFO receive attempt id to reuse: set after a failed receive, cleared by a successful one. */
    private String retryAttemptId;

    /**
     * @param gate consulted before each receive (a circuit breaker holds the poller while open, and admits only probes
     *             while half-open)
     */
    public QueuePoller(PollerSettings settings, int id, SqsTransport transport, Permits permits, Scheduler scheduler,
            ReceiveGate gate, ReceiveSink sink, Events events) {
        this.settings = settings;
        this.id = id;
        this.transport = transport;
        this.permits = permits;
        this.scheduler = scheduler;
        this.gate = gate;
        this.sink = sink;
        this.events = events;
    }

    public void start() {
        running = true;
        loop();
    }

    /** Stops receiving: no new receive starts, and an open long poll or slot wait is abandoned. */
    public void stop() {
        stopGracefully();
        abandonReceive();
    }

    /**
     * Stops receiving without abandoning a receive already sent: its messages (once it returns) are passed to {@code
     * onLate}, which makes them visible again. A receive abandoned while its response is on the wire would leave its
     * messages invisible until their timeout; {@link #abandonReceive()} ends an idle long poll after a grace period.
     */
    public void stopGracefully() {
        running = false;
        Scheduler.Cancellable backoff = backoffTask;
        if (backoff != null) {
            backoff.cancel();
        }
        CompletableFuture<?> current = pending;
        if (current != null && current != receiving) {
            current.cancel(true);
        }
    }

    /** Abandons the receive in flight, if any. */
    public void abandonReceive() {
        CompletableFuture<?> current = receiving;
        if (current != null) {
            current.cancel(true);
        }
    }

    /** Completes when no receive of this poller is in flight. */
    public CompletableFuture<Void> whenNotReceiving() {
        CompletableFuture<?> current = receiving;
        return current == null ? CompletableFuture.completedFuture(null)
                : current.handle((response, error) -> null);
    }

    public boolean isRunning() {
        return running;
    }

    /** Runs steps one after another on this thread when they complete synchronously; no recursion, no lost wake-up. */
    private void loop() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            if (running) {
                step();
            }
        } while (wip.decrementAndGet() != 0);
    }

    /**
     * Slots first, then the gate, then the receive at once: the gate's admission is never stale (a breaker that opened
     * while the poller waited for slots stops the receive), and the gate sees exactly the receives in flight.
     */
    private void step() {
        CompletableFuture<Integer> slots = permits.acquire(settings.minMessages(), settings.maxMessages());
        pending = slots;
        if (settings.minMessages() > 1 && !slots.isDone()) {
            BatchWait wait = new BatchWait(scheduler, permits, slots);
            wait.schedule(permits.available());
            slots.whenComplete((taken, error) -> wait.cancel());
        }
        if (!running) {
            slots.cancel(false);
        }
        slots.whenComplete((taken, error) -> {
            if (error != null) {
                return; // cancelled by stop()
            }
            if (!running) {
                permits.release(taken);
                return;
            }
            admit(taken);
        });
    }

    private void admit(int taken) {
        CompletableFuture<Integer> admission = gate.admit(taken);
        pending = admission;
        if (!running) {
            admission.cancel(false);
        }
        admission.whenComplete((admitted, error) -> {
            if (error != null) {
                permits.release(taken); // cancelled by stop()
                return;
            }
            if (!running) {
                permits.release(taken);
                gate.received(admitted, 0);
                return;
            }
            // A half-open breaker may admit fewer than the slots taken: give the rest back.
            permits.release(taken - admitted);
            receive(admitted);
        });
    }

    private void receive(int taken) {
        if (settings.fifo() && retryAttemptId == null) {
            retryAttemptId = UUID.randomUUID().toString();
        }
        ReceiveMessageRequest request = settings.request(taken, retryAttemptId);
        CompletableFuture<ReceiveMessageResponse> receive;
        try {
            receive = transport.receiveMessage(request);
        } catch (RuntimeException e) {
            receive = CompletableFuture.failedFuture(e);
        }
        pending = receive;
        receiving = receive;
        receivingSinceMillis = scheduler.clock().millis();
        if (!running) {
            receive.cancel(true); // stop() ran between the slot check and this receive: abandon it too
        }
        receive.whenComplete((response, error) -> {
            receiving = null;
            receivingSinceMillis = -1;
            if (error == null) {
                lastReceivedMillis = scheduler.clock().millis();
            }
            gate.received(taken, error == null ? Math.min(taken, response.messages().size()) : 0);
            onReceived(taken, response, error);
        });
    }

    private void onReceived(int taken, ReceiveMessageResponse response, Throwable error) {
        if (error != null) {
            permits.release(taken);
            Throwable cause = Failures.unwrap(error);
            if (!running) {
                return; // stopped: the long poll was abandoned on purpose
            }
            backOff(cause); // a FIFO receive tried again keeps its attempt id
            return;
        }
        consecutiveFailures = 0;
        retryAttemptId = null;
        List<Message> messages = response.messages();
        List<Message> accepted = messages;
        if (messages.size() > taken) {
            // More than asked for would overrun the handler slots: hand the surplus back to the queue at once.
            LOG.warn("Queue '{}' returned {} messages for a receive of at most {}; releasing the surplus",
                    settings.queue(), messages.size(), taken);
            accepted = messages.subList(0, taken);
            sink.late(List.copyOf(messages.subList(taken, messages.size())));
        }
        permits.release(taken - accepted.size());
        if (!running) {
            if (!accepted.isEmpty()) {
                // Submit the release before freeing the slots: a stop flushes once every slot is free.
                try {
                    sink.late(accepted);
                } finally {
                    permits.release(accepted.size());
                }
            }
            return;
        }
        if (!accepted.isEmpty()) {
            sink.accept(accepted);
        }
        loop();
    }

    private void backOff(Throwable cause) {
        consecutiveFailures++;
        Duration delay = BACKOFF.jittered(consecutiveFailures, ThreadLocalRandom.current());
        if (cause instanceof QueueDoesNotExistException) {
            LOG.error("Queue '{}' no longer exists (poller {}); retrying in {} ms", settings.queue(), id,
                    delay.toMillis());
        } else {
            LOG.warn("Receive from queue '{}' failed (poller {}, failure #{}); retrying in {} ms: {}", settings.queue(),
                    id, consecutiveFailures, delay.toMillis(), cause.toString());
        }
        events.publish(new WorkerEvent.ReceiveFailed(settings.queue(), cause, consecutiveFailures, delay));
        backoffTask = scheduler.schedule(delay, this::loop);
    }

    /** When the receive now in flight was sent, or {@code -1} when none is (waiting for slots, the gate, a back-off). */
    public long receivingSinceMillis() {
        return receivingSinceMillis;
    }

    /** When a receive last completed without error, or {@code -1}. */
    public long lastReceivedMillis() {
        return lastReceivedMillis;
    }

    @Override
    public String toString() {
        return "QueuePoller{queue=" + settings.queue() + ", id=" + id + ", running=" + running + '}';
    }
}
