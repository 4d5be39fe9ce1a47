package io.sluice.transport;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsServiceClientConfiguration;
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

/** {@link SqsTransport} over the AWS SDK v2 {@link SqsAsyncClient}: a direct delegation, one call per action. */
final class SdkSqsTransport implements SqsTransport {

    private final SqsAsyncClient client;
    private final boolean ownsClient;

    SdkSqsTransport(SqsAsyncClient client, boolean ownsClient) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        return client.getQueueUrl(request);
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return client.createQueue(request);
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return client.getQueueAttributes(request);
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        return client.receiveMessage(request);
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return client.deleteMessageBatch(request);
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return client.changeMessageVisibilityBatch(request);
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return client.sendMessageBatch(request);
    }

    @Override
    public Optional<URI> endpoint() {
        try {
            return client.serviceClientConfiguration().endpointOverride();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    /** {@code SQS at http://localhost:9324 (region us-east-1)}, or the AWS endpoint of the region. */
    @Override
    public String toString() {
        try {
            SqsServiceClientConfiguration configuration = client.serviceClientConfiguration();
            String region = configuration.region() == null ? "no region" : "region " + configuration.region().id();
            return configuration.endpointOverride()
                    .map(endpoint -> "SQS at " + endpoint + " (" + region + ")")
                    .orElse("SQS of AWS (" + region + ")");
        } catch (RuntimeException e) {
            return "SQS (AWS SDK client)";
        }
    }
}
