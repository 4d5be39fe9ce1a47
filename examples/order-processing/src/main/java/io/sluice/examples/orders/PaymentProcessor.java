package io.sluice.examples.orders;

import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.ReceiveCount;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of the article's FIFO queue: charges each payment that {@code send_payment_request} placed on {@value
 * #QUEUE}. The queue keeps one customer's payments ({@code MessageGroupId = customer_id}) in the order they were sent
 * and delivers a transaction sent twice ({@code MessageDeduplicationId = transaction_id}) once; this handler charges
 * each through the {@link PaymentService} and records it in the {@link PaymentLedger}, which keeps each customer's
 * payments in the order they were charged.
 *
 * <p>A failed charge is retried in process, up to three calls on the same delivery, while the message stays invisible
 * and the customer's later payments wait behind it. When those calls are spent, the message comes back after a
 * back-off, and on its third delivery Sluice moves it to {@value #DEAD_LETTER_QUEUE} with the reason (the article's
 * three receives); the customer's later payments then go on. A payment without {@code customer_id} or {@code
 * transaction_id}, with a negative amount, or a body that is not a payment is poison: dead-lettered on its first
 * receive. The payment service is the orders' one, guarded by the same circuit breaker {@code payments}: when it is
 * sick, neither queue is polled.
 */
@Singleton
public class PaymentProcessor {

    /** The article's FIFO queue. */
    public static final String QUEUE = "payments.fifo";
    /** Where a payment that failed {@value #MAX_RECEIVE_COUNT} times goes; a FIFO queue's DLQ is FIFO too. */
    public static final String DEAD_LETTER_QUEUE = "payments-dlq.fifo";
    /** The article's {@code maxReceiveCount}: try three times, then give up. */
    public static final int MAX_RECEIVE_COUNT = 3;
    /**
     * Handlers at once on {@value #QUEUE}. A FIFO queue hands out one customer's payments one group at a time, so this
     * bounds how many customers are charged at once; a few customers need no more.
     */
    public static final int CONCURRENCY = 10;

    private static final Logger LOG = LoggerFactory.getLogger(PaymentProcessor.class);

    private final PaymentService payments;
    private final PaymentLedger ledger;

    @Inject
    public PaymentProcessor(PaymentService payments, PaymentLedger ledger) {
        this.payments = payments;
        this.ledger = ledger;
    }

    /** Charges one payment; returning normally lets Sluice delete the message. */
    @SqsHandler(queue = QUEUE, concurrency = CONCURRENCY)
    @Retry(attempts = 3, noRetryOn = IllegalArgumentException.class)
    @CircuitBreaker(name = "payments", failureRateThreshold = 50, waitInOpenSeconds = 15, permittedInHalfOpen = 2)
    public void process(Payment payment, @MessageId String messageId, @ReceiveCount int receiveCount) {
        String transactionId = payment.transactionId();
        String customerId = payment.customerId();
        if (transactionId == null || transactionId.isBlank()) {
            throw new IllegalArgumentException("transaction_id is missing in message " + messageId
                    + "; a payment needs a transaction_id (receive #" + receiveCount + ")");
        }
        if (customerId == null || customerId.isBlank()) {
            throw new IllegalArgumentException("customer_id is missing in payment " + transactionId + " (message "
                    + messageId + ", receive #" + receiveCount + ")");
        }
        if (payment.amount() != null && payment.amount().signum() < 0) {
            throw new IllegalArgumentException("amount " + payment.amount().toPlainString() + " of payment "
                    + transactionId + " is negative (message " + messageId + ", receive #" + receiveCount + ")");
        }
        if (ledger.isProcessed(transactionId)) {
            // At-least-once delivery: a payment already charged is acknowledged, never charged twice.
            LOG.info("Payment {} was already processed from message {}; skipping duplicate message {} (receive #{})",
                    transactionId, ledger.entry(transactionId).map(PaymentLedger.Entry::messageId).orElse("?"),
                    messageId, receiveCount);
            return;
        }
        payments.charge(payment);
        ledger.record(payment, messageId);
        LOG.info("Processed payment {} for customer {} (sequence {}, {}, message {}, receive #{})", transactionId,
                customerId, payment.sequence() == null ? "none" : payment.sequence(), payment.formattedAmount(),
                messageId, receiveCount);
    }
}
