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
}
