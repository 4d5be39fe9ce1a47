package io.sluice.internal.lease;

import io.sluice.Delivery;
import io.sluice.internal.batch.SendEntry;
import io.sluice.internal.support.MessageRules;
import io.sluice.internal.support.SystemAttributes;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * How a message received before its due time goes back: invisible for {@code hold} (one {@code
 * ChangeMessageVisibility}, up to SQS's 12 hours per receive, but the next receive counts), or sent again with a delay
 * of {@code hold} (up to SQS's 15 minutes) and deleted (a send and a delete, and the copy starts with a fresh receive
 * count).
 *
 * <p>{@link #of} chooses: the last stretch (15 minutes or less) is always a re-send, so that the delivery the handler
 * sees starts from receive count 1 like any other message; a longer wait is a visibility hop while the next receive
 * stays below the queue's {@code maxReceiveCount} with one to spare (SQS would otherwise move the message to the DLQ),
 * and a re-send of 15 minutes when it would not.
 */
public record Postponement(Instant due, Duration hold, boolean resend) {

    /** SQS's longest message delay. */
    static final Duration LONGEST_DELAY = Duration.ofSeconds(MessageRules.MAX_DELAY_SECONDS);
    /** SQS's longest visibility per receive, less a minute for the time between SQS's receive and this worker's. */
    static final Duration LONGEST_HOLD = Duration.ofHours(12).minusMinutes(1);

    /**
     * @param remaining       how long until the message is due (more than zero)
     * @param maxReceiveCount the queue's RedrivePolicy's, or {@code null} when it has none
     */
    public static Postponement of(Delivery delivery, Instant due, Duration remaining, Integer maxReceiveCount) {
        if (remaining.compareTo(LONGEST_DELAY) <= 0) {
            long seconds = remaining.getSeconds() + (remaining.getNano() > 0 ? 1 : 0);
            return new Postponement(due, Duration.ofSeconds(Math.max(1, seconds)), true);
        }
        boolean nextReceiveIsSafe = maxReceiveCount == null || delivery.receiveCount() + 1 < maxReceiveCount;
        if (!nextReceiveIsSafe) {
            return new Postponement(due, LONGEST_DELAY, true);
        }
        Duration hop = remaining.minus(LONGEST_DELAY);
        return new Postponement(due, hop.compareTo(LONGEST_HOLD) < 0 ? hop.withNanos(0).plusSeconds(1)
                : LONGEST_HOLD, false);
    }

    /**
     * The message sent again: its body and message attributes (its due time among them) and its {@code AWSTraceHeader},
     * delayed by {@link #hold}.
     */
    SendEntry copyOf(Message message, Delivery delivery) {
        SendMessageBatchRequestEntry entry = SendMessageBatchRequestEntry.builder()
                .messageBody(message.body())
                .messageAttributes(message.messageAttributes())
                .messageSystemAttributes(SystemAttributes.forCopy(message))
                .messageGroupId(delivery.groupId()) // a fair queue's tenant
                .delaySeconds((int) hold.getSeconds())
                .build();
        return new SendEntry(entry, "scheduled message " + delivery.messageId(),
                MessageRules.size(message.body(), message.messageAttributes()));
    }
}
