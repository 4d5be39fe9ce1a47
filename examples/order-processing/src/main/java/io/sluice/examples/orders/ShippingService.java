package io.sluice.examples.orders;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Simulated shipping: the article's {@code shipping.create_label(...)}. */
@Singleton
public class ShippingService {

    private static final Logger LOG = LoggerFactory.getLogger(ShippingService.class);
    private final SimulatedLatency latency;

    @Inject
    public ShippingService(SimulatedLatency latency) {
        this.latency = latency;
    }

    public void createLabel(String orderId, String customer) {
        latency.pause();
        LOG.debug("Created shipping label for order {} of customer {}", orderId, customer);
    }
}
