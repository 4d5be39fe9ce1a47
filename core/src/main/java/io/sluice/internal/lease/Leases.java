package io.sluice.internal.lease;

import io.sluice.Delivery;
import io.sluice.WorkerEvent;
import io.sluice.internal.ack.AckBatcher;
import io.sluice.internal.batch.Batcher;
import io.sluice.internal.batch.SendEntry;
import io.sluice.internal.events.Events;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.policy.DeadLetterRouter;
import io.sluice.internal.polling.Permits;
import io.sluice.internal.support.PendingCount;
import io.sluice.internal.support.SystemAttributes;
import io.sluice.internal.visibility.VisibilityHeartbeat;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Opens and keeps track of one queue's {@link MessageLease}s: each received message becomes a lease that owns one of
 * the queue's handler slots (taken by the poller before it received) and its heartbeat registration, until its
 * terminal action. Thread safe.
 */
public final class Leases {

    private final String queue;
    private final String handler;
    private final Clock clock;
    private final Permits permits;
    private final VisibilityHeartbeat heartbeat;
    private final LeaseActions actions;
    private final Events events;
    /** Leases whose slot is not yet freed (each frees it once: {@link MessageLease} guards that). */
    private final PendingCount held = new PendingCount();

    /**
     * @param heartbeat keeps leased messages invisible; {@code null} when the queue's visibility timeout is 0
     */
    public Leases(String queue, String handler, Clock clock, Permits permits, VisibilityHeartbeat heartbeat,
            LeaseActions actions, Events events) {
        this.queue = queue;
        this.handler = handler;
        this.clock = clock;
        this.permits = permits;
        this.heartbeat = heartbeat;
        this.actions = actions;
        this.events = events;
    }

    /**
     * Leases the messages of one receive, in order; each takes over one handler slot that the poller holds for it.
     * Publishes {@code Received} for each.
     */
    public List<MessageLease> open(List<Message> messages) {
        List<MessageLease> leases = new ArrayList<>(messages.size());
        Instant receivedAt = clock.instant();
        for (Message message : messages) {
            Delivery delivery = new Delivery(queue, message.messageId(), handler, HandlerMethod.receiveCount(message),
                    receivedAt, SystemAttributes.get(message, MessageSystemAttributeName.MESSAGE_GROUP_ID));
            MessageLease lease = new MessageLease(message, delivery, this);
            held.increment();
            if (heartbeat != null) {
                heartbeat.track(message, delivery);
            }
            events.publish(new WorkerEvent.Received(delivery));
            leases.add(lease);
        }
        return leases;
    }

    /** Leases holding a slot now: received and not yet settled (or settled while a cancelled call still runs). */
    public int held() {
        return held.get();
    }

    AckBatcher deletes() {
        return actions.deletes();
    }

    AckBatcher releases() {
        return actions.releases();
    }

    DeadLetterRouter deadLetters() {
        return actions.deadLetters();
    }

    Batcher<SendEntry, SendMessageBatchResultEntry> resends() {
        return actions.resends();
    }

    void publish(WorkerEvent event) {
        events.publish(event);
    }

    /**
     * Lets the heartbeat go of the lease's message (once no extension of it is in flight), submits its action, then
     * frees its slot.
     */
    void untrackThen(MessageLease lease, Runnable submit) {
        if (heartbeat == null) {
            submitThenFree(lease, submit);
            return;
        }
        heartbeat.untrack(lease.message()).whenComplete((ignored, error) -> submitThenFree(lease, submit));
    }

    private static void submitThenFree(MessageLease lease, Runnable submit) {
        try {
            submit.run();
        } finally {
            lease.freeSlot();
        }
    }

    /** The lease is over (its action submitted); {@code withSlot}: it held a slot, which goes back now. */
    void slotFreed(MessageLease lease, boolean withSlot) {
        if (withSlot) {
            permits.release(1);
        }
        held.decrement();
    }

    void slotParked() {
        permits.release(1);
    }

    CompletableFuture<Void> takeSlotFirst() {
        return permits.acquireFirst();
    }

    void returnSlot() {
        permits.release(1);
    }

    /**
     * Completes when this worker holds no message of the queue: every lease's action was submitted (a lease waiting
     * for its group's turn holds no slot, so an idle slot count alone does not say it).
     */
    public CompletableFuture<Void> whenEmpty() {
        return held.whenZero();
    }

    @Override
    public String toString() {
        return "Leases{queue=" + queue + ", held=" + held.get() + '}';
    }
}
