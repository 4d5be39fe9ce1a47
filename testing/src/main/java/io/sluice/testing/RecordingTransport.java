package io.sluice.testing;

import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.transport.SqsTransport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Passes every call to the in-memory transport and remembers each received message by id, so that the kit can match
 * a worker event (which carries no body) with its payload. Thread safe.
 */
final class RecordingTransport extends ForwardingSqsTransport {

    private final Map<String, Message> received = new ConcurrentHashMap<>();

    RecordingTransport(SqsTransport delegate) {
        super(delegate);
    }

    /** The last received copy of message {@code messageId}, or {@code null}. */
    Message received(String messageId) {
        return received.get(messageId);
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        CompletableFuture<ReceiveMessageResponse> inner = super.receiveMessage(request);
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

    /** Closes the in-memory transport too: the kit owns both. */
    @Override
    public void close() {
        delegate().close();
    }

    @Override
    public String toString() {
        return "recording " + delegate();
    }
}
