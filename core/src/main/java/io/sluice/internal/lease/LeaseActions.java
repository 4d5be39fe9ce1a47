package io.sluice.internal.lease;

import io.sluice.internal.ack.AckBatcher;
import io.sluice.internal.batch.Batcher;
import io.sluice.internal.batch.SendEntry;
import io.sluice.internal.policy.DeadLetterRouter;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * What a queue's leases settle with: deletes and visibility changes in batches, and the dead-letter queue.
 *
 * @param deletes     {@code DeleteMessageBatch} of up to ten
 * @param releases    {@code ChangeMessageVisibilityBatch}, sent at once (releases and redelivery back-offs)
 * @param deadLetters the queue's dead-letter queue, or {@code null} when none is known
 * @param resends     {@code SendMessageBatch} to the queue itself: scheduled messages sent again with a fresh delay
 */
public record LeaseActions(AckBatcher deletes, AckBatcher releases, DeadLetterRouter deadLetters,
        Batcher<SendEntry, SendMessageBatchResultEntry> resends) {
}
