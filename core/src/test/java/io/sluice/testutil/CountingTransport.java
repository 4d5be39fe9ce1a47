package io.sluice.testutil;

import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.transport.SqsTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** Counts the calls a producer makes through it: {@code SendMessageBatch} (and its largest body total), GetQueueUrl. */
public final class CountingTransport extends ForwardingSqsTransport {

    public final AtomicInteger sendCalls = new AtomicInteger();
    public final AtomicInteger getQueueUrlCalls = new AtomicInteger();
    /** The most body characters one SendMessageBatch carried. */
    public final AtomicInteger largestSendBodies = new AtomicInteger();

    public CountingTransport(SqsTransport delegate) {
        super(delegate);
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        getQueueUrlCalls.incrementAndGet();
        return super.getQueueUrl(request);
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        sendCalls.incrementAndGet();
        largestSendBodies.accumulateAndGet(request.entries().stream()
                .mapToInt(entry -> entry.messageBody().length()).sum(), Math::max);
        return super.sendMessageBatch(request);
    }
}
