package io.sluice.benchmarks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The baseline: a hand-written best-effort consumer on the same {@link SqsAsyncClient}. {@code loops} (K) independent
 * loops each ReceiveMessage (10, 20 s long poll), handle the batch, send one DeleteMessageBatch without waiting for it,
 * and receive again at once. With {@code threads=N} the handlers of a batch run on a fixed pool of N threads and the
 * loop waits for the whole batch before deleting and receiving again (the natural way to hand-write blocking
 * handlers); without it they run inline on the SDK's completion thread. {@code attributes} is what receives ask for:
 * {@code none} (default), {@code count}, {@code all}, or {@code pipeline} (what Sluice asks for by default).
 */
final class RawLoopContender implements Contender {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final int loops;
    private final int threads;
    private final String attributes;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "raw-retry");
        thread.setDaemon(true);
        return thread;
    });
    private ExecutorService pool;
    private SqsAsyncClient client;
    private String queueUrl;
    private Workload workload;
    private volatile boolean running;

    RawLoopContender(Map<String, String> options) {
        this.loops = Contender.intOption(options, "loops", 8);
        this.threads = Contender.intOption(options, "threads", 0);
        this.attributes = options.getOrDefault("attributes", "none");
    }

    @Override
    public void start(SqsAsyncClient client, String queueName, String queueUrl, Workload workload) {
        this.client = client;
        this.queueUrl = queueUrl;
        this.workload = workload;
        if (threads > 0) {
            pool = Executors.newFixedThreadPool(threads, runnable -> {
                Thread thread = new Thread(runnable, "raw-handler");
                thread.setDaemon(true);
                return thread;
            });
        }
        running = true;
        for (int i = 0; i < loops; i++) {
            receive();
        }
    }

    private void receive() {
        if (!running) {
            return;
        }
        ReceiveMessageRequest.Builder request = ReceiveMessageRequest.builder()
                .queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(20);
        if (attributes.equals("all")) {
            request.messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All");
        } else if (attributes.equals("count")) {
            request.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        } else if (attributes.equals("pipeline")) {
            // What Sluice's receives ask for by default: the same response size and parsing work.
            request.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                            MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP,
                            MessageSystemAttributeName.MESSAGE_GROUP_ID,
                            MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)
                    .messageAttributeNames("All");
        }
        client.receiveMessage(request.build())
                .whenComplete((response, error) -> {
                    if (error != null) {
                        if (running) {
                            retries.schedule(this::receive, 200, TimeUnit.MILLISECONDS);
                        }
                    } else if (response.messages().isEmpty()) {
                        receive();
                    } else if (pool == null) {
                        List<Message> done = new ArrayList<>(response.messages().size());
                        for (Message message : response.messages()) {
                            if (handle(message)) {
                                done.add(message);
                            }
                        }
                        delete(done);
                        receive();
                    } else {
                        List<CompletableFuture<Message>> handled = new ArrayList<>();
                        for (Message message : response.messages()) {
                            handled.add(CompletableFuture.supplyAsync(() -> handle(message) ? message : null, pool));
                        }
                        CompletableFuture.allOf(handled.toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> {
                            List<Message> done = new ArrayList<>();
                            for (CompletableFuture<Message> future : handled) {
                                Message message = future.getNow(null);
                                if (message != null) {
                                    done.add(message);
                                }
                            }
                            delete(done);
                            receive();
                        });
                    }
                });
    }

    private boolean handle(Message message) {
        try {
            workload.handleBlocking(MAPPER.readValue(message.body(), Order.class), message.messageId());
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // left for redelivery, like a failed handler
        }
    }

    private void delete(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        client.deleteMessageBatch(DeleteMessageBatchRequest.builder().queueUrl(queueUrl).entries(entries).build());
    }

    @Override
    public int pollers() {
        return loops;
    }

    @Override
    public void close() {
        running = false;
        retries.shutdownNow();
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
