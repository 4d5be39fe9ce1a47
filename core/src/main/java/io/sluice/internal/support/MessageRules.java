package io.sluice.internal.support;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * SQS's rules for a message sent, in one place: what {@code SendMessageBatch} refuses and the error it refuses it with.
 * The in-memory transport rejects by them, and the producer checks by them before any request, so both refuse exactly
 * what SQS refuses. Sources: the API reference of SendMessage, SendMessageBatch, MessageAttributeValue and
 * MessageSystemAttributeValue, the developer guide's pages on message attributes and message quotas, and SQS's answers where the documentation is silent
 * (which error fails a whole batch, an empty id).
 *
 * <p>A violation's message names the parameter or the attribute and the limit, never a body or an attribute value (a
 * short quoted excerpt of an id or a name at most).
 */
public final class MessageRules {

    /** The most message attributes a message can have. */
    public static final int MAX_ATTRIBUTES = 10;
    /** The longest per-message (and per-queue) delay, in seconds. */
    public static final int MAX_DELAY_SECONDS = 900;
    /** SQS's largest and default MaximumMessageSize, in bytes (body and attributes). */
    public static final int MAX_MESSAGE_SIZE = 1_048_576;
    /** The most bytes the messages of one SendMessageBatch call may hold together (bodies and attributes). */
    public static final int MAX_BATCH_SIZE = 1_048_576;

    private static final int MAX_NAME_LENGTH = 256;
    private static final int MAX_TOKEN_LENGTH = 128;
    private static final int MAX_PRECISION = 38;
    private static final BigDecimal SMALLEST_NUMBER = new BigDecimal("1E-128");
    private static final BigDecimal LARGEST_NUMBER = new BigDecimal("1E+126");
    private static final int EXCERPT = 32;
    private static final String ALLOWED = "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF";
    private static final List<String> TYPES = List.of("Binary", "Number", "String");
    private static final String TRACE_HEADER = MessageSystemAttributeNameForSends.AWS_TRACE_HEADER.toString();

    private MessageRules() {
    }

    /** The SQS error a violation is reported with. */
    public enum Kind {
        MISSING_PARAMETER("MissingParameter"),
        INVALID_PARAMETER_VALUE("InvalidParameterValue"),
        INVALID_MESSAGE_CONTENTS("InvalidMessageContents"),
        BATCH_REQUEST_TOO_LONG("AWS.SimpleQueueService.BatchRequestTooLong");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** The error code SQS answers with, e.g. {@code InvalidParameterValue}. */
        public String code() {
            return code;
        }
    }

    /**
     * What a queue allows: its type, whether it deduplicates by content, its MaximumMessageSize.
     *
     * @param maximumMessageSize the most bytes a message (body and attributes) may hold, 1 to {@link #MAX_MESSAGE_SIZE}
     */
    public record Limits(boolean fifo, boolean contentBasedDeduplication, int maximumMessageSize) {

        /** A standard queue with the default MaximumMessageSize. */
        public static final Limits STANDARD = new Limits(false, false, MAX_MESSAGE_SIZE);

        public Limits {
            if (maximumMessageSize < 1 || maximumMessageSize > MAX_MESSAGE_SIZE) {
                throw new IllegalArgumentException("maximumMessageSize must be between 1 and " + MAX_MESSAGE_SIZE
                        + ", but was " + maximumMessageSize);
            }
            if (contentBasedDeduplication && !fifo) {
                throw new IllegalArgumentException("contentBasedDeduplication applies to FIFO queues only");
            }
        }

        /**
         * The limits of a queue with these attributes, as GetQueueAttributes returns them ({@code FifoQueue}, {@code
         * ContentBasedDeduplication}, {@code MaximumMessageSize}); one not given has SQS's default.
         */
        public static Limits of(Map<String, String> queueAttributes) {
            String size = queueAttributes.get("MaximumMessageSize");
            int maximumMessageSize;
            try {
                maximumMessageSize = size == null ? MAX_MESSAGE_SIZE : Integer.parseInt(size);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("MaximumMessageSize must be a number of bytes, but was '" + size
                        + "'");
            }
            return new Limits("true".equalsIgnoreCase(queueAttributes.get("FifoQueue")),
                    "true".equalsIgnoreCase(queueAttributes.get("ContentBasedDeduplication")), maximumMessageSize);
        }
    }

    /**
     * One broken rule: the SQS error kind, and a message in SQS's wording that names the parameter or attribute and the
     * limit.
     *
     * @param failsBatch whether SQS fails the whole SendMessageBatch call for it (HTTP 400) instead of reporting the
     *                   entry as failed and sending the others
     */
    public record Violation(Kind kind, String message, boolean failsBatch) {

