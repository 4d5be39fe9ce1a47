package io.sluice.benchmarks;

import java.math.BigDecimal;
import java.util.List;

/** The small JSON order every benchmark message carries (about 200 bytes). */
public record Order(String orderId, String customerId, BigDecimal amount, String currency, List<Line> items) {

    public record Line(String sku, int quantity) {
    }

    static String json(long n) {
        return "{\"orderId\":\"order-" + n + "\",\"customerId\":\"customer-" + (n % 977) + "\",\"amount\":"
                + (n % 10_000) / 100.0 + ",\"currency\":\"EUR\",\"items\":[{\"sku\":\"sku-" + (n % 31)
                + "\",\"quantity\":" + (1 + n % 3) + "},{\"sku\":\"sku-" + (n % 7) + "\",\"quantity\":1}]}";
    }

    /** The order {@link #json} writes, as an object (what a producer sends). */
    static Order of(long n) {
        return new Order("order-" + n, "customer-" + (n % 977), BigDecimal.valueOf((n % 10_000) / 100.0), "EUR",
                List.of(new Line("sku-" + (n % 31), (int) (1 + n % 3)), new Line("sku-" + (n % 7), 1)));
    }
}
