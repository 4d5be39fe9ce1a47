package io.sluice.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.DeadLetterReason;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A message in a dead-letter queue, as {@link SluiceTestKit#deadLetters(String)} finds it: its body, the payload read
 * with the worker's mapper, and the reason Sluice wrote on it as a typed {@link DeadLetterReason} instead of raw
 * attributes.
 */
public final class DeadLetter {

    private final Message message;
    private final ObjectMapper mapper;

    DeadLetter(Message message, ObjectMapper mapper) {
        this.message = message;
        this.mapper = mapper;
    }

    /** The message as it sits in the dead-letter queue, attributes included. */
    public Message message() {
        return message;
    }

    public String body() {
        return message.body();
    }

    /** The body read as {@code type} with the worker's {@code ObjectMapper}. */
    public <T> T payload(Class<T> type) {
        if (type == String.class) {
            return type.cast(message.body());
        }
        try {
            return mapper.readValue(message.body(), type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the dead-lettered message " + message.messageId() + " is not a "
                    + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Why Sluice dead-lettered it.
     *
     * @throws AssertionError when the message carries no reason (SQS's own redrive moved it, or it had no room)
     */
    public DeadLetterReason reason() {
        Optional<DeadLetterReason> reason = DeadLetterReason.of(message);
        return reason.orElseThrow(() -> new AssertionError("the dead-lettered message " + message.messageId()
                + " carries no Sluice reason (SQS's redrive moved it, or its attributes left no room): "
                + message.messageAttributes().keySet()));
    }

    @Override
    public String toString() {
        return "DeadLetter{" + message.messageId() + ", " + DeadLetterReason.of(message).map(
                DeadLetterReason::errorClass).orElse("no reason") + '}';
    }
}
