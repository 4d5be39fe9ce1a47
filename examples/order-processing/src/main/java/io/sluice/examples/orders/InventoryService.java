package io.sluice.examples.orders;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Simulated inventory: the article's {@code inventory.reserve_items(order.items)}. */
@Singleton
public class InventoryService {

    private static final Logger LOG = LoggerFactory.getLogger(InventoryService.class);
    private final SimulatedLatency latency;

    @Inject
    public InventoryService(SimulatedLatency latency) {
        this.latency = latency;
    }

    public void reserveItems(String orderId, List<OrderItem> items) {
        latency.pause();
        LOG.debug("Reserved {} line(s) for order {}", items.size(), orderId);
    }
}
