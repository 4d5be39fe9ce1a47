package io.sluice.transport;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * A transport that passes every call to another: the base of decorators that record, count, delay or fail some calls
 * (override those, call {@code super} for the rest). {@link #close()} does not close the delegate, whose owner does.
 */
public abstract class ForwardingSqsTransport implements SqsTransport {

    private final SqsTransport delegate;

    protected ForwardingSqsTransport(SqsTransport delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The transport calls go to. */
    protected final SqsTransport delegate() {
        return delegate;
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
        return delegate.receiveMessage(request);
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
        return delegate.cancelledReceiveTakesNothing();
    }

    /** Releases what this decorator holds; the delegate stays open. */
    @Override
    public Optional<URI> endpoint() {
        return delegate.endpoint();
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + delegate + '}';
    }
}
