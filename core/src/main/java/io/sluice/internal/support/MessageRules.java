package io.sluice.internal.support;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** PROVISIONAL: replaced by the full rule set (issue 10, branch issue10-rules). */
public final class MessageRules {

    public static final int MAX_ATTRIBUTES = 10;
    public static final int MAX_DELAY_SECONDS = 900;
    public static final int MAX_MESSAGE_SIZE = 1_048_576;

    private MessageRules() {
    }

    public enum Kind {
        MISSING_PARAMETER("MissingParameter"),
        INVALID_PARAMETER_VALUE("InvalidParameterValue"),
        INVALID_MESSAGE_CONTENTS("InvalidMessageContents");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public record Limits(boolean fifo, boolean contentBasedDeduplication, int maximumMessageSize) {
    }

    public record Violation(Kind kind, String message) {
        public String code() {
            return kind.code();
        }
    }

    public static int size(String body, Map<String, MessageAttributeValue> attributes) {
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
            size += attribute.getKey().length() + attribute.getValue().dataType().length()
                    + (attribute.getValue().stringValue() == null ? 0 : attribute.getValue().stringValue().length());
        }
        return size;
    }

    public static Violation check(SendMessageBatchRequestEntry entry, Limits limits) {
        if (limits.fifo() && entry.messageGroupId() == null) {
            return new Violation(Kind.MISSING_PARAMETER, "The request must contain the parameter MessageGroupId.");
        }
        return null;
    }
}
