package io.sluice.runtime.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Reads a queue's messages once each: receives them (every system and message attribute), keeps each one received
 * invisible until it is deleted or the scan ends, and then makes every one still held visible again at once. Holding
 * them is what lets a scan get past the messages it leaves alone (a queue returns the oldest first, and a message made
 * visible again would be received again at once); on a FIFO queue a held message holds back the rest of its group.
 *
 * <p>Each receive raises the message's {@code ApproximateReceiveCount} by one: SQS has no other way to read it.
 */
final class DlqScan implements AutoCloseable {

    /** Receives in a row that return only messages already held before the scan stops (their hold ran out). */
    private static final int STALE_RECEIVES = 3;
    private static final int RECEIVE_WAIT_SECONDS = 1;

    private final SqsSession session;
    private final QueueRef queue;
    private final int holdSeconds;
    private final Consumer<String> warnings;
    /** Message id to its latest receipt handle: every message received and neither deleted nor released. */
    private final Map<String, String> held = new LinkedHashMap<>();
    private int received;

    /**
     * @param holdSeconds how long a received message stays invisible (its visibility timeout) unless the scan ends
     * @param warnings    where a message that could not be made visible again is reported
     */
    DlqScan(SqsSession session, QueueRef queue, int holdSeconds, Consumer<String> warnings) {
        this.session = session;
        this.queue = queue;
        this.holdSeconds = holdSeconds;
        this.warnings = warnings;
    }

    /**
     * Up to {@code max} (at most 10) messages not received before in this scan; none when the queue has no more: a
     * receive came back empty, or returned only messages already held, {@value #STALE_RECEIVES} times in a row.
     */
    List<DlqMessage> next(int max) {
        for (int stale = 0; stale < STALE_RECEIVES; stale++) {
            List<Message> messages = session.call("ReceiveMessage", queue, session.client().receiveMessage(b -> b
                    .queueUrl(queue.url()).maxNumberOfMessages(Math.max(1, Math.min(10, max)))
                    .waitTimeSeconds(RECEIVE_WAIT_SECONDS).visibilityTimeout(holdSeconds)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")))
                    .messages();
            if (messages.isEmpty()) {
                return List.of();
            }
            List<DlqMessage> fresh = new ArrayList<>();
            for (Message message : messages) {
                if (held.put(message.messageId(), message.receiptHandle()) == null) {
                    fresh.add(DlqMessage.of(message));
                }
            }
            if (!fresh.isEmpty()) {
                received += fresh.size();
                return fresh;
            }
        }
        return List.of();
    }

    /** Messages received so far, each counted once. */
    int received() {
        return received;
    }

    /**
     * Deletes {@code messages} from the queue (in batches of ten); those deleted are no longer held.
     *
     * @return why each one that was not deleted failed, by message id
     */
    Map<String, String> delete(List<DlqMessage> messages) {
        Map<String, String> failures = new LinkedHashMap<>();
        for (List<DlqMessage> batch : batches(messages)) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(held.get(batch.get(i).messageId())).build());
            }
            DeleteMessageBatchResponse response;
            try {
                response = session.call("DeleteMessageBatch", queue, session.client().deleteMessageBatch(b -> b
                        .queueUrl(queue.url()).entries(entries)));
            } catch (AdminException e) {
                batch.forEach(message -> failures.put(message.messageId(), e.getMessage()));
                continue;
            }
            Map<String, String> failed = failed(batch, response.failed());
            failures.putAll(failed);
            batch.stream().filter(message -> !failed.containsKey(message.messageId()))
                    .forEach(message -> held.remove(message.messageId()));
        }
        return failures;
    }

    /** Makes every message still held visible again at once; one that cannot be is reported (it returns later). */
    @Override
    public void close() {
        List<Map.Entry<String, String>> all = new ArrayList<>(held.entrySet());
        held.clear();
        for (List<Map.Entry<String, String>> batch : batches(all)) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(batch.get(i).getValue()).visibilityTimeout(0).build());
            }
            try {
                ChangeMessageVisibilityBatchResponse response = session.call("ChangeMessageVisibilityBatch", queue,
                        session.client().changeMessageVisibilityBatch(b -> b.queueUrl(queue.url()).entries(entries)));
                for (BatchResultErrorEntry error : response.failed()) {
                    warnings.accept("message " + batch.get(Integer.parseInt(error.id())).getKey() + " of queue '"
                            + queue.name() + "' was not made visible again (" + error.code() + ": " + error.message()
                            + "); it will be after " + holdSeconds + " s");
                }
            } catch (AdminException e) {
                warnings.accept(e.getMessage() + "; " + batch.size() + " messages will be visible again after "
                        + holdSeconds + " s");
            }
        }
    }

    private static Map<String, String> failed(List<DlqMessage> batch, List<BatchResultErrorEntry> errors) {
        Map<String, String> failed = new LinkedHashMap<>();
        for (BatchResultErrorEntry error : errors) {
            failed.put(batch.get(Integer.parseInt(error.id())).messageId(), error.code() + ": " + error.message());
        }
        return failed;
    }

    private static <T> List<List<T>> batches(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += 10) {
            batches.add(items.subList(from, Math.min(items.size(), from + 10)));
        }
        return batches;
    }
}
