package io.sluice;

/**
 * How many messages a queue holds, as SQS approximates them ({@code ApproximateNumberOfMessages}, {@code
 * ...NotVisible}, {@code ...Delayed}): what the article says to watch, since a growing queue means more consumers are
 * needed. Read with {@link Worker#queueDepths()}.
 *
 * @param visible    messages waiting to be received
 * @param inFlight   messages received by some consumer and not yet deleted (any worker's, not only this one's)
 * @param delayed    messages not yet visible because of a delay
 */
public record QueueDepth(String queue, long visible, long inFlight, long delayed) {
}
