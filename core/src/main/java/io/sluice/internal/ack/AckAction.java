package io.sluice.internal.ack;

import io.sluice.internal.batch.BatchAction;
import io.sluice.internal.batch.BatchReply;
import io.sluice.transport.SqsTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;

/**
 * {@code DeleteMessageBatch} or {@code ChangeMessageVisibilityBatch} (to each entry's visibility timeout) on one queue,
 * by receipt handle.
 */
final class AckAction implements BatchAction<AckBatcher.Ack, Boolean> {

    private final AckBatcher.Action action;
    private final SqsTransport transport;
    private final String queueUrl;

    AckAction(AckBatcher.Action action, SqsTransport transport, String queueUrl) {
        this.action = action;
        this.transport = transport;
        this.queueUrl = queueUrl;
    }

    @Override
    public String description() {
        return action == AckBatcher.Action.DELETE ? "delete" : "visibility change";
    }

    @Override
    public String describe(AckBatcher.Ack entry) {
        return "message " + entry.delivery().messageId();
    }

    @Override
    public CompletableFuture<BatchReply<Boolean>> call(List<AckBatcher.Ack> entries, List<String> ids) {
        if (action == AckBatcher.Action.DELETE) {
            List<DeleteMessageBatchRequestEntry> request = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                request.add(DeleteMessageBatchRequestEntry.builder().id(ids.get(i))
                        .receiptHandle(entries.get(i).message().receiptHandle()).build());
            }
            return transport.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(request))
                    .thenApply(response -> BatchReply.of(response.successful(),
                            DeleteMessageBatchResultEntry::id, entry -> Boolean.TRUE, response.failed()));
        }
        List<ChangeMessageVisibilityBatchRequestEntry> request = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            request.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(ids.get(i))
                    .receiptHandle(entries.get(i).message().receiptHandle())
                    .visibilityTimeout(entries.get(i).visibilitySeconds()).build());
        }
        return transport.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(request))
                .thenApply(response -> BatchReply.of(response.successful(),
                        ChangeMessageVisibilityBatchResultEntry::id, entry -> Boolean.TRUE, response.failed()));
    }
}
