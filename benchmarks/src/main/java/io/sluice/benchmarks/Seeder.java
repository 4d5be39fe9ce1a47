package io.sluice.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** Prepares the queue for one run from the orchestrator: a fresh queue, then the backlog in batches of ten. */
final class Seeder {

    private final SqsAsyncClient client;

    Seeder(SqsAsyncClient client) {
        this.client = client;
    }

    /** Deletes and re-creates {@code queue} (visibility timeout 120 s, so no run sees a redelivery); returns its URL. */
    String freshQueue(String queue) throws Exception {
        try {
            String url = client.getQueueUrl(b -> b.queueName(queue)).get(10, TimeUnit.SECONDS).queueUrl();
            client.deleteQueue(b -> b.queueUrl(url)).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof QueueDoesNotExistException)) {
                throw e;
            }
        }
        return client.createQueue(b -> b.queueName(queue)
                        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "120")))
                .get(10, TimeUnit.SECONDS).queueUrl();
    }

    void send(String url, long count) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (long n = 0; n < count; n++) {
            bodies.add(Order.json(n));
        }
        send(url, bodies);
    }

    /**
     * Sends {@code bodies} in batches of ten, sixteen calls at a time; fails when SQS refused any.
     *
     * @return each body's message id, in the order of {@code bodies}
     */
    List<String> send(String url, List<String> bodies) throws Exception {
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<SendMessageBatchResponse>> calls = new ArrayList<>();
        for (int first = 0; first < bodies.size(); first += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int n = first; n < Math.min(bodies.size(), first + 10); n++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(n - first))
                        .messageBody(bodies.get(n)).build());
            }
            inFlight.acquire();
            calls.add(client.sendMessageBatch(b -> b.queueUrl(url).entries(entries))
                    .whenComplete((response, error) -> inFlight.release()));
        }
        String[] ids = new String[bodies.size()];
        long failed = 0;
        for (int call = 0; call < calls.size(); call++) {
            SendMessageBatchResponse response = calls.get(call).get(60, TimeUnit.SECONDS);
            failed += response.failed().size();
            int first = call * 10;
            response.successful().forEach(entry -> ids[first + Integer.parseInt(entry.id())] = entry.messageId());
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " messages could not be sent to the benchmark queue");
        }
        return List.of(ids);
    }

    /** Visible, in-flight and delayed messages left in the queue. */
    long remaining(String url) throws Exception {
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).get(30, TimeUnit.SECONDS).attributes();
        return attributes.values().stream().mapToLong(Long::parseLong).sum();
    }
}
