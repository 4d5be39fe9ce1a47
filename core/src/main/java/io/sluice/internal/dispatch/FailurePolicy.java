package io.sluice.internal.dispatch;

import io.sluice.Delivery;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Decides what happens to a message whose handler failed. The pipeline's seam for retry, redelivery back-off and
 * dead-lettering: today the only policy leaves the message alone, so SQS redelivers it after its visibility timeout
 * and its RedrivePolicy moves it to the DLQ after {@code maxReceiveCount} receives (the article's behaviour).
 *
 * <p>Called once per failed delivery on a pipeline thread, after the failure has been logged and published; must not
 * block.
 */
@FunctionalInterface
public interface FailurePolicy {

    void onFailure(Message message, Delivery delivery, Throwable cause);

    /** Leaves the message for SQS to redeliver after its visibility timeout. */
    static FailurePolicy leaveForRedelivery() {
        return (message, delivery, cause) -> { };
    }
}
