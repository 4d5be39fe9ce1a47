package io.sluice.internal.producer;

import io.sluice.internal.batch.Batcher;
import io.sluice.internal.batch.SendEntry;
import io.sluice.internal.support.MessageRules;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * A queue the producer sends to, resolved once: its URL, what it allows, how long it keeps a message, and its batcher.
 *
 * @param queue     the queue as the caller gave it (a name or a URL), for messages
 * @param retention the queue's {@code MessageRetentionPeriod}: no message may be due later
 */
public record QueueTarget(String queue, String url, MessageRules.Limits limits, Duration retention,
        Batcher<SendEntry, SendMessageBatchResultEntry> sends) {
}
