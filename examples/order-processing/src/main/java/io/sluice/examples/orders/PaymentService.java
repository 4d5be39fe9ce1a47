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
}
