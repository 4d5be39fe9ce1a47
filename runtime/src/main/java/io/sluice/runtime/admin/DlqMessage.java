package io.sluice.runtime.admin;

import io.sluice.DeadLetterReason;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A message received from a dead-letter queue, with the reason Sluice wrote on it (either of its forms, read by {@link
 * DeadLetterReason#of}).
 *
 * @param messageId     its id in the DLQ
 * @param receiptHandle the handle of this receive
 * @param body          its body
 * @param sentAt        {@code SentTimestamp}: when Sluice sent it to the DLQ (for a message SQS's own redrive moved,
 *                      when it was first sent), or {@code null}
 * @param receiveCount  {@code ApproximateReceiveCount}, this receive included
 * @param groupId       its {@code MessageGroupId}, or {@code null}
 * @param ownAttributes its message attributes as they were before it was dead-lettered: without the reason, with any
 *                      that Sluice moved into the packed reason put back ({@link DeadLetterReason#originalAttributes});
 *                      what it carries when moved back, to start afresh
 * @param reason        the reason, when Sluice dead-lettered it with one
 */
record DlqMessage(String messageId, String receiptHandle, String body, Instant sentAt, int receiveCount,
        String groupId, Map<String, MessageAttributeValue> ownAttributes, Optional<DeadLetterReason> reason) {

    /** The longest deduplication id SQS takes. */
    private static final int MAX_DEDUPLICATION_ID = 128;

    static DlqMessage of(Message message) {
        Map<MessageSystemAttributeName, String> system = message.attributes();
        String sent = system.get(MessageSystemAttributeName.SENT_TIMESTAMP);
        String receives = system.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return new DlqMessage(message.messageId(), message.receiptHandle(), message.body(),
                sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)),
                receives == null ? 0 : Integer.parseInt(receives),
                system.get(MessageSystemAttributeName.MESSAGE_GROUP_ID),
                Collections.unmodifiableMap(DeadLetterReason.originalAttributes(message)),
                DeadLetterReason.of(message));
    }

    /**
     * Whether its reason names {@code exceptionClass}: the failure's class name, or its simple name when {@code
     * exceptionClass} has no package ({@code PaymentDeclinedException}). A message without a reason matches nothing.
     */
    boolean failedWith(String exceptionClass) {
        return reason.map(DeadLetterReason::errorClass).map(name -> name.equals(exceptionClass)
                || (exceptionClass.indexOf('.') < 0 && name.substring(name.lastIndexOf('.') + 1)
                        .equals(exceptionClass))).orElse(false);
    }

    /** The queue Sluice consumed it from ({@value DeadLetterReason#SOURCE_QUEUE}), or empty. */
    Optional<String> sourceQueue() {
        return reason.map(DeadLetterReason::sourceQueue).filter(queue -> !queue.isBlank());
    }

    /**
     * The deduplication id of its copy sent back to a FIFO queue: new (its original one would make SQS drop the copy as
     * a duplicate within 5 minutes of the first send) and the same each time this DLQ message is moved, so a retried
     * move is dropped instead of delivered twice.
     */
    String redriveDeduplicationId() {
        String id = "redrive-" + messageId;
        return id.length() <= MAX_DEDUPLICATION_ID ? id : id.substring(0, MAX_DEDUPLICATION_ID);
    }

    /** The message as {@code --json} shows it; the body only when asked for. */
    Map<String, Object> toJson(boolean withBody) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("messageId", messageId);
        json.put("sentAt", sentAt);
        json.put("receiveCount", receiveCount);
        json.put("groupId", groupId);
        json.put("reason", reason.orElse(null));
        Map<String, String> own = new LinkedHashMap<>();
        ownAttributes().forEach((name, value) -> own.put(name, value.stringValue() != null ? value.stringValue()
                : "(" + value.dataType() + ")"));
        json.put("attributes", own);
        if (withBody) {
            json.put("body", body);
        }
        return json;
    }
}
