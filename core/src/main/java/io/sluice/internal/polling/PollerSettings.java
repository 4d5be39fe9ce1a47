package io.sluice.internal.polling;

import java.time.Duration;

/**
 * What each poller of a queue asks for.
 *
 * @param minMessages       a poller receives once this many handler slots are free (its share, up to a full receive),
 *                          or once some are free and no other came back for {@code QueuePoller.BATCH_WAIT}: under load
 *                          receives stay full instead of shrinking to the one slot that just came free
 * @param maxMessages       most messages per receive (1..10)
 * @param waitTime          the long poll's wait (0..20 s)
 * @param visibilityTimeout the visibility requested on receive, or {@code null} for the queue's
 * @param allAttributes     ask for every system attribute (the handler reads them), not only those the pipeline reads
 * @param fifo              a FIFO queue: receives carry a {@code ReceiveRequestAttemptId}
 */
public record PollerSettings(String queue, String queueUrl, int minMessages, int maxMessages, Duration waitTime,
        Duration visibilityTimeout, boolean allAttributes, boolean fifo) {

    public PollerSettings {
        if (minMessages < 1 || minMessages > maxMessages) {
            throw new IllegalArgumentException("need 1 <= minMessages <= maxMessages, but they were " + minMessages
                    + " and " + maxMessages);
        }
    }
}
