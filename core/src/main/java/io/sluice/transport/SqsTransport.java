package io.sluice.transport;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
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
 * The seam between Sluice and a queue service: the SQS actions the runtime and the producer use, and nothing else.
 *
 * <p>The SPI speaks SQS's own model (the AWS SDK v2 request and response classes) so that every implementation is held
 * to one contract, that of SQS: the same validation rules, the same partial batch failures, and the same error kinds
 * ({@code QueueDoesNotExistException}, {@code ReceiptHandleIsInvalidException}, {@code
 * BatchEntryIdsNotDistinctException}, ...), delivered as the exceptional completion of the returned future.
 *
 * <p>Implementations must be thread safe and must never block the calling thread: every method returns at once and
 * completes its future later (or already completed). A long poll ({@code WaitTimeSeconds > 0}) completes as soon as a
 * message is available or when the wait ends. Cancelling a returned future abandons the request.
 *
 * <p>{@link #of(SqsAsyncClient)} adapts an AWS SDK client; {@link io.sluice.transport.memory.InMemorySqs} keeps queues
 * in memory and behaves like SQS, for tests and local runs.
 */
public interface SqsTransport extends AutoCloseable {

    /** Resolves a queue's URL from its name. */
    CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request);

    /** Creates a queue, or returns the existing one's URL when its attributes match. */
    CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request);

    /** Reads queue attributes such as {@code QueueArn}, {@code VisibilityTimeout} and {@code RedrivePolicy}. */
    CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request);

    /** Receives up to ten messages, long polling up to {@code WaitTimeSeconds}. */
    CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request);

    /** Deletes up to ten messages by receipt handle; each entry succeeds or fails on its own. */
    CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request);

    /** Changes the visibility timeout of up to ten messages; each entry succeeds or fails on its own. */
    CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request);

    /** Sends up to ten messages; each entry succeeds or fails on its own. */
    CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request);

    // Consumer-builder forms, as on SqsAsyncClient: transport.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20))

    /** {@link #getQueueUrl(GetQueueUrlRequest)} with a request built by {@code request}. */
    default CompletableFuture<GetQueueUrlResponse> getQueueUrl(Consumer<GetQueueUrlRequest.Builder> request) {
        return getQueueUrl(GetQueueUrlRequest.builder().applyMutation(request).build());
    }

    /** {@link #createQueue(CreateQueueRequest)} with a request built by {@code request}. */
    default CompletableFuture<CreateQueueResponse> createQueue(Consumer<CreateQueueRequest.Builder> request) {
        return createQueue(CreateQueueRequest.builder().applyMutation(request).build());
    }

    /** {@link #getQueueAttributes(GetQueueAttributesRequest)} with a request built by {@code request}. */
    default CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(
            Consumer<GetQueueAttributesRequest.Builder> request) {
        return getQueueAttributes(GetQueueAttributesRequest.builder().applyMutation(request).build());
    }

    /** {@link #receiveMessage(ReceiveMessageRequest)} with a request built by {@code request}. */
    default CompletableFuture<ReceiveMessageResponse> receiveMessage(Consumer<ReceiveMessageRequest.Builder> request) {
        return receiveMessage(ReceiveMessageRequest.builder().applyMutation(request).build());
    }

    /** {@link #deleteMessageBatch(DeleteMessageBatchRequest)} with a request built by {@code request}. */
    default CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(
            Consumer<DeleteMessageBatchRequest.Builder> request) {
        return deleteMessageBatch(DeleteMessageBatchRequest.builder().applyMutation(request).build());
    }

    /** {@link #changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest)} built by {@code request}. */
    default CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            Consumer<ChangeMessageVisibilityBatchRequest.Builder> request) {
        return changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest.builder().applyMutation(request)
                .build());
    }

    /** {@link #sendMessageBatch(SendMessageBatchRequest)} with a request built by {@code request}. */
    default CompletableFuture<SendMessageBatchResponse> sendMessageBatch(
            Consumer<SendMessageBatchRequest.Builder> request) {
        return sendMessageBatch(SendMessageBatchRequest.builder().applyMutation(request).build());
    }

    /**
     * Whether cancelling a receive's future before it completes guarantees that the receive took no message (any it
     * had chosen stay on the queue, visible). False by default, and for SQS over HTTP: the server may already have
     * handed messages to a request that the client abandons, and they then stay invisible for their visibility
     * timeout. A stopping worker gives open receives a short grace to return unless this is true.
     */
    default boolean cancelledReceiveTakesNothing() {
        return false;
    }

    /**
     * The network endpoint this transport calls, when it calls one that was configured (a local server, a proxy, a
     * VPC endpoint); empty for AWS's regional endpoint and for transports that call none. Used only to tell why an
     * endpoint cannot be reached: when a call times out, a plain connection to it says whether anything listens.
     */
    default Optional<URI> endpoint() {
        return Optional.empty();
    }

    /** Releases what this transport owns. A transport wrapping a caller's client leaves the client open. */
    @Override
    void close();

    /**
     * A transport over an AWS SDK client that the caller owns: closing the transport does not close the client.
     */
    static SqsTransport of(SqsAsyncClient client) {
        return new SdkSqsTransport(client, false);
    }

    /**
     * A transport over a client built from {@code config} (endpoint, region and credentials, falling back to the AWS
     * SDK's standard configuration). Closing the transport closes the client.
     */
    static SqsTransport create(SqsClientConfig config) {
        return new SdkSqsTransport(config.newClient(), true);
    }
}
