package io.sluice.internal.support;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The due time of a message scheduled further ahead than SQS's 15-minute delay: the message attribute {@value #ATTRIBUTE}
 * holding an ISO-8601 instant ({@code 2026-11-30T10:15:00Z}). The producer writes it; the worker reads it, and a message
 * received before it is due is put back instead of handled. The one place that names, writes and reads it.
 */
public final class DueTime {

    /** The message attribute carrying the due time. */
    public static final String ATTRIBUTE = "sluice.deliver-at";

    private DueTime() {
    }

    /** The attribute value for {@code due}. */
    public static MessageAttributeValue attribute(Instant due) {
        return MessageAttributeValue.builder().dataType("String").stringValue(due.toString()).build();
    }

    /**
     * When {@code message} is due, or {@code null} when it carries no due time or an unreadable one (then it is due
     * now: a message is never held back on a value Sluice cannot read).
     */
    public static Instant of(Message message) {
        if (!message.hasMessageAttributes()) {
            return null;
        }
        MessageAttributeValue value = message.messageAttributes().get(ATTRIBUTE);
        if (value == null || value.stringValue() == null) {
            return null;
        }
        try {
            return Instant.parse(value.stringValue().trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
