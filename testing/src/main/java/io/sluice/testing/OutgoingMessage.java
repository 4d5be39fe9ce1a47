package io.sluice.testing;

import io.sluice.time.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A message a test is about to send with a {@link SluiceTestKit}: its payload and, optionally, a FIFO message group, a
 * deduplication id, string message attributes and a delay. Made by {@link SluiceTestKit#message(Object)}, sent by
 * {@link #sendTo(String)}.
 *
 * <pre>{@code
 * kit.message(new Payment("tx-9", "cust-1", 4200))
 *         .group("cust-1")               // FIFO message group (the customer)
 *         .deduplicationId("tx-9")       // FIFO deduplication id (the transaction)
 *         .attribute("tenant", "acme")
 *         .sendTo("payments.fifo");
 * kit.message("{\"order_id\": \"ord-1\"}").delay(Duration.ofSeconds(30)).sendTo("order-processing");  // raw JSON body
 * }</pre>
 *
 * <p>The payload is written as {@link SluiceTestKit#send(String, Object) send} writes it: a {@code String} as it is (a
 * raw JSON body, or any text), anything else as JSON with the worker's {@code ObjectMapper}, when it is sent.
 *
 * <p>Immutable: each method returns a new message and leaves this one unchanged, so one message can serve as a
 * template for several sends ({@code base.group("a").sendTo(q); base.group("b").sendTo(q);}). Each method rejects a
 * value SQS would reject at once, naming it; {@link #sendTo} rejects what the queue's type forbids (a delay on a FIFO
 * queue, a deduplication id on a standard queue).
 */
public final class OutgoingMessage {

    /** The most message attributes SQS takes on one message. */
    static final int MAX_ATTRIBUTES = 10;
    /** The longest per-message delay SQS takes. */
    static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");

    private final SluiceTestKit kit;
    final Object payload;
    final String group;
    final String deduplicationId;
    final Map<String, String> attributes;
    final Duration delay;

    OutgoingMessage(SluiceTestKit kit, Object payload) {
        this(kit, Objects.requireNonNull(payload, "payload"), null, null, Map.of(), null);
    }

    private OutgoingMessage(SluiceTestKit kit, Object payload, String group, String deduplicationId,
            Map<String, String> attributes, Duration delay) {
        this.kit = kit;
        this.payload = payload;
        this.group = group;
        this.deduplicationId = deduplicationId;
        this.attributes = attributes;
        this.delay = delay;
    }

    /**
     * The message group ({@code MessageGroupId}): required on a FIFO queue, where the kit uses {@code "default"} when
     * none is given; on a standard queue SQS takes it as a tenant key (fair queues).
     *
     * @param group 1 to 128 characters from a-z, A-Z, 0-9 and punctuation
     */
    public OutgoingMessage group(String group) {
        return new OutgoingMessage(kit, payload, token("group", group), deduplicationId, attributes, delay);
    }

    /**
     * The FIFO deduplication id ({@code MessageDeduplicationId}): SQS delivers only the first of the messages sent to a
     * queue with the same id within 5 minutes. Without one, the kit gives each FIFO message a fresh id (unless the
     * queue deduplicates by content), so sending the same payload twice delivers it twice. Only for FIFO queues.
     *
     * @param deduplicationId 1 to 128 characters from a-z, A-Z, 0-9 and punctuation
     */
    public OutgoingMessage deduplicationId(String deduplicationId) {
        return new OutgoingMessage(kit, payload, group, token("deduplicationId", deduplicationId), attributes, delay);
    }

    /**
     * Adds the string message attribute {@code name} (replacing one of the same name), as a handler reads with
     * {@code @MessageAttribute("name")}.
     *
     * @param name  1 to 256 characters from a-z, A-Z, 0-9, {@code -}, {@code _} and {@code .}; not starting with
     *              {@code AWS.} or {@code Amazon.} (any case), not starting or ending with a period, no {@code ..}
     * @param value not empty
     * @throws IllegalArgumentException naming the bad name or value, or the 11th attribute
     */
    public OutgoingMessage attribute(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(attributes);
        more.put(attributeName(name), attributeValue(name, value));
        if (more.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("a message takes at most " + MAX_ATTRIBUTES + " message attributes,"
                    + " but attribute '" + name + "' would be the " + more.size() + "th: " + more.keySet());
        }
        return new OutgoingMessage(kit, payload, group, deduplicationId, Collections.unmodifiableMap(more), delay);
    }

    /** Adds each of {@code attributes} as {@link #attribute(String, String)} does, in the map's order. */
    public OutgoingMessage attributes(Map<String, String> attributes) {
        Objects.requireNonNull(attributes, "attributes");
        OutgoingMessage message = this;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            message = message.attribute(attribute.getKey(), attribute.getValue());
        }
        return message;
    }

    /**
     * How long the message stays invisible after it is sent ({@code DelaySeconds}); it passes on the kit's virtual
     * clock. Only for standard queues: SQS takes no per-message delay on a FIFO queue.
     *
     * @param delay whole seconds from 0s to 15m
     */
    public OutgoingMessage delay(Duration delay) {
        if (delay == null || delay.isNegative() || delay.compareTo(MAX_DELAY) > 0 || delay.getNano() != 0) {
            throw new IllegalArgumentException("delay must be whole seconds from 0s to " + Durations.format(MAX_DELAY)
                    + ", but was " + (delay == null ? "null" : Durations.format(delay)));
        }
        return new OutgoingMessage(kit, payload, group, deduplicationId, attributes, delay);
    }

    /**
     * Sends this message to {@code queue}.
     *
     * @return the message id SQS gave it
     * @throws IllegalArgumentException when the queue does not exist, when its type forbids an option (a delay on a
     *                                  FIFO queue, a deduplication id on a standard queue), or when it rejects the
     *                                  message; the message names the queue and the value
     * @throws IllegalStateException    when the kit is not running
     */
    public String sendTo(String queue) {
        return kit.send(Objects.requireNonNull(queue, "queue"), this);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("OutgoingMessage{payload=").append(payload.getClass().getSimpleName());
        if (group != null) {
            text.append(", group=").append(group);
        }
        if (deduplicationId != null) {
            text.append(", deduplicationId=").append(deduplicationId);
        }
        if (!attributes.isEmpty()) {
            text.append(", attributes=").append(attributes.keySet());
        }
        if (delay != null) {
            text.append(", delay=").append(Durations.format(delay));
        }
        return text.append('}').toString();
    }

    /** SQS's rule for {@code MessageGroupId} and {@code MessageDeduplicationId}. */
    private static String token(String what, String value) {
        if (value == null || value.isEmpty() || value.length() > 128
                || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw new IllegalArgumentException(what + " must be 1 to 128 characters from a-z, A-Z, 0-9 and"
                    + " punctuation, but was " + quoted(value));
        }
        return value;
    }

    private static String attributeName(String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (name == null || !ATTRIBUTE_NAME.matcher(name).matches() || lower.startsWith("aws.")
                || lower.startsWith("amazon.") || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            throw new IllegalArgumentException("a message attribute name must be 1 to 256 characters from a-z, A-Z,"
                    + " 0-9, '-', '_' and '.', not start with 'AWS.' or 'Amazon.', not start or end with '.' and hold"
                    + " no '..', but was " + quoted(name));
        }
        return name;
    }

    private static String attributeValue(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("message attribute '" + name + "' must have a non-empty value, but was "
                    + quoted(value));
        }
        return value;
    }

    private static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() <= 140 ? value : value.substring(0, 137) + "...";
        return "\"" + shown + "\"" + (value.length() > 128 ? " (" + value.length() + " characters)" : "");
    }
}
