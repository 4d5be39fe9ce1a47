package io.sluice.examples.orders;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated payments: the article's {@code payment.charge_customer(...)} for an order, and the charge of a payment
 * request from {@value PaymentProcessor#QUEUE}. Both go through the same simulated latency and trouble ({@code
 * --latency}, {@code --failure-rate}, {@code --outage}): one downstream, one circuit breaker.
 */
@Singleton
public class PaymentService {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentService.class);
    private final SimulatedLatency latency;
    private final SimulatedTrouble trouble;

    @Inject
    public PaymentService(SimulatedLatency latency, SimulatedTrouble trouble) {
        this.latency = latency;
        this.trouble = trouble;
    }

    public void chargeCustomer(String orderId, String customer) {
        latency.pause();
        trouble.check("payment service");
        LOG.debug("Charged customer {} for order {}", customer, orderId);
    }

    /** Charges {@code payment}'s amount to its customer; throws when the (simulated) service fails. */
    public void charge(Payment payment) {
        latency.pause();
        trouble.check("payment service");
        LOG.debug("Charged {} to customer {} (transaction {})", payment.formattedAmount(), payment.customerId(),
                payment.transactionId());
    }
}
