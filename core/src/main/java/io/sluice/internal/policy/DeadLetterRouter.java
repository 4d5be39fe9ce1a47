package io.sluice.internal.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.DeadLetterReason;
import io.sluice.Delivery;
import io.sluice.internal.batch.Batcher;
import io.sluice.internal.batch.SendAction;
import io.sluice.internal.batch.SendEntry;
import io.sluice.internal.support.Backoff;
import io.sluice.internal.support.MessageRules;
import io.sluice.internal.support.QueueNames;
import io.sluice.internal.support.SystemAttributes;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Sends a message to its queue's dead-letter queue: the original body, message attributes and {@code AWSTraceHeader},
 * plus the reason as message attributes, as {@link DeadLetterReason} names and reads them. SQS allows ten message
 * attributes: when the original leaves no room for seven more, the reason is packed into one JSON attribute ({@link
 * DeadLetterReason#ERROR}); when it has SQS's 10 already, its last one moves into that JSON to make room.
 * For a FIFO dead-letter queue the message keeps its {@code MessageGroupId} and uses the source message id as {@code
 * MessageDeduplicationId}.
 *
 * <p>Sends go through the {@link Batcher} (at once, no flush interval): one that fails for a transient reason (the call
 * failed, throttling, a server-side entry error) is tried again after 200 ms and 400 ms on the injected {@link
 * Scheduler}, three sends in all: on the last delivery a failed send would otherwise let SQS's own redrive move the
 * message without its reason. The returned future fails when SQS did
 * not accept the message; the caller then leaves the source message alone (it comes back and is dead-lettered
 * later): never lost. A retried send whose first response was lost can leave two copies in the DLQ (a FIFO DLQ
 * deduplicates them by message id). Thread safe.
 */
public final class DeadLetterRouter {


    static final int MAX_ATTRIBUTES = MessageRules.MAX_ATTRIBUTES;
    static final int MAX_ERROR_MESSAGE = 1024;
    /** SQS's largest message, body and attributes together (a queue's MaximumMessageSize may be lower). */
    static final long MAX_MESSAGE_BYTES = MessageRules.MAX_MESSAGE_SIZE;
    static final int SEND_ATTEMPTS = 3;
    private static final Backoff RETRY_BACKOFF = Backoff.exponential(Duration.ofMillis(200), 2, Duration.ofSeconds(5));
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRouter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String queue;
    private final String deadLetterQueue;
    private final Batcher<SendEntry, SendMessageBatchResultEntry> sends;

    public DeadLetterRouter(String queue, String deadLetterQueue, String deadLetterUrl, SqsTransport transport,
            Scheduler scheduler) {
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
        this.sends = Batcher.builder(new SendAction(transport, deadLetterUrl), deadLetterQueue).scheduler(scheduler)
                .maxAttempts(SEND_ATTEMPTS).backoff(RETRY_BACKOFF).build();
    }

    /** The dead-letter queue's name. */
    public String deadLetterQueue() {
        return deadLetterQueue;
    }

    /**
     * Sends {@code message} to the dead-letter queue.
     *
     * @param attempts     deliveries so far (the receive count)
     * @param firstFailure when the message first failed, as far as known
     * @param lastFailure  when it failed last
     */
    public CompletableFuture<Void> send(Message message, Delivery delivery, Throwable cause, int attempts,
            Instant firstFailure, Instant lastFailure) {
        Map<String, String> reason = new LinkedHashMap<>();
        reason.put(DeadLetterReason.ERROR_CLASS, cause.getClass().getName());
        reason.put(DeadLetterReason.ERROR_MESSAGE, truncate(String.valueOf(cause.getMessage())));
        reason.put(DeadLetterReason.HANDLER, delivery.handler());
        reason.put(DeadLetterReason.ATTEMPTS, Integer.toString(attempts));
        reason.put(DeadLetterReason.FIRST_FAILURE, firstFailure.toString());
        reason.put(DeadLetterReason.LAST_FAILURE, lastFailure.toString());
        reason.put(DeadLetterReason.SOURCE_QUEUE, queue);

        Map<String, MessageAttributeValue> attributes = withReason(message, delivery, reason);
        if (MessageRules.size(message.body(), attributes) > MAX_MESSAGE_BYTES) {
            // The original was within the limit: only the reason can push it over. Keep the reason, shortened.
            reason.put(DeadLetterReason.ERROR_MESSAGE, truncate(reason.get(DeadLetterReason.ERROR_MESSAGE), 64));
            attributes = withReason(message, delivery, reason);
            if (MessageRules.size(message.body(), attributes) > MAX_MESSAGE_BYTES) {
                LOG.warn("Dead-lettering {} without the reason as attributes: the message is at SQS's size limit; the"
                        + " reason: {}", delivery, reason);
                attributes = DeadLetterReason.originalAttributes(message);
            }
        }

        SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder()
                .messageBody(message.body())
                .messageAttributes(attributes)
                .messageSystemAttributes(SystemAttributes.forCopy(message));
        if (QueueNames.isFifo(deadLetterQueue)) {
            String group = SystemAttributes.get(message, MessageSystemAttributeName.MESSAGE_GROUP_ID);
            entry.messageGroupId(group != null ? group : message.messageId());
            entry.messageDeduplicationId(message.messageId());
        }
        return sends.submit(new SendEntry(entry.build(), "message " + delivery.messageId(),
                        MessageRules.size(message.body(), attributes)))
                .thenApply(sent -> null);
    }

    /**
     * The original attributes plus the reason: as separate attributes when there is room, else packed in one. A message
     * that has SQS's 10 attributes already gets its last one moved into the packed reason ({@link
     * DeadLetterReason#MOVED_ATTRIBUTES}), so that the reason fits and nothing is dropped; {@link
     * DeadLetterReason#originalAttributes} puts it back. A message dead-lettered before and moved back with its reason
     * (StartMessageMoveTask keeps every attribute) starts from its original attributes too: the new reason is the only
     * one and finds the room the old one took.
     */
    private static Map<String, MessageAttributeValue> withReason(Message message, Delivery delivery,
            Map<String, String> reason) {
        Map<String, MessageAttributeValue> attributes = DeadLetterReason.originalAttributes(message);
        int room = MAX_ATTRIBUTES - attributes.size();
        if (room >= reason.size()) {
            reason.forEach((name, value) -> attributes.put(name, string(value)));
            return attributes;
        }
        ObjectNode packed = JSON.createObjectNode();
        reason.forEach(packed::put);
        if (room < 1) {
            String last = null;
            for (String name : attributes.keySet()) {
                last = name;
            }
            MessageAttributeValue moved = attributes.remove(last);
            ObjectNode value = packed.putObject(DeadLetterReason.MOVED_ATTRIBUTES).putObject(last)
                    .put("DataType", moved.dataType());
            if (moved.binaryValue() != null) {
                value.put("BinaryValue", java.util.Base64.getEncoder().encodeToString(moved.binaryValue()
                        .asByteArray()));
            } else {
                value.put("StringValue", moved.stringValue());
            }
        }
        attributes.put(DeadLetterReason.ERROR, string(packed.toString()));
        return attributes;
    }

    static String truncate(String text) {
        return truncate(text, MAX_ERROR_MESSAGE);
    }

    static String truncate(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int end = Math.min(text.length(), maxBytes - 3);
        while (end > 0 && text.substring(0, end).getBytes(StandardCharsets.UTF_8).length > maxBytes - 3) {
            end--;
        }
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value.isEmpty() ? "-" : value).build();
    }

    @Override
    public String toString() {
        return "DeadLetterRouter{" + queue + " -> " + deadLetterQueue + '}';
    }
}
