package io.sluice.producer;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A message to send with an {@link SqsProducer}: its payload and, optionally, message attributes, a delay or a due time,
 * a FIFO message group and a deduplication id.
 *
 * <pre>{@code
 * OutgoingMessage.of(payment).group(payment.customerId()).deduplicationId(payment.transactionId());
 * OutgoingMessage.of(reminder).attribute("tenant", "acme").deliverAt(Instant.parse("2026-12-01T09:00:00Z"));
 * OutgoingMessage.of("{\"order_id\": \"ord-1\"}").delay(Duration.ofSeconds(30));   // a raw JSON body
 * }</pre>
 *
 * <p>The payload is written when the message is sent: a {@code String} as it is, anything else as JSON with the
 * producer's {@code ObjectMapper}. Nothing else is added to the body (no envelope), so any consumer reads it.
 *
 * <p>A delay or due time beyond SQS's 15 minutes (up to the queue's retention period) is <em>scheduled delivery</em>:
 * the message goes out with the longest delay SQS allows and its due time in the message attribute {@code
 * sluice.deliver-at}; a Sluice worker that receives it early puts it back until it is due, without calling the handler
 * and without spending its receive count (standard queues only: SQS takes no per-message delay on a FIFO queue).
 *
 * <p>Immutable: each method returns a new message, so one message can serve as a template. The methods check only for
 * {@code null}; what SQS would refuse (names, lengths, characters, sizes, what the queue's type forbids) is checked
 * when the message is sent, against the queue it goes to, and refused before any request with an error naming the
 * queue, the message and the limit.
 */
public final class OutgoingMessage {

    private final Object payload;
    private final String groupId;
    private final String deduplicationId;
    private final Map<String, MessageAttributeValue> attributes;
    private final Duration delay;
    private final Instant deliverAt;

    private OutgoingMessage(Object payload, String groupId, String deduplicationId,
            Map<String, MessageAttributeValue> attributes, Duration delay, Instant deliverAt) {
        this.payload = payload;
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
        this.attributes = attributes;
        this.delay = delay;
        this.deliverAt = deliverAt;
    }

    /** A message with {@code payload}: a {@code String} sent as it is, anything else written as JSON. */
    public static OutgoingMessage of(Object payload) {
        return new OutgoingMessage(Objects.requireNonNull(payload, "payload"), null, null, Map.of(), null, null);
    }

    /**
     * The message group ({@code MessageGroupId}): required on a FIFO queue (order is kept per group); on a standard
     * queue SQS takes it as the tenant of a fair queue.
     */
    public OutgoingMessage group(String groupId) {
        return new OutgoingMessage(payload, Objects.requireNonNull(groupId, "groupId"), deduplicationId, attributes,
                delay, deliverAt);
    }

    /**
     * The FIFO deduplication id ({@code MessageDeduplicationId}): SQS delivers only the first of the messages sent with
     * the same id within 5 minutes. Without one, a FIFO queue must deduplicate by content ({@code
     * ContentBasedDeduplication}). Only for FIFO queues.
     */
    public OutgoingMessage deduplicationId(String deduplicationId) {
        return new OutgoingMessage(payload, groupId, Objects.requireNonNull(deduplicationId, "deduplicationId"),
                attributes, delay, deliverAt);
    }

    /** Adds the {@code String} message attribute {@code name} (replacing one of the same name). */
    public OutgoingMessage attribute(String name, String value) {
        return attribute(name, MessageAttributeValue.builder().dataType("String")
                .stringValue(Objects.requireNonNull(value, "value")).build());
    }

    /** Adds the {@code Number} message attribute {@code name}, written as {@link BigDecimal#toString()} writes it. */
    public OutgoingMessage attribute(String name, Number value) {
        Objects.requireNonNull(value, "value");
        String text = value instanceof BigDecimal decimal ? decimal.toString() : value.toString();
        return attribute(name, MessageAttributeValue.builder().dataType("Number").stringValue(text).build());
    }

    /** Adds the {@code Binary} message attribute {@code name}. */
    public OutgoingMessage attribute(String name, byte[] value) {
        return attribute(name, MessageAttributeValue.builder().dataType("Binary")
                .binaryValue(SdkBytes.fromByteArray(Objects.requireNonNull(value, "value"))).build());
    }

    /** Adds a message attribute as SQS's model has it, e.g. with a custom type {@code String.tenant}. */
    public OutgoingMessage attribute(String name, MessageAttributeValue value) {
        Map<String, MessageAttributeValue> more = new LinkedHashMap<>(attributes);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new OutgoingMessage(payload, groupId, deduplicationId, Collections.unmodifiableMap(more), delay,
                deliverAt);
    }

    /** Adds each of {@code attributes} as a {@code String} attribute, in the map's order. */
    public OutgoingMessage attributes(Map<String, String> attributes) {
        OutgoingMessage message = this;
        for (Map.Entry<String, String> attribute : Objects.requireNonNull(attributes, "attributes").entrySet()) {
            message = message.attribute(attribute.getKey(), attribute.getValue());
        }
        return message;
    }

    /**
     * Delivers the message {@code delay} after it is sent: up to 15 minutes with SQS's own {@code DelaySeconds}
     * (rounded up to whole seconds), beyond that by scheduled delivery. Replaces any {@link #deliverAt} given before.
     */
    public OutgoingMessage delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, but was " + delay);
        }
        return new OutgoingMessage(payload, groupId, deduplicationId, attributes, delay, null);
    }

    /**
     * Delivers the message at {@code deliverAt} (at once when that has passed): within 15 minutes of sending with SQS's
     * {@code DelaySeconds}, beyond that by scheduled delivery. Replaces any {@link #delay} given before.
     */
    public OutgoingMessage deliverAt(Instant deliverAt) {
        return new OutgoingMessage(payload, groupId, deduplicationId, attributes, null,
                Objects.requireNonNull(deliverAt, "deliverAt"));
    }

    public Object payload() {
        return payload;
    }

    /** The {@code MessageGroupId}, or {@code null}. */
    public String groupId() {
        return groupId;
    }

    /** The {@code MessageDeduplicationId}, or {@code null}. */
    public String deduplicationId() {
        return deduplicationId;
    }

    /** The message attributes, in the order added. */
    public Map<String, MessageAttributeValue> attributes() {
        return attributes;
    }

    /** The delay after sending, or {@code null} when none was given (or a due time was). */
    public Duration delay() {
        return delay;
    }

    /** The due time, or {@code null} when none was given (or a delay was). */
    public Instant deliverAt() {
        return deliverAt;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("OutgoingMessage{payload=").append(payload.getClass().getSimpleName());
        if (groupId != null) {
            text.append(", group=").append(groupId);
        }
        if (deduplicationId != null) {
            text.append(", deduplicationId=").append(deduplicationId);
        }
        if (!attributes.isEmpty()) {
            text.append(", attributes=").append(attributes.keySet());
        }
        if (delay != null) {
            text.append(", delay=").append(delay);
        }
        if (deliverAt != null) {
            text.append(", deliverAt=").append(deliverAt);
        }
        return text.append('}').toString();
    }
}
