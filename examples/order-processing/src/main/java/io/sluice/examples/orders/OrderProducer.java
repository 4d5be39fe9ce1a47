package io.sluice.examples.orders;

import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * The article's producer, {@code place_order}, in Java: each order becomes the JSON that Python's {@code json.dumps}
 * writes for the article's message (see {@link PythonJson}), so a Python consumer cannot tell the two producers apart.
 * Orders go out with {@code SendMessageBatch}, ten per call, up to 32 calls at once.
 *
 * <p>Sluice has no producer API yet (a later issue adds one); this sends through the {@link SqsTransport} SPI directly.
 * A batch can partly fail, so every entry's outcome is checked: {@link #place} returns only when every order was
 * accepted, and otherwise throws naming each order that was not.
 */
public final class OrderProducer {

    /** Entries per {@code SendMessageBatch}: SQS's maximum. */
    public static final int MAX_BATCH = 10;
    /** Batch calls sent at once; more orders go out in further waves, so a large run cannot exhaust connections. */
    static final int CALLS_IN_FLIGHT = 32;

    private static final Logger LOG = LoggerFactory.getLogger(OrderProducer.class);

    private final SqsTransport transport;
    private final String queueUrl;
    private final Duration timeout;

    /** A producer for the queue at {@code queueUrl}; each SQS call may take up to {@code timeout}. */
    public OrderProducer(SqsTransport transport, String queueUrl, Duration timeout) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** A producer for the queue named {@code queue}, resolving its URL now. */
    public static OrderProducer forQueue(SqsTransport transport, String queue, Duration timeout) {
        String url = await(transport.getQueueUrl(GetQueueUrlRequest.builder().queueName(queue).build()), timeout,
                "resolving the URL of queue '" + queue + "'").queueUrl();
        return new OrderProducer(transport, url, timeout);
    }

    public String queueUrl() {
        return queueUrl;
    }

    /**
     * Sends every order, returning the SQS message ids in the orders' order.
     *
     * @throws OrderProducerException when any order was not accepted, naming each one and SQS's reason
     */
    public List<String> place(List<Order> orders) {
        List<List<Order>> batches = new ArrayList<>();
        for (int from = 0; from < orders.size(); from += MAX_BATCH) {
            batches.add(orders.subList(from, Math.min(orders.size(), from + MAX_BATCH)));
        }
        List<String> messageIds = new ArrayList<>(orders.size());
        List<String> failures = new ArrayList<>();
        int failedOrders = 0;
        for (int wave = 0; wave < batches.size(); wave += CALLS_IN_FLIGHT) {
            List<List<Order>> waveBatches = batches.subList(wave, Math.min(batches.size(), wave + CALLS_IN_FLIGHT));
            List<CompletableFuture<SendMessageBatchResponse>> calls = new ArrayList<>(waveBatches.size());
            for (List<Order> batch : waveBatches) {
                calls.add(send(batch));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int b = 0; b < waveBatches.size(); b++) {
                List<Order> batch = waveBatches.get(b);
                SendMessageBatchResponse response;
                try {
                    response = await(calls.get(b), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
                            "sending a batch of " + batch.size() + " orders");
                } catch (OrderProducerException e) {
                    failedOrders += batch.size();
                    failures.add("orders " + batch.get(0).orderId() + " .. " + batch.get(batch.size() - 1).orderId()
                            + " (" + e.getMessage() + ")");
                    continue;
                }
                Map<String, SendMessageBatchResultEntry> sent = new HashMap<>();
                response.successful().forEach(entry -> sent.put(entry.id(), entry));
                Map<String, BatchResultErrorEntry> failed = new HashMap<>();
                response.failed().forEach(entry -> failed.put(entry.id(), entry));
                for (int i = 0; i < batch.size(); i++) {
                    String id = Integer.toString(i);
                    String orderId = batch.get(i).orderId();
                    if (sent.containsKey(id)) {
                        messageIds.add(sent.get(id).messageId());
                    } else if (failed.containsKey(id)) {
                        failedOrders++;
                        BatchResultErrorEntry error = failed.get(id);
                        failures.add(orderId + " (" + error.code() + ": " + error.message()
                                + (Boolean.TRUE.equals(error.senderFault()) ? ", sender's fault" : ", server's fault")
                                + ")");
                    } else {
                        failedOrders++;
                        failures.add(orderId + " (the response listed it neither as sent nor as failed)");
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new OrderProducerException(failedOrders + " of " + orders.size() + " order(s) were not placed on "
                    + queueUrl + ": " + String.join("; ", failures));
        }
        LOG.debug("Placed {} order(s) on {} in {} batch(es)", orders.size(), queueUrl, batches.size());
        return messageIds;
    }

    private CompletableFuture<SendMessageBatchResponse> send(List<Order> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(PythonJson.dumps(batch.get(i)))
                    .build());
        }
        try {
            return transport.sendMessageBatch(SendMessageBatchRequest.builder()
                    .queueUrl(queueUrl).entries(entries).build());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new OrderProducerException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new OrderProducerException(what + " did not complete within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrderProducerException(what + " was interrupted", e);
        }
    }

    /** Orders were not placed; the message names each one and why. */
    public static final class OrderProducerException extends RuntimeException {
        OrderProducerException(String message) {
            super(message);
        }

        OrderProducerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
