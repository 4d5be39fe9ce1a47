package io.sluice.testutil;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** SDK {@link Message}s as a receive returns them, for tests. */
public final class TestMessages {

    private TestMessages() {
    }

    /** A first delivery of {@code body}: id {@code id}, receipt handle {@code rh-<id>}, receive count 1. */
    public static Message message(String id, String body) {
        return message(id, body, 1);
    }

    public static Message message(String id, String body, int receiveCount) {
        SensitiveValues.body(body);
        SensitiveValues.secret(receiptHandleOf(id));
        return Message.builder()
                .messageId(id)
                .receiptHandle(receiptHandleOf(id))
                .body(body)
                .attributesWithStrings(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)))
                .build();
    }

    /** {@code message} with string attributes added. */
    public static Message withAttributes(Message message, Map<String, String> attributes) {
        Map<String, MessageAttributeValue> values = new LinkedHashMap<>(message.messageAttributes());
        attributes.forEach((name, value) -> values.put(name, stringAttribute(value)));
        return message.toBuilder().messageAttributes(values).build();
    }

    public static MessageAttributeValue stringAttribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** {@code count} messages {@code m1..m<count>} with JSON bodies {@code {"n": i}}. */
    public static List<Message> messages(int count) {
        List<Message> messages = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            messages.add(message("m" + i, "{\"n\": " + i + "}"));
        }
        return messages;
    }

    public static String receiptHandleOf(String messageId) {
        return "rh-" + messageId;
    }
}
