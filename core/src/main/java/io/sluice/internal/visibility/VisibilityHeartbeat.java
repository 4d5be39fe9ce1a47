package io.sluice.internal.visibility;

import io.sluice.Delivery;
import io.sluice.WorkerEvent;
import io.sluice.internal.ack.AckBatcher;
import io.sluice.internal.events.Events;
import io.sluice.internal.support.SystemAttributes;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Keeps one queue's in-flight messages invisible while their handlers run. Each tracked delivery has a deadline (when
 * its visibility runs out); a tick on the injected {@link Scheduler} extends every delivery whose remaining visibility is
 * at most a third of the queue's visibility timeout, by one visibility timeout, through one {@link AckBatcher} of
 * {@code ChangeMessageVisibilityBatch} calls shared by the queue. The total never exceeds SQS's 12 hours since the
 * message's first receive ({@code ApproximateFirstReceiveTimestamp}, or this receive when unknown): at the limit the
 * message is left to reappear, with a warning.
 *
 * <p>{@link #untrack} is called when a delivery settles, before its delete is submitted: it stops the extensions and
 * returns a future that completes once an extension already sent for it has settled, so a deleted message is never
 * touched. A crashed worker stops extending: its messages come back after one visibility timeout.
 *
 * <p>Thread safe. Ticks run only while something is tracked.
 */
public final class VisibilityHeartbeat {

    static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    private static final Duration MIN_TICK = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(VisibilityHeartbeat.class);

    private final String queue;
    private final Duration timeout;
    private final Duration margin;
    private final Duration tick;
    private final Scheduler scheduler;
    private final AckBatcher extensions;
    private final Events events;
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<Void>> pending = new HashMap<>();
    private Scheduler.Cancellable tickTask;
    private boolean closed;

    /**
     * @param visibilityTimeout the visibility each receive gives (configured, or the queue's attribute)
     * @param attempts          attempts per extension batch entry
     * @param events            where {@code VisibilityExtended} (and giving up at the 12-hour limit) is published
     */
    public VisibilityHeartbeat(String queue, String queueUrl, Duration visibilityTimeout, SqsTransport transport,
            Scheduler scheduler, int attempts, Events events) {
        this.queue = queue;
        this.timeout = visibilityTimeout;
        this.margin = visibilityTimeout.dividedBy(3);
        Duration sixth = visibilityTimeout.dividedBy(6);
        this.tick = sixth.compareTo(MIN_TICK) < 0 ? MIN_TICK : sixth;
        this.scheduler = scheduler;
        this.extensions = new AckBatcher(queue, queueUrl, AckBatcher.Action.CHANGE_VISIBILITY, transport, scheduler,
                Duration.ofMillis(20), attempts);
        this.events = events;
    }

    /** The visibility timeout this heartbeat extends by. */
    public Duration visibilityTimeout() {
        return timeout;
    }

    /** Deliveries being kept invisible. */
    public synchronized int tracked() {
        return tracked.size();
    }

    /** Starts keeping {@code message} invisible; its visibility runs out one timeout after {@code receivedAt}. */
    public void track(Message message, Delivery delivery) {
        if (timeout.isZero()) {
            return;
        }
        Instant first = firstReceive(message, delivery.receivedAt());
        synchronized (this) {
            if (closed) {
                return;
            }
            tracked.put(message.receiptHandle(), new Tracked(message, delivery, first,
                    delivery.receivedAt().plus(timeout)));
            if (tickTask == null) {
                tickTask = scheduler.schedule(tick, this::tick);
            }
        }
    }

    /**
     * Stops extending {@code message}; the future completes when no extension of it is in flight any more (at once when
     * none is), after which it may be deleted or released.
     */
    public CompletableFuture<Void> untrack(Message message) {
        synchronized (this) {
            tracked.remove(message.receiptHandle());
            if (tracked.isEmpty() && tickTask != null) {
                tickTask.cancel();
                tickTask = null;
            }
            CompletableFuture<Void> inFlight = pending.get(message.receiptHandle());
            return inFlight != null ? inFlight : CompletableFuture.completedFuture(null);
        }
    }

    /** Stops every extension (the worker is gone); tracked messages reappear when their visibility runs out. */
    public synchronized void close() {
        closed = true;
        tracked.clear();
        if (tickTask != null) {
            tickTask.cancel();
            tickTask = null;
        }
    }

    private void tick() {
        List<Tracked> due = new ArrayList<>();
        List<Tracked> atLimit = new ArrayList<>();
        Instant now = scheduler.clock().instant();
        synchronized (this) {
            tickTask = null;
            if (closed) {
                return;
            }
            for (Tracked entry : List.copyOf(tracked.values())) {
                if (Duration.between(now, entry.deadline).compareTo(margin) > 0) {
                    continue;
                }
                long allowed = Duration.between(now, entry.firstReceive.plus(MAX_VISIBILITY)).getSeconds();
                long seconds = Math.min(timeout.getSeconds(), allowed);
                if (seconds < 1 || !now.plusSeconds(seconds).isAfter(entry.deadline)) {
                    tracked.remove(entry.message.receiptHandle());
                    atLimit.add(entry);
                    continue;
                }
                if (pending.containsKey(entry.message.receiptHandle())) {
                    continue; // the previous extension has not settled yet
                }
                entry.deadline = now.plusSeconds(seconds);
                entry.seconds = (int) seconds;
                pending.put(entry.message.receiptHandle(), new CompletableFuture<>());
                due.add(entry);
            }
            if (!tracked.isEmpty()) {
                tickTask = scheduler.schedule(tick, this::tick);
            }
        }
        atLimit.forEach(entry -> LOG.warn("{} reached SQS's 12-hour visibility limit while held; it will be delivered"
                + " again", entry.delivery));
        if (!due.isEmpty()) {
            LOG.debug("Extending the visibility of {} message(s) of queue '{}'", due.size(), queue);
            for (Tracked entry : due) {
                int seconds = entry.seconds;
                extensions.submit(entry.message, entry.delivery, seconds).whenComplete((ok, error) -> {
                    settled(entry.message);
                    if (error == null) {
                        events.publish(new WorkerEvent.VisibilityExtended(entry.delivery, Duration.ofSeconds(seconds)));
                    } else {
                        LOG.warn("Extending the visibility of {} failed; it may be delivered again while held: {}",
                                entry.delivery, error.toString());
                    }
                });
            }
            extensions.flush();
        }
    }

    private void settled(Message message) {
        CompletableFuture<Void> done;
        synchronized (this) {
            done = pending.remove(message.receiptHandle());
        }
        if (done != null) {
            done.complete(null);
        }
    }

    /** When {@code message} was first received: its {@code ApproximateFirstReceiveTimestamp}, or {@code fallback}. */
    public static Instant firstReceive(Message message, Instant fallback) {
        String first = SystemAttributes.get(message, MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP);
        if (first != null) {
            try {
                Instant parsed = Instant.ofEpochMilli(Long.parseLong(first));
                return parsed.isAfter(fallback) ? fallback : parsed;
            } catch (NumberFormatException e) {
                // fall through: a receive this worker made is a safe lower bound
            }
        }
        return fallback;
    }

    private static final class Tracked {
        final Message message;
        final Delivery delivery;
        final Instant firstReceive;
        Instant deadline;
        int seconds;

        Tracked(Message message, Delivery delivery, Instant firstReceive, Instant deadline) {
            this.message = message;
            this.delivery = delivery;
            this.firstReceive = firstReceive;
            this.deadline = deadline;
        }
    }
}
