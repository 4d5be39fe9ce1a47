package io.sluice.testutil;

import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.transport.SqsTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** A transport that fails chosen calls of the one it wraps with a 500, on demand. */
public final class FaultyTransport extends ForwardingSqsTransport {

    /** Receives still to fail. */
    public final AtomicInteger failReceives = new AtomicInteger();
    /** Sends (dead-letter sends, for a worker) still to fail. */
    public final AtomicInteger failSends = new AtomicInteger();

    public FaultyTransport(SqsTransport delegate) {
        super(delegate);
    }

    private static <T> CompletableFuture<T> serverError(String action) {
        return CompletableFuture.failedFuture(SqsException.builder().statusCode(500)
                .message(action + " failed (injected)").build());
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        return failReceives.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? serverError("ReceiveMessage")
                : super.receiveMessage(request);
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return failSends.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? serverError("SendMessageBatch")
                : super.sendMessageBatch(request);
    }
}
