package io.sluice.internal;

import io.sluice.SqsCallStats;
import io.sluice.internal.support.QueueRef;
import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.transport.SqsTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** The actions counted, with SQS's names for them. */
    private enum Action {
        GET_QUEUE_URL("GetQueueUrl"),
        CREATE_QUEUE("CreateQueue"),
        GET_QUEUE_ATTRIBUTES("GetQueueAttributes"),
        RECEIVE_MESSAGE("ReceiveMessage"),
        DELETE_MESSAGE_BATCH("DeleteMessageBatch"),
        CHANGE_MESSAGE_VISIBILITY_BATCH("ChangeMessageVisibilityBatch"),
        SEND_MESSAGE_BATCH("SendMessageBatch");

        private final String sqsName;

        Action(String sqsName) {
            this.sqsName = sqsName;
        }
    }

    private static final class Tally {
        final LongAdder calls = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    /** One queue's tallies, one per action: found by the queue's URL (or name) with no allocation per call. */
    private static final class QueueTallies {
        final String queue;
        final Tally[] byAction = new Tally[Action.values().length];

        QueueTallies(String queue) {
            this.queue = queue;
            for (int i = 0; i < byAction.length; i++) {
                byAction[i] = new Tally();
            }
        }
    }

    private final Clock clock;
    /** By the queue's URL, or its name for the calls that name it. */
    private final Map<String, QueueTallies> queues = new ConcurrentHashMap<>();

    /** @param clock times each call (the worker's clock) */
    public CallCounting(SqsTransport delegate, Clock clock) {
        super(delegate);
        this.clock = clock;
    }

    /** Every queue and action called so far, with its figures. */
    public List<SqsCallStats> stats() {
        Map<String, SqsCallStats> stats = new LinkedHashMap<>();
        for (QueueTallies tallies : queues.values()) {
            for (Action action : Action.values()) {
                Tally tally = tallies.byAction[action.ordinal()];
                long calls = tally.calls.sum();
                if (calls == 0) {
                    continue;
                }
                // A queue called both by URL and by name (GetQueueUrl) is one queue: its figures add up.
                stats.merge(tallies.queue + '\u0000' + action.sqsName, new SqsCallStats(tallies.queue, action.sqsName,
                        calls, tally.failures.sum(), Duration.ofNanos(tally.nanos.sum())), CallCounting::sum);
            }
        }
        return new ArrayList<>(stats.values());
    }

    private static SqsCallStats sum(SqsCallStats one, SqsCallStats other) {
        return new SqsCallStats(one.queue(), one.action(), one.calls() + other.calls(),
                one.failures() + other.failures(), one.totalTime().plus(other.totalTime()));
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        return count(request.queueName(), Action.GET_QUEUE_URL, () -> super.getQueueUrl(request));
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return count(request.queueName(), Action.CREATE_QUEUE, () -> super.createQueue(request));
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return count(request.queueUrl(), Action.GET_QUEUE_ATTRIBUTES, () -> super.getQueueAttributes(request));
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        return count(request.queueUrl(), Action.RECEIVE_MESSAGE, () -> super.receiveMessage(request));
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return count(request.queueUrl(), Action.DELETE_MESSAGE_BATCH, () -> super.deleteMessageBatch(request));
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return count(request.queueUrl(), Action.CHANGE_MESSAGE_VISIBILITY_BATCH,
                () -> super.changeMessageVisibilityBatch(request));
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return count(request.queueUrl(), Action.SEND_MESSAGE_BATCH, () -> super.sendMessageBatch(request));
    }

    /** @param queue the queue's URL, or its name for the calls that name it */
    private <T> CompletableFuture<T> count(String queue, Action action, Supplier<CompletableFuture<T>> call) {
        Tally tally = queues.computeIfAbsent(queue == null ? "" : queue, key -> new QueueTallies(nameOf(key)))
                .byAction[action.ordinal()];
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

    /** The queue's name, from its URL or name (once per queue: the result is kept). */
    private static String nameOf(String url) {
        try {
            return url.isEmpty() ? "" : QueueRef.parse(url).name();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