        /** The error code SQS answers with, e.g. {@code InvalidParameterValue}. */
        public String code() {
            return kind.code();
        }
    }

    /**
     * The first rule {@code entry} breaks on a queue with these limits, or {@code null} when SQS would take it.
     * Reported as SendMessageBatch reports it: a FIFO entry without {@code MessageGroupId}, or without {@code
     * MessageDeduplicationId} on a queue that does not deduplicate by content, fails the whole call ({@link
     * Violation#failsBatch()}); anything else fails the entry alone.
     */
    public static Violation check(SendMessageBatchRequestEntry entry, Limits limits) {
        if (limits.fifo() && entry.messageGroupId() == null) {
            return new Violation(Kind.INVALID_PARAMETER_VALUE, "The request must contain the parameter MessageGroupId.",
                    true);
        }
        if (limits.fifo() && entry.messageDeduplicationId() == null && !limits.contentBasedDeduplication()) {
            return new Violation(Kind.INVALID_PARAMETER_VALUE, "The queue should either have ContentBasedDeduplication"
                    + " enabled or MessageDeduplicationId provided explicitly", true);
        }
        String body = entry.messageBody();
        if (body == null || body.isEmpty()) {
            return invalid(Kind.MISSING_PARAMETER, "The request must contain the parameter MessageBody.");
        }
        int bad = firstInvalid(body);
        if (bad >= 0) {
            return invalid(Kind.INVALID_MESSAGE_CONTENTS, "Invalid characters found in MessageBody: " + at(body, bad)
                    + ". Valid values are " + ALLOWED);
        }
        Violation attributes = checkAttributes(entry.messageAttributes());
        if (attributes == null) {
            attributes = checkSystemAttributes(entry.messageSystemAttributesAsStrings());
        }
        if (attributes != null) {
            return attributes;
        }
        if (size(body, entry.messageAttributes()) > limits.maximumMessageSize()) {
            return invalid("One or more parameters cannot be validated. Reason: Message must be shorter than "
                    + limits.maximumMessageSize() + " bytes.");
        }
        Violation delay = checkDelay(entry.delaySeconds(), limits.fifo());
        if (delay != null) {
            return delay;
        }
        if (entry.messageGroupId() != null) {
            Violation group = checkToken("MessageGroupId", entry.messageGroupId());
            if (group != null) {
                return group;
            }
        }
        if (entry.messageDeduplicationId() == null) {
            return null;
        }
        if (!limits.fifo()) {
            return invalid("The request include parameter MessageDeduplicationId that is not valid for this queue"
                    + " type");
        }
        return checkToken("MessageDeduplicationId", entry.messageDeduplicationId());
    }

