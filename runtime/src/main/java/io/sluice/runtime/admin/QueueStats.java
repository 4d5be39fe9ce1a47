package io.sluice.runtime.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What {@code GetQueueAttributes} tells of a queue's messages and dead-letter queue. SQS's counts are approximate.
 *
 * @param queue           the queue
 * @param arn             its ARN
 * @param visible         {@code ApproximateNumberOfMessages}: waiting to be received
 * @param inFlight        {@code ApproximateNumberOfMessagesNotVisible}: received, not yet deleted
 * @param delayed         {@code ApproximateNumberOfMessagesDelayed}: sent with a delay not yet over
 * @param deadLetterArn   the {@code RedrivePolicy}'s {@code deadLetterTargetArn}, or {@code null}
 * @param maxReceiveCount its {@code maxReceiveCount}, or 0
 */
record QueueStats(QueueRef queue, String arn, long visible, long inFlight, long delayed, String deadLetterArn,
        int maxReceiveCount) {

    /** The attributes {@link #of} reads. */
    static final List<QueueAttributeName> ATTRIBUTES = List.of(QueueAttributeName.QUEUE_ARN,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, QueueAttributeName.REDRIVE_POLICY);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code queue}'s stats from its attributes ({@link #ATTRIBUTES}); a missing count is 0. */
    static QueueStats of(QueueRef queue, Map<String, String> attributes) {
        String deadLetterArn = null;
        int maxReceiveCount = 0;
        String redrive = attributes.get(QueueAttributeName.REDRIVE_POLICY.toString());
        if (redrive != null && !redrive.isBlank()) {
            try {
                JsonNode policy = JSON.readTree(redrive);
                deadLetterArn = policy.path("deadLetterTargetArn").asText(null);
                maxReceiveCount = policy.path("maxReceiveCount").asInt(0);
            } catch (JsonProcessingException e) {
                throw new AdminException("queue '" + queue.name() + "' has a RedrivePolicy that is not JSON: "
                        + redrive, e);
            }
        }
        return new QueueStats(queue, attributes.get(QueueAttributeName.QUEUE_ARN.toString()),
                count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED), deadLetterArn,
                maxReceiveCount);
    }

    private static long count(Map<String, String> attributes, QueueAttributeName name) {
        String value = attributes.get(name.toString());
        try {
            return value == null ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Every message the queue holds: visible, in flight and delayed. */
    long total() {
        return visible + inFlight + delayed;
    }
}
