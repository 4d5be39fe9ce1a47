package io.sluice.internal;

import io.sluice.SqsCallStats;
import io.sluice.internal.support.QueueRef;
import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.transport.SqsTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Counts a worker's SQS calls per queue and action, with their failures and time, as it passes them on: lock-free
 * adders, one map lookup per call. What {@code Worker.sqsCalls()} reports. Thread safe.
 */
public final class CallCounting extends ForwardingSqsTransport {

    private record Key(String queue, String action) {
    }

    private static final class Tally {
        final LongAdder calls = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    private final Clock clock;
    private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();

    /** @param clock times each call (the worker's clock) */
    public CallCounting(SqsTransport delegate, Clock clock) {
        super(delegate);
        this.clock = clock;
    }

    /** Every queue and action called so far, with its figures. */
    public List<SqsCallStats> stats() {
        List<SqsCallStats> stats = new ArrayList<>(tallies.size());
        tallies.forEach((key, tally) -> stats.add(new SqsCallStats(key.queue(), key.action(), tally.calls.sum(),
                tally.failures.sum(), Duration.ofNanos(tally.nanos.sum()))));
        return stats;
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        return count(request.queueName(), "GetQueueUrl", () -> super.getQueueUrl(request));
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return count(request.queueName(), "CreateQueue", () -> super.createQueue(request));
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return count(nameOf(request.queueUrl()), "GetQueueAttributes", () -> super.getQueueAttributes(request));
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        return count(nameOf(request.queueUrl()), "ReceiveMessage", () -> super.receiveMessage(request));
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return count(nameOf(request.queueUrl()), "DeleteMessageBatch", () -> super.deleteMessageBatch(request));
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return count(nameOf(request.queueUrl()), "ChangeMessageVisibilityBatch",
                () -> super.changeMessageVisibilityBatch(request));
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return count(nameOf(request.queueUrl()), "SendMessageBatch", () -> super.sendMessageBatch(request));
    }

    private <T> CompletableFuture<T> count(String queue, String action, Supplier<CompletableFuture<T>> call) {
        Tally tally = tallies.computeIfAbsent(new Key(queue == null ? "" : queue, action), key -> new Tally());
        tally.calls.increment();
        long start = nanos();
        CompletableFuture<T> result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            tally.failures.increment();
            throw e;
        }
        // Noted on the call's own future, which is returned as it is: cancelling it (an abandoned long poll) must reach
        // the transport.
        result.whenComplete((answer, error) -> {
            tally.nanos.add(Math.max(0, nanos() - start));
            if (error != null) {
                tally.failures.increment();
            }
        });
        return result;
    }

    /** The transport it counts, as errors name it ({@code SQS at http://...}): the counting is invisible. */
    @Override
    public String toString() {
        return delegate().toString();
    }

    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static String nameOf(String url) {
        try {
            return url == null ? "" : QueueRef.parse(url).name();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
