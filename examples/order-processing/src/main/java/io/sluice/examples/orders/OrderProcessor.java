package io.sluice.examples.orders;

import io.sluice.annotations.MessageId;
import io.sluice.annotations.ReceiveCount;
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
 * <p>Throwing leaves the message in the queue: SQS delivers it again after its visibility timeout, and after three
 * receives the queue's RedrivePolicy moves it to {@value #DEAD_LETTER_QUEUE}.
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
