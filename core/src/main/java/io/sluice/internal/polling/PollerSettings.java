package io.sluice.internal.polling;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * What each poller of a queue asks for.
 *
 * @param minMessages       a poller receives once this many handler slots are free (its share, up to a full receive),
 *                          or once some are free and no other came back for {@link BatchWait#BATCH_WAIT}: under load
 *                          receives stay full instead of shrinking to the one slot that just came free
 * @param maxMessages       most messages per receive (1..10)
 * @param waitTime          the long poll's wait (0..20 s)
 * @param visibilityTimeout the visibility requested on receive, or {@code null} for the queue's
 * @param allAttributes     ask for every system attribute (the handler reads them), not only those the pipeline reads
 * @param fifo              a FIFO queue: receives carry a {@code ReceiveRequestAttemptId}
 */
public record PollerSettings(String queue, String queueUrl, int minMessages, int maxMessages, Duration waitTime,
        Duration visibilityTimeout, boolean allAttributes, boolean fifo) {

    /**
     * The system attributes the pipeline itself reads: the receive count (Delivery, back-off, max attempts), the first
     * receive time (visibility's 12 h cap, dead-letter metadata), a FIFO (or fair-queue) message's group and
     * deduplication ids (ordering, and kept when it is dead-lettered), when it was sent (its age), and the trace header
     * (interceptors and tracing read it).
     */
    private static final List<MessageSystemAttributeName> PIPELINE_ATTRIBUTES = List.of(
            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
            MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP,
            MessageSystemAttributeName.MESSAGE_GROUP_ID,
            MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID,
            MessageSystemAttributeName.SENT_TIMESTAMP,
            MessageSystemAttributeName.AWS_TRACE_HEADER);
    public PollerSettings {
        if (minMessages < 1 || minMessages > maxMessages) {
            throw new IllegalArgumentException("need 1 <= minMessages <= maxMessages, but they were " + minMessages
                    + " and " + maxMessages);
        }
    }

    /**
     * The receive of at most {@code maxMessages}: the attributes the pipeline reads (every one when the handler reads
     * them), every message attribute, the visibility timeout when one is configured, and on a FIFO queue {@code
     * attemptId} as its {@code ReceiveRequestAttemptId}.
     */
    ReceiveMessageRequest request(int maxMessages, String attemptId) {
        ReceiveMessageRequest.Builder request = ReceiveMessageRequest.builder()
                .queueUrl(queueUrl)
                .maxNumberOfMessages(maxMessages)
                .waitTimeSeconds((int) waitTime.getSeconds())
                .messageAttributeNames("All");
        if (allAttributes) {
            request.messageSystemAttributeNames(MessageSystemAttributeName.ALL);
        } else {
            request.messageSystemAttributeNames(PIPELINE_ATTRIBUTES);
        }
        if (visibilityTimeout != null) {
            request.visibilityTimeout((int) visibilityTimeout.getSeconds());
        }
        if (fifo) {
            request.receiveRequestAttemptId(attemptId);
        }
        return request.build();
    }
}
