package io.sluice.internal.support;

import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

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
}
