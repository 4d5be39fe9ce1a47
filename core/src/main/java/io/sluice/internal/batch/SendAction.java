package io.sluice.internal.batch;

import io.sluice.transport.SqsTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/** {@code SendMessageBatch} to one queue: the action behind the producer, dead-lettering and re-sent messages. */
public final class SendAction implements BatchAction<SendEntry, SendMessageBatchResultEntry> {

    private final SqsTransport transport;
    private final String queueUrl;

    public SendAction(SqsTransport transport, String queueUrl) {
        this.transport = transport;
        this.queueUrl = queueUrl;
    }

    @Override
    public String description() {
        return "send";
    }

    @Override
    public String describe(SendEntry entry) {
        return entry.label();
    }

    @Override
    public int size(SendEntry entry) {
        return entry.size();
    }

    @Override
    public CompletableFuture<BatchReply<SendMessageBatchResultEntry>> call(List<SendEntry> entries, List<String> ids) {
        List<SendMessageBatchRequestEntry> request = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            request.add(entries.get(i).entry().toBuilder().id(ids.get(i)).build());
        }
        return transport.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(request))
                .thenApply(response -> BatchReply.of(response.successful(), SendMessageBatchResultEntry::id,
                        entry -> entry, response.failed()));
    }
}
