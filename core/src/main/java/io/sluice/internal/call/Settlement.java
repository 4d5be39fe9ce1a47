package io.sluice.internal.call;

import io.sluice.WorkerEvent.ReleaseReason;
import io.sluice.internal.lease.MessageLease;
import java.time.Duration;
import java.time.Instant;

/**
 * The terminal action chosen for a delivery, which its queue's sink carries out on the delivery's lease (a FIFO sink
 * orders them within a group).
 */
public sealed interface Settlement {

    /** Takes the action on {@code lease}. */
    void applyTo(MessageLease lease);

    /** Whether the message comes back to its queue (a FIFO group must then stop, so that order holds). */
    boolean returnsMessage();

    /** The handler succeeded: delete. */
    record Complete() implements Settlement {
        @Override
        public void applyTo(MessageLease lease) {
            lease.complete();
        }

        @Override
        public boolean returnsMessage() {
            return false;
        }
    }

    /** The delivery failed: visible again after {@code backoff}. */
    record Redeliver(Duration backoff, Throwable cause) implements Settlement {
        @Override
        public void applyTo(MessageLease lease) {
            lease.redeliver(backoff, cause);
        }

        @Override
        public boolean returnsMessage() {
            return true;
        }
    }

    /** Poison or exhausted: to the dead-letter queue with the reason. */
    record DeadLetter(Throwable cause, String reason, Instant firstFailure, Instant lastFailure) implements Settlement {
        @Override
        public void applyTo(MessageLease lease) {
            lease.deadLetter(cause, reason, firstFailure, lastFailure);
        }

        @Override
        public boolean returnsMessage() {
            return false;
        }
    }

    /** Nothing more: SQS delivers it again after its visibility timeout. */
    record Leave(String reason, Throwable cause) implements Settlement {
        @Override
        public void applyTo(MessageLease lease) {
            lease.leave(reason, cause);
        }

        @Override
        public boolean returnsMessage() {
            return true;
        }
    }

    /** Visible again at once, for {@code reason}: not a failure of its own. */
    record Release(ReleaseReason reason) implements Settlement {
        @Override
        public void applyTo(MessageLease lease) {
            lease.release(reason);
        }

        @Override
        public boolean returnsMessage() {
            return true;
        }
    }
}
