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
 * The article's consumer, {@code order_processor()}, as a Sluice handler. The loop the article writes by hand (receive
 * up to ten with a 20 s long poll, {@code json.loads}, process, delete only after success, leave a failure for retry)
 * is what Sluice runs around {@link #process}; what is left here is {@code process_single_order}.
 *
 * <p>A failure is retried up to three calls on the same delivery, then the message comes back after a back-off, and on its
 * third delivery Sluice moves it to {@value #DEAD_LETTER_QUEUE} with the reason attached (the article's three receives).
 * An order without an {@code order_id} (an {@link IllegalArgumentException}) or a body that is not an order is poison:
 * dead-lettered on its first receive. The payment service is guarded by the circuit breaker {@code payments}, which
 * {@link PaymentProcessor} shares: when half of the last 110 calls failed (100, or the concurrency of the queues it guards
 * when that is larger, here 100 + 10: a burst's fast failures alone never decide), the worker stops receiving from both
 * queues for 15 s, then lets two probe messages through.
 */
@Singleton
public class OrderProcessor {

    /** The article's queue. */
    public static final String QUEUE = "order-processing";
    /** Where SQS moves an order that failed {@value #MAX_RECEIVE_COUNT} times. */
    public static final String DEAD_LETTER_QUEUE = "order-processing-dlq";
    /** The article's {@code maxReceiveCount}: try three times, then give up. */
    public static final int MAX_RECEIVE_COUNT = 3;

    private static final Logger LOG = LoggerFactory.getLogger(OrderProcessor.class);

    private final InventoryService inventory;
    private final PaymentService payment;
    private final ShippingService shipping;
    private final EmailService email;
    private final OrderLedger ledger;

    @Inject
    public OrderProcessor(InventoryService inventory, PaymentService payment, ShippingService shipping,
            EmailService email, OrderLedger ledger) {
        this.inventory = inventory;
        this.payment = payment;
        this.shipping = shipping;
        this.email = email;
        this.ledger = ledger;
    }

    /** Processes one order step by step; returning normally lets Sluice delete the message. */
    @SqsHandler(queue = QUEUE)
    @Retry(attempts = 3, noRetryOn = IllegalArgumentException.class)
    @CircuitBreaker(name = "payments", failureRateThreshold = 50, waitInOpenSeconds = 15, permittedInHalfOpen = 2)
    public void process(Order order, @MessageId String messageId, @ReceiveCount int receiveCount) {
        String orderId = order.orderId();
        if (orderId == null || orderId.isBlank()) {
            throw new IllegalArgumentException("order_id is missing in message " + messageId
                    + "; an order needs an order_id (receive #" + receiveCount + ")");
        }
        if (ledger.isProcessed(orderId)) {
            // At-least-once delivery: a duplicate of an order already processed is acknowledged, not charged twice.
            LOG.info("Order {} was already processed from message {}; skipping duplicate message {} (receive #{})",
                    orderId, ledger.messageOf(orderId).orElse("?"), messageId, receiveCount);
            return;
        }
        inventory.reserveItems(orderId, order.items());
        payment.chargeCustomer(orderId, order.customer());
        shipping.createLabel(orderId, order.customer());
        email.sendConfirmation(orderId, order.customer());
        ledger.record(orderId, messageId);
        LOG.info("Processed order {} for customer {} ({} items, message {}, receive #{})", orderId, order.customer(),
                order.items().size(), messageId, receiveCount);
    }
}
