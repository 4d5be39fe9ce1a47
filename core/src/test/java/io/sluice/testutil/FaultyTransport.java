package io.sluice.testutil;

import io.sluice.transport.SqsTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
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
import software.amazon.awssdk.services.sqs.model.SqsException;

/** A transport that fails chosen calls of the one it wraps with a 500, on demand. */
public final class FaultyTransport implements SqsTransport {

    private final SqsTransport delegate;
    /** Receives still to fail. */
    public final AtomicInteger failReceives = new AtomicInteger();
    /** Sends (dead-letter sends, for a worker) still to fail. */
    public final AtomicInteger failSends = new AtomicInteger();

    public FaultyTransport(SqsTransport delegate) {
        this.delegate = delegate;
    }

    private static <T> CompletableFuture<T> serverError(String action) {
        return CompletableFuture.failedFuture(SqsException.builder().statusCode(500)
                .message(action + " failed (injected)").build());
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        return delegate.getQueueUrl(request);
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return delegate.createQueue(request);
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return delegate.getQueueAttributes(request);
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        return failReceives.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? serverError("ReceiveMessage")
                : delegate.receiveMessage(request);
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return delegate.deleteMessageBatch(request);
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return delegate.changeMessageVisibilityBatch(request);
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return failSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? serverError("SendMessageBatch")
                : delegate.sendMessageBatch(request);
    }

    @Override
    public boolean cancelledReceiveTakesNothing() {
        return delegate.cancelledReceiveTakesNothing();
    }

    @Override
    public void close() {
    }
}
