package io.sluice.examples.orders;

import io.sluice.producer.OutgoingMessage;
import io.sluice.producer.SendAllResult;
import io.sluice.producer.SqsProducer;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The article's {@code send_payment_request} in Java: each payment goes to the FIFO queue as {@code
 * MessageBody=json.dumps(payment_data)} (the same bytes, see {@link PythonJson}, sent as they are), {@code
 * MessageGroupId=customer_id} and {@code MessageDeduplicationId=transaction_id}, so a consumer cannot tell it from the
 * Python producer's.
 *
 * <p>Sluice's {@link SqsProducer} does the sending ({@code sendAll}: calls of up to ten, several at once, transient
 * failures retried, each payment's outcome). On a FIFO queue it keeps each customer's payments in the order given: a
 * customer's next payment goes only once SQS accepted the one before (other customers' payments fill the calls
 * meanwhile), and when a payment is not accepted, the customer's later payments are not sent, so none overtakes it.
 * {@link #place} throws naming each payment not placed and why.
 */
public final class PaymentProducer {

    private final SqsProducer producer;
    private final String queue;

    /** Places payments on the FIFO queue {@code queue} (a name or a URL) through {@code producer}. */
    public PaymentProducer(SqsProducer producer, String queue) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    /**
     * The message of one payment: the article's {@code send_message} arguments.
     *
     * @throws IllegalArgumentException when the payment has no customer_id or no transaction_id
     */
    static OutgoingMessage message(Payment payment) {
        if (payment.customerId() == null || payment.transactionId() == null) {
            throw new IllegalArgumentException("a payment needs customer_id (its MessageGroupId) and transaction_id"
                    + " (its MessageDeduplicationId): " + payment);
        }
        return OutgoingMessage.of(PythonJson.dumps(payment))
                .group(payment.customerId())                    // Groups maintain order
                .deduplicationId(payment.transactionId());      // Prevents duplicates
    }

    /**
     * Sends every payment, each customer's in the given order, returning the SQS message ids in that order.
     *
     * @throws IllegalArgumentException when a payment has no customer_id or transaction_id; then none was sent
     * @throws PaymentProducerException naming each payment not placed: one SQS did not accept, and the same customer's
     *                                  later ones, not sent so that none overtakes it
     */
    public List<String> place(List<Payment> payments) {
        List<OutgoingMessage> messages = payments.stream().map(PaymentProducer::message).toList();
        SendAllResult result = producer.sendAll(queue, messages);
        if (!result.allSent()) {
            throw new PaymentProducerException(result.failed().size() + " of " + payments.size() + " payment(s) were"
                    + " not placed on '" + queue + "': " + result.failed().stream()
                            .map(failed -> payments.get(failed.index()).transactionId() + " ("
                                    + failed.error().getMessage() + ")")
                            .collect(Collectors.joining("; ")), result.failed().get(0).error());
        }
        return result.messageIds();
    }

    /** Payments were not placed; the message names each one and why, the cause is the first one's failure. */
    public static final class PaymentProducerException extends RuntimeException {
        PaymentProducerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
