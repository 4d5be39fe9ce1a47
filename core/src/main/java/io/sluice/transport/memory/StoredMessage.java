package io.sluice.transport.memory;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** One message held by a {@link MemoryQueue}; its mutable state is guarded by that queue. Times in epoch millis. */
final class StoredMessage {

    final long seq;
    final String messageId;
    final String body;
    final String md5OfBody;
    final Map<String, MessageAttributeValue> attributes;
    final String md5OfAttributes;
    final String traceHeader;
    final long sentAt;
    final String groupId;
    final String deduplicationId;
    final String sequenceNumber;
    final String deadLetterSourceArn;

    /**
     * The enqueue time: when retention (and a FIFO queue's delay) counts from. The send, or for a message moved to a
     * FIFO dead-letter queue the move (SQS resets it there; a standard dead-letter queue keeps the send's).
     */
    long enqueuedAt;
    int receiveCount;
    /** How many ChangeMessageVisibility calls changed it: a receive attempt that returned it is then not retryable. */
    int visibilityChanges;
    long firstReceiveAt;
    long receivedAt;
    long visibleAt;
    /** In the heap because its send delay has not ended (never received yet). */
    boolean delayed;
    /** In a standard queue's visible deque. */
    boolean queued;
    boolean deleted;
    int heapIndex = -1;

    /**
     * What a send gave: the body and the message attributes, with their MD5 digests, and the {@code AWSTraceHeader}
     * message system attribute ({@code null} when not sent).
     */
    record Content(String body, String md5OfBody, Map<String, MessageAttributeValue> attributes,
            String md5OfAttributes, String traceHeader) {
    }

    /**
     * Its group and FIFO ids: the group id (FIFO queues, and fair standard queues), the deduplication id and the
     * sequence number (FIFO only); {@code null} where not set.
     */
    record Ids(String groupId, String deduplicationId, String sequenceNumber) {
    }

    /** @param deadLetterSourceArn the queue a RedrivePolicy moved it from, or {@code null} */
    StoredMessage(long seq, String messageId, Content content, long sentAt, Ids ids, String deadLetterSourceArn) {
        this.seq = seq;
        this.messageId = messageId;
        this.body = content.body();
        this.md5OfBody = content.md5OfBody();
        this.attributes = content.attributes();
        this.md5OfAttributes = content.md5OfAttributes();
        this.traceHeader = content.traceHeader();
        this.sentAt = sentAt;
        this.enqueuedAt = sentAt;
        this.groupId = ids.groupId();
        this.deduplicationId = ids.deduplicationId();
        this.sequenceNumber = ids.sequenceNumber();
        this.deadLetterSourceArn = deadLetterSourceArn;
    }

    /** The body and attributes as sent. */
    Content content() {
        return new Content(body, md5OfBody, attributes, md5OfAttributes, traceHeader);
    }

    boolean inFlight(long now) {
        return receiveCount > 0 && visibleAt > now;
    }

    /**
     * This message as a receive returns it: with {@code handle} (none when {@code null}), the system attributes that
     * {@code system} selects and the message attributes that {@code custom} selects (their MD5 computed over the
     * selected ones, as SQS does).
     */
    Message toMessage(String handle, Selection system, Selection custom) {
        Map<String, String> systemAttributes = new HashMap<>();
        putIf(systemAttributes, system, "SenderId", "AIDAIT2UOQQY3AUEKVGXU");
        putIf(systemAttributes, system, "SentTimestamp", Long.toString(sentAt));
        putIf(systemAttributes, system, "ApproximateReceiveCount", Integer.toString(receiveCount));
        if (firstReceiveAt != 0) {
            putIf(systemAttributes, system, "ApproximateFirstReceiveTimestamp", Long.toString(firstReceiveAt));
        }
        putIf(systemAttributes, system, "MessageGroupId", groupId);
        putIf(systemAttributes, system, "MessageDeduplicationId", deduplicationId);
        putIf(systemAttributes, system, "SequenceNumber", sequenceNumber);
        putIf(systemAttributes, system, "DeadLetterQueueSourceArn", deadLetterSourceArn);
        putIf(systemAttributes, system, "AWSTraceHeader", traceHeader);
        Message.Builder built = Message.builder()
                .messageId(messageId)
                .receiptHandle(handle)
                .body(body)
                .md5OfBody(md5OfBody)
                .attributesWithStrings(systemAttributes);
        if (attributes != null && !attributes.isEmpty()) {
            Map<String, MessageAttributeValue> selected;
            String md5;
            if (custom.all()) {
                selected = attributes;
                md5 = md5OfAttributes;
            } else {
                selected = new HashMap<>();
                attributes.forEach((key, value) -> {
                    if (custom.includes(key)) {
                        selected.put(key, value);
                    }
                });
                md5 = Md5.ofAttributes(selected);
            }
            if (!selected.isEmpty()) {
                built.messageAttributes(selected).md5OfMessageAttributes(md5);
            }
        }
        return built.build();
    }

    private static void putIf(Map<String, String> attributes, Selection selection, String name, String value) {
        if (value != null && selection.includes(name)) {
            attributes.put(name, value);
        }
    }
}
