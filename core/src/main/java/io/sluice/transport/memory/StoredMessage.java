package io.sluice.transport.memory;

import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** One message held by a {@link MemoryQueue}; its mutable state is guarded by that queue. Times in epoch millis. */
final class StoredMessage {

    final long seq;
    final String messageId;
    final String body;
    final String md5OfBody;
    final Map<String, MessageAttributeValue> attributes;
    final String md5OfAttributes;
    final long sentAt;
    final String groupId;
    final String deduplicationId;
    final String sequenceNumber;
    final String deadLetterSourceArn;

    int receiveCount;
    long firstReceiveAt;
    long receivedAt;
    long visibleAt;
    /** In the heap because its send delay has not ended (never received yet). */
    boolean delayed;
    /** In a standard queue's visible deque. */
    boolean queued;
    boolean deleted;
    int heapIndex = -1;

    StoredMessage(long seq, String messageId, String body, String md5OfBody,
            Map<String, MessageAttributeValue> attributes, String md5OfAttributes, long sentAt, String groupId,
            String deduplicationId, String sequenceNumber, String deadLetterSourceArn) {
        this.seq = seq;
        this.messageId = messageId;
        this.body = body;
        this.md5OfBody = md5OfBody;
        this.attributes = attributes;
        this.md5OfAttributes = md5OfAttributes;
        this.sentAt = sentAt;
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
        this.sequenceNumber = sequenceNumber;
        this.deadLetterSourceArn = deadLetterSourceArn;
    }

    boolean inFlight(long now) {
        return receiveCount > 0 && visibleAt > now;
    }
}
