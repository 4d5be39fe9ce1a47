package io.sluice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Why Sluice sent a message to its dead-letter queue, as it wrote it on the message: one message attribute per field
 * ({@value #ERROR_CLASS}, {@value #ERROR_MESSAGE}, {@value #HANDLER}, {@value #ATTEMPTS}, {@value #FIRST_FAILURE},
 * {@value #LAST_FAILURE}, {@value #SOURCE_QUEUE}), or all of them packed as JSON in {@value #ERROR} when the message's own
 * attributes left too little room. {@link #of(Message)} reads either form back, for tests, DLQ tools and redrives.
 *
 * @param errorClass   the failure's class name
 * @param errorMessage its message (shortened to 1 KiB)
 * @param handler      the handler, {@code Class.method}
 * @param attempts     deliveries before it was dead-lettered (its receive count)
 * @param firstFailure when it first failed, as far as known
 * @param lastFailure  when it failed last
 * @param sourceQueue  the queue it was consumed from
 */
public record DeadLetterReason(String errorClass, String errorMessage, String handler, int attempts,
        Instant firstFailure, Instant lastFailure, String sourceQueue) {

    public static final String ERROR = "sluice.error";
    public static final String ERROR_CLASS = "sluice.error.class";
    public static final String ERROR_MESSAGE = "sluice.error.message";
    public static final String HANDLER = "sluice.handler";
    public static final String ATTEMPTS = "sluice.attempts";
    public static final String FIRST_FAILURE = "sluice.first-failure";
    public static final String LAST_FAILURE = "sluice.last-failure";
    public static final String SOURCE_QUEUE = "sluice.source-queue";
    /** Every message attribute a reason is written in: the one per field and the packed one. */
    public static final List<String> ATTRIBUTE_NAMES = List.of(ERROR, ERROR_CLASS, ERROR_MESSAGE, HANDLER, ATTEMPTS,
            FIRST_FAILURE, LAST_FAILURE, SOURCE_QUEUE);
    /**
     * The field of the packed reason ({@value #ERROR}) holding the message's own attributes moved there to make room (a
     * message dead-lettered with SQS's 10 attributes): name to {@code DataType} and {@code StringValue} or base64 {@code
     * BinaryValue}.
     */
    public static final String MOVED_ATTRIBUTES = "attributes";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The reason written on {@code message} (received with its message attributes), or empty when it carries none: it
     * was not dead-lettered by Sluice, or its attributes left no room for a reason.
     */
    public static Optional<DeadLetterReason> of(Message message) {
        Map<String, MessageAttributeValue> attributes = message.messageAttributes();
        MessageAttributeValue packed = attributes.get(ERROR);
        if (packed != null && packed.stringValue() != null) {
            try {
                JsonNode fields = JSON.readTree(packed.stringValue());
                return read(name -> fields.hasNonNull(name) ? fields.get(name).asText() : null);
            } catch (JsonProcessingException e) {
                return Optional.empty();
            }
        }
        return read(name -> attributes.containsKey(name) ? attributes.get(name).stringValue() : null);
    }

    /**
     * The attributes {@code message} had before it was dead-lettered: its attributes without the reason, with those
     * moved into the packed reason put back. What a redrive sends, and what a message dead-lettered again starts from
     * (one moved back by StartMessageMoveTask keeps its old reason).
     */
    public static Map<String, MessageAttributeValue> originalAttributes(Message message) {
        Map<String, MessageAttributeValue> own = new LinkedHashMap<>(message.messageAttributes());
        MessageAttributeValue packed = own.get(ERROR);
        own.keySet().removeAll(ATTRIBUTE_NAMES);
        if (packed != null && packed.stringValue() != null) {
            try {
                JsonNode moved = JSON.readTree(packed.stringValue()).path(MOVED_ATTRIBUTES);
                moved.fields().forEachRemaining(field -> {
                    JsonNode value = field.getValue();
                    MessageAttributeValue.Builder restored = MessageAttributeValue.builder()
                            .dataType(value.path("DataType").asText("String"));
                    if (value.has("BinaryValue")) {
                        restored.binaryValue(SdkBytes.fromByteArray(Base64.getDecoder().decode(
                                value.get("BinaryValue").asText())));
                    } else {
                        restored.stringValue(value.path("StringValue").asText());
                    }
                    own.put(field.getKey(), restored.build());
                });
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // not a reason Sluice wrote: nothing was moved
            }
        }
        return own;
    }

    private static Optional<DeadLetterReason> read(Function<String, String> field) {
        String errorClass = field.apply(ERROR_CLASS);
        if (errorClass == null) {
            return Optional.empty();
        }
        return Optional.of(new DeadLetterReason(errorClass, field.apply(ERROR_MESSAGE), field.apply(HANDLER),
                number(field.apply(ATTEMPTS)), instant(field.apply(FIRST_FAILURE)), instant(field.apply(LAST_FAILURE)),
                field.apply(SOURCE_QUEUE)));
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
