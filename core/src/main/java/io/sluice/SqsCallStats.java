package io.sluice;

import java.time.Duration;

/**
 * The SQS calls a worker made to one queue with one action since it was built: what SQS bills is requests, so calls per
 * message handled is a live cost figure. Read with {@link Worker#sqsCalls()}.
 *
 * @param queue     the queue (for {@code GetQueueUrl} and {@code CreateQueue}, the name asked for)
 * @param action    the SQS action: {@code ReceiveMessage}, {@code DeleteMessageBatch}, {@code
 *                  ChangeMessageVisibilityBatch}, {@code SendMessageBatch}, {@code GetQueueAttributes}, {@code
 *                  GetQueueUrl}, {@code CreateQueue}
 * @param calls     calls made (each a billed request, retries included)
 * @param failures  calls that failed as a whole (a batch call with failed entries is not one)
 * @param totalTime the time all the calls took, from request to answer (a long poll's wait included)
 */
public record SqsCallStats(String queue, String action, long calls, long failures, Duration totalTime) {
}
