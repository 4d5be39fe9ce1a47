package io.sluice.examples.orders;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Simulated payments: the article's {@code payment.charge_customer(...)}. */
@Singleton
public class PaymentService {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentService.class);
    private final SimulatedLatency latency;

    @Inject
    public PaymentService(SimulatedLatency latency) {
        this.latency = latency;
    }

    public void chargeCustomer(String orderId, String customer) {
        latency.pause();
        LOG.debug("Charged customer {} for order {}", customer, orderId);
    }
}
