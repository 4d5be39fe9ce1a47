package io.sluice.internal.producer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.internal.batch.SendEntry;
import io.sluice.internal.support.DueTime;
import io.sluice.internal.support.MessageRules;
import io.sluice.producer.OutgoingMessage;
import io.sluice.producer.SendFailedException;
import io.sluice.producer.SendHook;
import io.sluice.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Turns an {@link OutgoingMessage} into what goes on the wire, in two steps: {@link #draft} on the sending thread
 * (the body written with the mapper, the hooks run, the due time fixed), then {@link #fit} once the queue is known
 * (the delay as {@code DelaySeconds}, or scheduled delivery beyond SQS's 15 minutes; then every rule SQS applies,
 * checked by {@link MessageRules} before any request). Thread safe.
 */
public final class MessageEncoder {

    private final ObjectMapper mapper;
    private final List<SendHook> hooks;

    public MessageEncoder(ObjectMapper mapper, List<SendHook> hooks) {
        this.mapper = mapper;
        this.hooks = List.copyOf(hooks);
    }

    /**
     * Writes the body and runs the hooks.
     *
     * @param label how errors name the message, e.g. {@code message 3 of 12 (Order)}
     * @param now   the producer's clock now: a delay counts from it
     * @throws SendFailedException when the payload cannot be written as JSON
     */
    public Draft draft(String queue, OutgoingMessage message, String label, Instant now) {
        String body;
        if (message.payload() instanceof String text) {
            body = text;
        } else {
            try {
                body = mapper.writeValueAsString(message.payload());
            } catch (JsonProcessingException e) {
                throw new SendFailedException(queue, label + " to queue '" + queue + "' was not sent: its payload"
                        + " cannot be written as JSON: " + e.getOriginalMessage(), null, true, true, e);
            }
        }
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(message.attributes());
        hooks.forEach(hook -> hook.beforeSend(queue, attributes));
        Instant due = message.deliverAt() != null ? message.deliverAt()
                : message.delay() != null && !message.delay().isZero() ? now.plus(message.delay()) : null;
        return new Draft(label, body, attributes, message.groupId(), message.deduplicationId(), due);
    }

    /**
     * The request entry for {@code draft} on {@code target}'s queue.
     *
     * @throws SendFailedException naming the queue, the message and the limit, when SQS would refuse it
     */
    public SendEntry fit(Draft draft, QueueTarget target, Instant now) {
        Map<String, MessageAttributeValue> attributes = draft.attributes();
        SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder()
                .messageBody(draft.body())
                .messageGroupId(draft.groupId())
                .messageDeduplicationId(draft.deduplicationId());
        Duration remaining = draft.due() == null ? Duration.ZERO : Duration.between(now, draft.due());
        if (remaining.compareTo(Duration.ZERO) > 0) {
            if (remaining.compareTo(target.retention()) > 0) {
                throw refused(draft, target, MessageRules.Kind.INVALID_PARAMETER_VALUE.code(), "it is due in "
                        + Durations.format(remaining.withNanos(0)) + ", after the queue's retention period of "
                        + Durations.format(target.retention()) + ": SQS would delete it before it is due");
            }
            long seconds = remaining.getSeconds() + (remaining.getNano() > 0 ? 1 : 0);
            if (seconds <= MessageRules.MAX_DELAY_SECONDS) {
                entry.delaySeconds((int) seconds);
            } else {
                if (attributes.size() >= MessageRules.MAX_ATTRIBUTES) {
                    throw refused(draft, target, MessageRules.Kind.INVALID_PARAMETER_VALUE.code(), "it is due in more"
                            + " than 15 minutes, so its due time takes a message attribute (" + DueTime.ATTRIBUTE
                            + "), but it has " + attributes.size() + " already and SQS allows "
                            + MessageRules.MAX_ATTRIBUTES);
                }
                entry.delaySeconds(MessageRules.MAX_DELAY_SECONDS); // then scheduled delivery does the rest
                attributes = new LinkedHashMap<>(attributes);
                attributes.put(DueTime.ATTRIBUTE, DueTime.attribute(draft.due()));
            }
        }
        entry.messageAttributes(attributes);
        SendMessageBatchRequestEntry built = entry.build();
        MessageRules.Violation violation = MessageRules.check(built, target.limits());
        if (violation != null) {
            throw refused(draft, target, violation.code(), violation.message());
        }
        return new SendEntry(built, draft.label(), MessageRules.size(draft.body(), attributes));
    }

    private static SendFailedException refused(Draft draft, QueueTarget target, String code, String reason) {
        return new SendFailedException(target.queue(), draft.label() + " to queue '" + target.queue() + "' was refused"
                + " before sending (" + code + "): " + reason, code, true, true, null);
    }
}
