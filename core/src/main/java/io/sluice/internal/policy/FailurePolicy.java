package io.sluice.internal.policy;

import io.sluice.Delivery;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Decides what happens to a message whose handler failed; the {@link QueueDispatcher} carries the decision out. The
 * policy of a running queue is {@code io.sluice.internal.policy.QueueFailurePolicy} (classification, in-process retry,
 * redelivery back-off, dead-lettering); {@link #leaveForRedelivery()} leaves every failure to SQS.
 *
 * <p>Thread safe. {@link #start} is called once per delivery; the returned {@link Attempts} is used by one delivery at a
 * time (its calls never overlap) and must not block.
 */
public interface FailurePolicy {

    /** Begins the failure bookkeeping of one delivery. */
    Attempts start(Message message, Delivery delivery);

    /** Whether {@code cause} may be retried; {@code false} means poison (and is not a downstream failure). */
    boolean isRetryable(Throwable cause);

    /** The failures of one delivery. */
    interface Attempts {
        /** What to do after handler call number {@code call} (1-based) of this delivery failed with {@code cause}. */
        Decision onFailure(int call, Throwable cause);
    }

    /** What the dispatcher does with a failed delivery. */
    sealed interface Decision {
    }

    /** Call the handler again on the same delivery after {@code delay}; the message stays invisible. */
    record RetryAfter(Duration delay) implements Decision {
    }

    /** Make the message visible again after {@code visibility}: SQS delivers it later. */
    record Redeliver(Duration visibility) implements Decision {
    }

    /** Send the message to the dead-letter queue with the reason, then delete it. */
    record DeadLetter(String reason) implements Decision {
    }

    /** Do nothing: SQS delivers the message again after its visibility timeout (and may redrive it). */
    record Leave(String reason) implements Decision {
    }

    /** Leaves every failure for SQS to redeliver after its visibility timeout. */
    static FailurePolicy leaveForRedelivery() {
        return new FailurePolicy() {
            @Override
            public Attempts start(Message message, Delivery delivery) {
                return (call, cause) -> new Leave("no failure policy");
            }

            @Override
            public boolean isRetryable(Throwable cause) {
                return !(cause instanceof io.sluice.MessageBindingException);
            }
        };
    }
}
