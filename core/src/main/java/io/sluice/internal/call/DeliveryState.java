package io.sluice.internal.call;

import io.sluice.Delivery;
import io.sluice.internal.lease.MessageLease;
import io.sluice.internal.policy.FailurePolicy;
import java.time.Instant;

/**
 * One delivery's progress across its handler calls (in-process retries): its lease, the failure policy's bookkeeping,
 * how many calls it had and when it failed. Apart from {@link HandlerCall}, the state of one call. A delivery is
 * <em>waiting</em> while it is not in a call (queued for a thread, waiting for a retry, held by the breaker); a stop
 * abandons waiting deliveries at once. Thread safe.
 */
public final class DeliveryState {

    private final MessageLease lease;
    private final FailurePolicy.Attempts attempts;
    private int calls;
    private Instant firstFailure;
    private Instant lastFailure;
    private boolean waiting = true;
    private boolean abandoned;

    public DeliveryState(MessageLease lease, FailurePolicy.Attempts attempts) {
        this.lease = lease;
        this.attempts = attempts;
    }

    public MessageLease lease() {
        return lease;
    }

    public Delivery delivery() {
        return lease.delivery();
    }

    /** The message's {@code MessageGroupId}, or {@code null}. */
    public String groupId() {
        return lease.groupId();
    }

    FailurePolicy.Attempts attempts() {
        return attempts;
    }

    /** Handler calls made on this delivery so far. */
    public synchronized int calls() {
        return calls;
    }

    synchronized int nextCall() {
        return ++calls;
    }

    /** A call that the breaker did not admit did not happen. */
    synchronized void uncall() {
        calls--;
    }

    synchronized void failedAt(Instant now) {
        if (firstFailure == null) {
            firstFailure = now;
        }
        lastFailure = now;
    }

    synchronized Instant firstFailure() {
        return firstFailure;
    }

    synchronized Instant lastFailure() {
        return lastFailure;
    }

    /** Takes the delivery out of waiting, into a call; false if a stop abandoned it meanwhile. */
    synchronized boolean claim() {
        if (abandoned) {
            return false;
        }
        waiting = false;
        return true;
    }

    /** Back to waiting (for a retry, or the breaker). */
    synchronized void waiting() {
        waiting = true;
    }

    /** Abandons the delivery if it is waiting; true if the caller now owns its release. */
    public synchronized boolean abandonIfWaiting() {
        if (!waiting || abandoned) {
            return false;
        }
        abandoned = true;
        return true;
    }

    @Override
    public String toString() {
        return delivery().toString();
    }
}
