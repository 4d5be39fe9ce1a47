package io.sluice.testing;

import io.sluice.transport.SqsTransport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Passes every call to the in-memory transport and remembers each received message by id, so that the kit can match
 * a worker event (which carries no body) with its payload. Thread safe.
 */
final class RecordingTransport implements SqsTransport {

    private final SqsTransport delegate;
    private final Map<String, Message> received = new ConcurrentHashMap<>();

    RecordingTransport(SqsTransport delegate) {
        this.delegate = delegate;
    }

    /** The last received copy of message {@code messageId}, or {@code null}. */
    Message received(String messageId) {
        return received.get(messageId);
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        CompletableFuture<ReceiveMessageResponse> inner = delegate.receiveMessage(request);
        CompletableFuture<ReceiveMessageResponse> outer = inner.thenApply(response -> {
            response.messages().forEach(message -> received.put(message.messageId(), message));
            return response;
        });
        outer.whenComplete((response, error) -> {
            if (outer.isCancelled()) {
                inner.cancel(false); // an abandoned long poll must end in the transport too
            }
        });
        return outer;
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
        return delegate.sendMessageBatch(request);
    }

    @Override
    public boolean cancelledReceiveTakesNothing() {
        return delegate.cancelledReceiveTakesNothing(); // a cancel is passed on to the delegate's receive
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "recording " + delegate;
    }
}
