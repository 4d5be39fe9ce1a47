package io.sluice.examples.orders;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Made-up orders for a demonstration run: ids {@code ord-<run>-0001}, {@code ord-<run>-0002}, ... where {@code <run>}
 * differs from run to run, a few customers, one to three items each. Not thread safe.
 */
public final class SampleOrders {

    private static final List<String> SKUS = List.of("SKU-MUG", "SKU-TEE", "SKU-CAP", "SKU-BAG", "SKU-PEN",
            "SKU-BOOK");

    private final Random random = ThreadLocalRandom.current();
    private final String run;
    private int placed;

    private SampleOrders(String run) {
        this.run = run;
    }

    /** A new run: its orders' ids share a random part no other run is likely to have. */
    public static SampleOrders newRun() {
        return new SampleOrders(Integer.toString(36 * 36 * 36 + ThreadLocalRandom.current().nextInt(35 * 36 * 36 * 36),
                36));
    }

    /** {@code count} orders of a new run. */
    public static List<Order> generate(int count) {
        return newRun().next(count);
    }

    /** The next {@code count} orders of this run, numbered on from the last. */
    public List<Order> next(int count) {
        List<Order> orders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int lines = 1 + random.nextInt(3);
            List<OrderItem> items = new ArrayList<>(lines);
            for (int line = 0; line < lines; line++) {
                items.add(new OrderItem(SKUS.get(random.nextInt(SKUS.size())), 1 + random.nextInt(3)));
            }
            orders.add(new Order(String.format("ord-%s-%04d", run, ++placed), items,
                    "cust-" + (1 + random.nextInt(50)),
                    // What Python's datetime.now() holds: local time, microsecond precision.
                    LocalDateTime.now().truncatedTo(ChronoUnit.MICROS)));
        }
        return orders;
    }
}
