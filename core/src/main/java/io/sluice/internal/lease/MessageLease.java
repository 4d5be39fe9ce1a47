package io.sluice.internal.lease;

import io.sluice.Delivery;
import io.sluice.WorkerEvent;
import io.sluice.WorkerEvent.ReleaseReason;
import io.sluice.internal.support.Failures;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * This worker's hold on one received message, from receipt to its terminal action: it owns the message's handler slot
 * and its heartbeat registration, and settles the delivery with exactly one of {@link #complete()} (delete), {@link
 * #redeliver} (visibility = back-off), {@link #release} (visibility 0), {@link #deadLetter} (send to the DLQ, then
 * delete) or {@link #leave} (nothing: it reappears after its visibility timeout). The first call wins; the others
 * return {@code false} and do nothing. Nothing else frees the slot or untracks the message.
 *
 * <p>Settling runs in this order, whatever the action: the heartbeat lets go of the message (waiting for an extension
 * already in flight, so a deleted message is never touched); the action is submitted; then the slot is freed (a stop
 * that flushes once every slot is free finds the action submitted) — unless a cancelled call's thread is still inside
 * the handler ({@link #holdSlotUntil}), in which case the slot comes back when that thread returns. {@link #outcome()}
 * completes once SQS answered, and the matching {@link WorkerEvent} is published then.
 *
 * <p>Thread safe. Modelled on MassTransit's {@code ReceiveLockContext} ({@code Complete} / {@code Faulted}).
 */
public final class MessageLease {

    private final Message message;
    private final Delivery delivery;
    private final Leases owner;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final CompletableFuture<LeaseOutcome> outcome = new CompletableFuture<>();
    private final Object slotLock = new Object();
    private CompletionStage<?> slotHold;
    private boolean slotFreed;
    private boolean slotParked;

    MessageLease(Message message, Delivery delivery, Leases owner) {
        this.message = message;
        this.delivery = delivery;
        this.owner = owner;
    }

    public Message message() {
        return message;
    }

    public Delivery delivery() {
        return delivery;
    }

    /** The message's {@code MessageGroupId}, or {@code null}. */
    public String groupId() {
        return delivery.groupId();
    }

    /** When this worker received it, on the worker's clock. */
    public Instant receivedAt() {
        return delivery.receivedAt();
    }

    /** Completes with how the lease ended, once SQS answered its terminal action. */
    public CompletableFuture<LeaseOutcome> outcome() {
        return outcome;
    }

    /** Deletes the message: its handler succeeded. Publishes {@code Deleted} or {@code DeleteFailed}. */
    public boolean complete() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        owner.untrackThen(this, () -> delete(new WorkerEvent.Deleted(delivery), LeaseOutcome.DELETED));
        return true;
    }

    /** Makes the message invisible for {@code backoff} after its delivery failed with {@code cause}. */
    public boolean redeliver(Duration backoff, Throwable cause) {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        owner.untrackThen(this, () -> changeVisibility(backoff, new WorkerEvent.Redelivered(delivery, backoff, cause),
                LeaseOutcome.REDELIVERED));
        return true;
    }

    /** Makes the message visible again at once, for {@code reason} (not a failure of its own). */
    public boolean release(ReleaseReason reason) {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        owner.untrackThen(this, () -> changeVisibility(Duration.ZERO, new WorkerEvent.Released(delivery, reason),
                LeaseOutcome.RELEASED));
        return true;
    }

    /**
     * Puts back a message that is not due yet, as {@code postponement} says: invisible until nearer its due time, or
     * sent again with a fresh delay and then deleted. When the re-send fails the message is left (it comes back after
     * its visibility timeout); never lost.
     */
    public boolean postpone(Postponement postponement) {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        WorkerEvent.Postponed done = new WorkerEvent.Postponed(delivery, postponement.due(), postponement.hold(),
                postponement.resend());
        if (!postponement.resend()) {
            owner.untrackThen(this, () -> changeVisibility(postponement.hold(), done, LeaseOutcome.POSTPONED));
            return true;
        }
        owner.resends().submit(postponement.copyOf(message, delivery)).whenComplete((sent, error) -> {
            if (error != null) {
                owner.untrackThen(this, () -> left("sending it again with a fresh delay failed",
                        Failures.unwrap(error)));
            } else {
                owner.untrackThen(this, () -> delete(done, LeaseOutcome.POSTPONED));
            }
        });
        return true;
    }

    /**
     * Sends the message to the dead-letter queue with {@code cause} as its reason, then deletes it; when the send
     * fails, leaves it (it comes back and is dead-lettered later).
     *
     * @param reason       why, e.g. {@code poison (...)} or {@code attempts exhausted (...)}
     * @param firstFailure when it first failed, as far as known
     * @param lastFailure  when it failed last
     */
    public boolean deadLetter(Throwable cause, String reason, Instant firstFailure, Instant lastFailure) {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        owner.deadLetters().send(message, delivery, cause, Math.max(1, delivery.receiveCount()), firstFailure,
                lastFailure).whenComplete((ignored, error) -> {
                    if (error != null) {
                        Throwable failure = Failures.unwrap(error);
                        owner.publish(new WorkerEvent.DeadLetterFailed(delivery,
                                owner.deadLetters().deadLetterQueue(), failure));
                        owner.untrackThen(this, () -> left("sending it to the dead-letter queue failed", failure));
                        return;
                    }
                    owner.publish(new WorkerEvent.DeadLettered(delivery, owner.deadLetters().deadLetterQueue(), cause,
                            reason));
                    owner.untrackThen(this, () -> delete(null, LeaseOutcome.DEAD_LETTERED));
                });
        return true;
    }

    /**
     * Does nothing more with the message: SQS delivers it again after its visibility timeout. {@code reason} says why
     * (published with {@code cause}, which may be {@code null}).
     */
    public boolean leave(String reason, Throwable cause) {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        owner.untrackThen(this, () -> left(reason, cause));
        return true;
    }

    /**
     * A call that was cancelled while its thread is still inside the handler: the slot stays taken until {@code
     * returned} completes, so that a handler deaf to interrupts never runs beside a full set of others.
     */
    public void holdSlotUntil(CompletionStage<?> returned) {
        synchronized (slotLock) {
            slotHold = returned;
        }
    }

    /**
     * Gives the message's handler slot back while its delivery waits for its turn (behind its FIFO group's head, or over
     * its group's cap), so that other groups can be received; the lease still holds the message (invisible, on the
     * heartbeat). False when the slot was given back already, or the lease is settled.
     */
    public boolean parkSlot() {
        synchronized (slotLock) {
            if (slotFreed || slotParked) {
                return false;
            }
            slotParked = true;
        }
        owner.slotParked();
        return true;
    }

    /** Whether the lease gave its slot back with {@link #parkSlot()} and has not taken one again. */
    public boolean slotParked() {
        synchronized (slotLock) {
            return slotParked;
        }
    }

    /**
     * Takes a handler slot again, before any receive, once its delivery's turn came; completes when the lease holds
     * one (at once when it never gave it back).
     */
    public CompletableFuture<Void> unparkSlot() {
        synchronized (slotLock) {
            if (!slotParked) {
                return CompletableFuture.completedFuture(null);
            }
        }
        return owner.takeSlotFirst().thenRun(() -> {
            boolean settledMeanwhile;
            synchronized (slotLock) {
                slotParked = false;
                settledMeanwhile = slotFreed;
            }
            if (settledMeanwhile) {
                owner.returnSlot(); // released while it waited for the slot: give it straight back
            }
        });
    }

    /** Deletes the message; on success publishes {@code done} (if any) and ends with {@code success}. */
    private void delete(WorkerEvent done, LeaseOutcome success) {
        owner.deletes().submit(message, delivery, 0).whenComplete((ok, error) -> {
            if (error == null) {
                if (done != null) {
                    owner.publish(done);
                }
                outcome.complete(success);
            } else {
                owner.publish(new WorkerEvent.DeleteFailed(delivery, Failures.unwrap(error)));
                outcome.complete(LeaseOutcome.DELETE_FAILED);
            }
        });
    }

    private void changeVisibility(Duration visibility, WorkerEvent done, LeaseOutcome success) {
        owner.releases().submit(message, delivery, (int) visibility.getSeconds()).whenComplete((ok, error) -> {
            if (error == null) {
                owner.publish(done);
                outcome.complete(success);
            } else {
                Throwable failure = Failures.unwrap(error);
                owner.publish(new WorkerEvent.Left(delivery, "its visibility change failed", failure));
                outcome.complete(LeaseOutcome.LEFT);
            }
        });
    }

    private void left(String reason, Throwable cause) {
        owner.publish(new WorkerEvent.Left(delivery, reason, cause));
        outcome.complete(LeaseOutcome.LEFT);
    }

    /** Frees the slot once the action was submitted (now, or when a cancelled call's thread returns). */
    void freeSlot() {
        CompletionStage<?> hold;
        boolean parked;
        synchronized (slotLock) {
            if (slotFreed) {
                return;
            }
            slotFreed = true;
            hold = slotHold;
            parked = slotParked;
        }
        if (hold == null) {
            owner.slotFreed(this, !parked);
        } else {
            hold.whenComplete((ignored, error) -> owner.slotFreed(this, !parked));
        }
    }

    @Override
    public String toString() {
        return "MessageLease{" + delivery + (settled.get() ? ", settled" : "") + '}';
    }
}