    /**
     * The first rule these message attributes break, or {@code null}: at most {@link #MAX_ATTRIBUTES}, each name valid
     * ({@link #checkAttributeName}), a data type of String, Number or Binary with an optional custom label (up to 256
     * characters, those of a body), and a non-empty value: a String one of a body's characters, a Number one within
     * SQS's range (up to 38 digits of precision, between 10^-128 and 10^+126 in magnitude).
     */
    public static Violation checkAttributes(Map<String, MessageAttributeValue> attributes) {
        if (attributes == null) {
            return null;
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            return invalid("Number of message attributes [" + attributes.size() + "] exceeds the allowed maximum ["
                    + MAX_ATTRIBUTES + "].");
        }
        for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
            Violation violation = checkAttributeName(attribute.getKey());
            if (violation == null) {
                violation = checkAttributeValue(attribute.getKey(), attribute.getValue());
            }
            if (violation != null) {
                return violation;
            }
        }
        return null;
    }

    /**
     * The first rule these message system attributes break, or {@code null}: {@code AWSTraceHeader} is the only name
     * SQS takes, its data type is String and its value is not empty. Their size does not count towards the message's.
     */
    public static Violation checkSystemAttributes(Map<String, MessageSystemAttributeValue> attributes) {
        if (attributes == null) {
            return null;
        }
        for (Map.Entry<String, MessageSystemAttributeValue> attribute : attributes.entrySet()) {
            if (!TRACE_HEADER.equals(attribute.getKey())) {
                return invalid("Message system attribute name " + quote(String.valueOf(attribute.getKey()))
                        + " is invalid.");
            }
            MessageSystemAttributeValue value = attribute.getValue();
            if (value == null || !"String".equals(value.dataType())) {
                return invalid("The message system attribute '" + TRACE_HEADER + "' is reserved for AWS X-Ray trace"
                        + " header. The type must be 'String'.");
            }
            if (value.stringValue() == null || value.stringValue().isEmpty()) {
                return invalid("Message system attribute '" + TRACE_HEADER + "' must contain a non-empty value of"
                        + " type 'String'.");
            }
        }
        return null;
    }

    /**
     * Why SQS would refuse {@code name} as a message attribute name, or {@code null}: 1 to 256 letters, digits, {@code
     * _}, {@code -} and {@code .}; not starting with {@code AWS.} or {@code Amazon.} in any case; no period first, last
     * or next to another. Letters and digits beyond ASCII are taken, as SQS takes them ({@code attr.1øßä}), though
     * the documentation lists only A-Z, a-z and 0-9.
     */
    public static Violation checkAttributeName(String name) {
        if (name == null || name.isEmpty()) {
            return invalid("The request must contain non-empty message attribute name.");
        }
        String invalid = "Message attribute name " + quote(name) + " is invalid. Reason: ";
        if (name.length() > MAX_NAME_LENGTH) {
            return invalid(invalid + "a name can be up to " + MAX_NAME_LENGTH + " characters long.");
        }
        for (int i = 0; i < name.length(); i += Character.charCount(name.codePointAt(i))) {
            int c = name.codePointAt(i);
            if (!(c == '_' || c == '-' || c == '.' || Character.isLetterOrDigit(c))) {
                return invalid(invalid + at(name, i) + " is not a letter, a digit, an underscore (_), a hyphen (-) or"
                        + " a period (.).");
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("aws.") || lower.startsWith("amazon.")) {
            return invalid(invalid + "names starting with 'AWS.' or 'Amazon.' (any case) are reserved.");
        }
        if (name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            return invalid(invalid + "a name must not start or end with a period (.), nor have periods in succession.");
        }
        return null;
    }

    /**
     * Why SQS would refuse {@code value} for {@code parameter} ({@code MessageGroupId}, {@code MessageDeduplicationId},
     * {@code ReceiveRequestAttemptId}), or {@code null}: 1 to 128 alphanumeric and punctuation characters.
     */
    public static Violation checkToken(String parameter, String value) {
        if (!value.isEmpty() && value.length() <= MAX_TOKEN_LENGTH
                && value.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            return null;
        }
        return invalid("Value " + quote(value) + " for parameter " + parameter + " is invalid. Reason: " + parameter
                + " can only include alphanumeric and punctuation characters. 1 to " + MAX_TOKEN_LENGTH
                + " in length.");
    }

    /**
     * Why SQS would refuse {@code delaySeconds} as a message's {@code DelaySeconds} (0 to 900; on a FIFO queue none but
     * 0), or {@code null} when it takes it, as it takes none at all.
     */
    public static Violation checkDelay(Integer delaySeconds, boolean fifo) {
        if (delaySeconds == null) {
            return null;
        }
        if (delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
            return invalid("Value " + delaySeconds + " for parameter DelaySeconds is invalid. Reason: must be between 0"
                    + " and " + MAX_DELAY_SECONDS + ", if provided.");
        }
        if (fifo && delaySeconds > 0) {
            return invalid("Value " + delaySeconds + " for parameter DelaySeconds is invalid. Reason: The request"
                    + " include parameter that is not valid for this queue type.");
        }
        return null;
    }

    /**
     * Whether SendMessageBatch refuses {@code entries} as a whole for their size: more than {@link #MAX_BATCH_SIZE}
     * bytes of bodies and attributes together. {@code null} when they fit.
     */
    public static Violation checkBatchSize(List<SendMessageBatchRequestEntry> entries) {
        long total = 0;
        for (SendMessageBatchRequestEntry entry : entries) {
            total += size(entry.messageBody(), entry.messageAttributes(), false);
        }
        if (total <= MAX_BATCH_SIZE) {
            return null;
        }
        return new Violation(Kind.BATCH_REQUEST_TOO_LONG, "Batch requests cannot be longer than " + MAX_BATCH_SIZE
                + " bytes. You have sent " + total + " bytes.", true);
    }

    /**
     * The size SQS counts for a message (UTF-8 body plus each attribute's name, type and value; message system
     * attributes do not count), or -1 when the body or a string value (or an attribute's name or type) holds a
     * character SQS does not allow.
     */
    public static int size(String body, Map<String, MessageAttributeValue> attributes) {
        return (int) size(body, attributes, true);
    }

    private static long size(String body, Map<String, MessageAttributeValue> attributes, boolean strict) {
        long size = length(body, strict);
        if (attributes == null || size < 0) {
            return size;
        }
        for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
            MessageAttributeValue value = attribute.getValue();
            if (value == null) {
                continue;
            }
            long name = length(attribute.getKey(), strict);
            long type = length(value.dataType(), strict);
            long content = value.binaryValue() != null ? value.binaryValue().asByteArrayUnsafe().length
                    : length(value.stringValue(), strict);
            if (name < 0 || type < 0 || content < 0) {
                return -1;
            }
            size += name + type + content;
        }
        return size;
    }

    private static Violation checkAttributeValue(String name, MessageAttributeValue value) {
        String type = value == null ? null : value.dataType();
        if (type == null || type.isEmpty()) {
            return invalid("The message attribute " + quote(name) + " must contain non-empty message attribute type.");
        }
        String base = TYPES.stream().filter(type::startsWith).findFirst().orElse(null);
        String invalidType = "The type of message (user) attribute " + quote(name) + " is invalid. ";
        if (base == null) {
            return invalid(invalidType + "You must use only the following supported type prefixes: Binary, Number,"
                    + " String.");
        }
        if (type.length() > MAX_NAME_LENGTH) {
            return invalid(invalidType + "Reason: a type can be up to " + MAX_NAME_LENGTH + " characters long.");
        }
        int bad = firstInvalid(type);
        if (bad >= 0) {
            return invalid(invalidType + "Reason: " + at(type, bad) + " is outside " + ALLOWED + ".");
        }
        boolean binary = base.equals("Binary");
        if (binary ? value.binaryValue() == null || value.binaryValue().asByteArrayUnsafe().length == 0
                : value.stringValue() == null || value.stringValue().isEmpty()) {
            return invalid("Message (user) attribute " + quote(name) + " must contain a non-empty value of type '"
                    + base + "'.");
        }
        if (binary) {
            return null;
        }
        String text = value.stringValue();
        bad = firstInvalid(text);
        if (bad >= 0) {
            return invalid("Message (user) attribute " + quote(name) + " has a value with invalid characters: "
                    + at(text, bad) + ". Valid values are " + ALLOWED);
        }
        return base.equals("Number") ? checkNumber(name, text) : null;
    }

    private static Violation checkNumber(String name, String text) {
        BigDecimal number;
        try {
            number = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return invalid("Can't cast the value of message (user) attribute " + quote(name) + " to a number.");
        }
        if (number.signum() == 0) {
            return null;
        }
        String outOfRange = "The value of message (user) attribute " + quote(name) + " is out of range for type"
                + " Number. Reason: ";
        int precision = number.stripTrailingZeros().precision();
        if (precision > MAX_PRECISION) {
            return invalid(outOfRange + "it has " + precision + " digits of precision; a number can have up to "
                    + MAX_PRECISION + ".");
        }
        BigDecimal magnitude = number.abs();
        if (magnitude.compareTo(SMALLEST_NUMBER) < 0 || magnitude.compareTo(LARGEST_NUMBER) > 0) {
            return invalid(outOfRange + "a number can be between 10^-128 and 10^+126.");
        }
        return null;
    }

    private static Violation invalid(String message) {
        return invalid(Kind.INVALID_PARAMETER_VALUE, message);
    }

    private static Violation invalid(Kind kind, String message) {
        return new Violation(kind, message, false);
    }

    /** UTF-8 length of {@code text} (0 for null), or -1 when {@code strict} and it holds a character SQS refuses. */
    private static long length(String text, boolean strict) {
        if (text == null) {
            return 0;
        }
        if (strict && firstInvalid(text) >= 0) {
            return -1;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * The index of the first character of {@code text} outside SQS's set (#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to
     * #xFFFD | #x10000 to #x10FFFF), or -1.
     */
    private static int firstInvalid(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD || c == 0xFFFE || c == 0xFFFF
                    || Character.isLowSurrogate(c)) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /** Names the character at {@code index} without showing the text around it: {@code U+0000 at index 4}. */
    private static String at(String text, int index) {
        return String.format(Locale.ROOT, "U+%04X at index %d", text.codePointAt(index), index);
    }

    /** {@code text} quoted, its first 32 characters at most, anything unprintable escaped: for names and ids only. */
    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("'");
        int end = Math.min(text.length(), EXCERPT);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F || Character.isLetterOrDigit(c)) {
                quoted.append(c);
            } else {
                quoted.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            }
        }
        quoted.append(text.length() > EXCERPT ? "...' (" + text.length() + " characters)" : "'");
        return quoted.toString();
    }
}
