package io.sluice.internal.support;

import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;

/**
 * Reads a received message's system attributes. {@code Message.attributes()} converts the whole map to enum keys on
 * every call; the pipeline reads a few attributes of every message, so it reads the string map the SDK keeps.
 */
public final class SystemAttributes {

    private SystemAttributes() {
    }

    /** The attribute's value, or {@code null} when the message does not carry it. */
    public static String get(Message message, MessageSystemAttributeName name) {
        return message.attributesAsStrings().get(name.toString());
    }

    /**
     * The message system attributes a copy of {@code message} is sent with, so that its trace goes on: its {@code
     * AWSTraceHeader}, or none when it came without one (or the receive did not ask for it).
     */
    public static Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> forCopy(Message message) {
        String trace = get(message, MessageSystemAttributeName.AWS_TRACE_HEADER);
        if (trace == null) {
            return Map.of();
        }
        return Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                MessageSystemAttributeValue.builder().dataType("String").stringValue(trace).build());
    }
}
