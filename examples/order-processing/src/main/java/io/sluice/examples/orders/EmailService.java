package io.sluice.examples.orders;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Simulated e-mail: the article's {@code email.send_confirmation(order.customer)}. */
@Singleton
public class EmailService {

    private static final Logger LOG = LoggerFactory.getLogger(EmailService.class);
    private final SimulatedLatency latency;

    @Inject
    public EmailService(SimulatedLatency latency) {
        this.latency = latency;
    }

    public void sendConfirmation(String orderId, String customer) {
        latency.pause();
        LOG.debug("Sent confirmation of order {} to customer {}", orderId, customer);
    }
}
