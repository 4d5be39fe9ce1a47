package io.sluice.internal.sink;

import java.time.Duration;

/**
 * How a queue's messages reach its handler, decided at startup from the queue's type, its settings and the handler's
 * signature.
 *
 * @param ordered      FIFO: one call per message group at a time, in order
 * @param groupCap     standard queues: most calls of one group at once ({@code Integer.MAX_VALUE}: no cap)
 * @param maxBatchSize a batch handler's most messages per call; 0 for a single-message handler
 * @param maxBatchWait a batch handler's longest wait for a batch to fill
 * @param parkable     how many deliveries waiting for their group's turn may give their handler slot back at once (the
 *                     queue's concurrency): this worker then holds at most twice its concurrency in messages
 */
public record SinkRules(boolean ordered, int groupCap, int maxBatchSize, Duration maxBatchWait, int parkable) {

    /** Whether the handler takes batches. */
    public boolean batching() {
        return maxBatchSize > 0;
    }

    /** Whether messages are bound by their group (ordered, or capped). */
    public boolean grouped() {
        return ordered || groupCap != Integer.MAX_VALUE;
    }
}
