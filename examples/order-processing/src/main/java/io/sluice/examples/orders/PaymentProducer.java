package io.sluice.examples.orders;

import io.sluice.producer.OutgoingMessage;
import io.sluice.producer.SendAllResult;
import io.sluice.producer.SqsProducer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The article's {@code send_payment_request} in Java: each payment goes to the FIFO queue as {@code
 * MessageBody=json.dumps(payment_data)} (the same bytes, see {@link PythonJson}, sent as they are), {@code
 * MessageGroupId=customer_id} and {@code MessageDeduplicationId=transaction_id}, so a consumer cannot tell it from the
 * Python producer's.
 *
 * <p>Sluice's {@link SqsProducer} does the sending ({@code sendAll}: calls of up to ten, several at once, transient
 * failures retried, each payment's outcome). Order matters on a FIFO queue: SQS keeps a customer's payments in the
 * order it accepted them, and {@code sendAll}'s concurrent calls and retries do not keep the order of the messages
 * given. So this producer sends in rounds, a customer's n-th payment in round n: a round holds at most one payment per
 * customer, and goes only once every payment of the round before was accepted. When a payment is not accepted it stops
 * after that round, sending none of the later rounds (whose payments would overtake it), and throws naming each payment
 * not accepted and SQS's reason.
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
     * @throws PaymentProducerException when a payment was not accepted: it is named, and no later round was sent
     */
    public List<String> place(List<Payment> payments) {
        List<OutgoingMessage> messages = payments.stream().map(PaymentProducer::message).toList();
        List<List<Integer>> rounds = new ArrayList<>();
        Map<String, Integer> paymentsOfCustomer = new HashMap<>();
        for (int i = 0; i < payments.size(); i++) {
            int round = paymentsOfCustomer.merge(payments.get(i).customerId(), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(i);
        }
        String[] messageIds = new String[payments.size()];
        int sent = 0;
        for (List<Integer> round : rounds) {
            SendAllResult result = producer.sendAll(queue, round.stream().map(messages::get).toList());
            result.sent().forEach(accepted -> messageIds[round.get(accepted.index())] = accepted.result().messageId());
            sent += round.size();
            if (!result.allSent()) {
                int notSent = payments.size() - sent;
                throw new PaymentProducerException(result.failed().size() + " of " + payments.size() + " payment(s)"
                        + " were not placed on '" + queue + "': " + result.failed().stream()
                                .map(failed -> payments.get(round.get(failed.index())).transactionId() + " ("
                                        + failed.error().getMessage() + ")")
                                .collect(Collectors.joining("; "))
                        + (notSent == 0 ? "" : "; the " + notSent + " payment(s) of later rounds were not sent, so"
                                + " that none overtakes them"), result.failed().get(0).error());
            }
        }
        return List.of(messageIds);
    }

    /** Payments were not placed; the message names each one and why, the cause is the first one's failure. */
    public static final class PaymentProducerException extends RuntimeException {
        PaymentProducerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
