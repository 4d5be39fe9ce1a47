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
 * The article's {@code send_payment_request} in Java: each payment goes to the FIFO queue as {@code
 * MessageBody=json.dumps(payment_data)} (the same bytes, see {@link PythonJson}), {@code MessageGroupId=customer_id}
 * and {@code MessageDeduplicationId=transaction_id}, so a consumer cannot tell it from the Python producer's.
 *
 * <p>Order matters on a FIFO queue: SQS keeps a group's messages in the order they were sent, so this producer sends one
 * {@code SendMessageBatch} of up to ten at a time (the entries of a batch are enqueued in order) and the next only after
 * the last was accepted. When an entry is not accepted it stops there, sending none of the later payments (which would
 * overtake it), and throws naming every payment not placed.
 */
public final class PaymentProducer {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentProducer.class);

    private final SqsTransport transport;
    private final String queueUrl;
    private final Duration timeout;

    /** A producer for the FIFO queue at {@code queueUrl}; each SQS call may take up to {@code timeout}. */
    public PaymentProducer(SqsTransport transport, String queueUrl, Duration timeout) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** A producer for the FIFO queue named {@code queue}, resolving its URL now. */
    public static PaymentProducer forQueue(SqsTransport transport, String queue, Duration timeout) {
        String url = await(transport.getQueueUrl(GetQueueUrlRequest.builder().queueName(queue).build()), timeout,
                "resolving the URL of queue '" + queue + "'").queueUrl();
        return new PaymentProducer(transport, url, timeout);
    }

    /** The request entry of one payment: the article's {@code send_message} arguments. */
    static SendMessageBatchRequestEntry entry(String id, Payment payment) {
        return SendMessageBatchRequestEntry.builder()
                .id(id)
                .messageBody(PythonJson.dumps(payment))
                .messageGroupId(payment.customerId())                   // Groups maintain order
                .messageDeduplicationId(payment.transactionId())        // Prevents duplicates
                .build();
    }

    /**
     * Sends every payment in the given order, returning the SQS message ids in that order.
     *
     * @throws PaymentProducerException when a payment was not accepted: it is named, and no later one was sent
     */
    public List<String> place(List<Payment> payments) {
        for (Payment payment : payments) {
            if (payment.customerId() == null || payment.transactionId() == null) {
                throw new IllegalArgumentException("a payment needs customer_id (its MessageGroupId) and transaction_id"
                        + " (its MessageDeduplicationId): " + payment);
            }
        }
        List<String> messageIds = new ArrayList<>(payments.size());
        for (int from = 0; from < payments.size(); from += OrderProducer.MAX_BATCH) {
            List<Payment> batch = payments.subList(from, Math.min(payments.size(), from + OrderProducer.MAX_BATCH));
            List<String> failures = new ArrayList<>();
            List<String> overtaking = new ArrayList<>();
            try {
                SendMessageBatchResponse response = await(send(batch), timeout,
                        "sending a batch of " + batch.size() + " payments");
                Map<String, SendMessageBatchResultEntry> sent = new HashMap<>();
                response.successful().forEach(entry -> sent.put(entry.id(), entry));
                Map<String, BatchResultErrorEntry> failed = new HashMap<>();
                response.failed().forEach(entry -> failed.put(entry.id(), entry));
                for (int i = 0; i < batch.size(); i++) {
                    String id = Integer.toString(i);
                    String transactionId = batch.get(i).transactionId();
                    if (sent.containsKey(id)) {
                        messageIds.add(sent.get(id).messageId());
                        if (!failures.isEmpty()) {
                            overtaking.add(transactionId);
                        }
                    } else if (failed.containsKey(id)) {
                        BatchResultErrorEntry error = failed.get(id);
                        failures.add(transactionId + " (" + error.code() + ": " + error.message() + ")");
                    } else {
                        failures.add(transactionId + " (the response listed it neither as sent nor as failed)");
                    }
                }
            } catch (PaymentProducerException e) {
                failures.add(batch.get(0).transactionId() + " .. " + batch.get(batch.size() - 1).transactionId()
                        + " (" + e.getMessage() + ")");
            }
            if (!failures.isEmpty()) {
                int notSent = payments.size() - from - batch.size();
                throw new PaymentProducerException("not every payment was placed on " + queueUrl + ": "
                        + String.join("; ", failures)
                        + (overtaking.isEmpty() ? "" : "; placed after a payment that was not: "
                                + String.join(", ", overtaking))
                        + (notSent == 0 ? "" : "; the " + notSent + " later payment(s) were not sent, so that none"
                                + " overtakes them"));
            }
        }
        LOG.debug("Placed {} payment(s) on {}", payments.size(), queueUrl);
        return messageIds;
    }

    private CompletableFuture<SendMessageBatchResponse> send(List<Payment> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            entries.add(entry(Integer.toString(i), batch.get(i)));
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
            throw new PaymentProducerException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new PaymentProducerException(what + " did not complete within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaymentProducerException(what + " was interrupted", e);
        }
    }

    /** Payments were not placed; the message names each one and why. */
    public static final class PaymentProducerException extends RuntimeException {
        PaymentProducerException(String message) {
            super(message);
        }

        PaymentProducerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
