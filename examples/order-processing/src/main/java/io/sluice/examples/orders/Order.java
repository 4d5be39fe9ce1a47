package io.sluice.examples.orders;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDateTime;
import java.util.List;

/**
 * An order exactly as the article's Python producer writes it:
 *
 * <pre>{@code
 * message = {
 *     'order_id': order.id,
 *     'items': order.items,
 *     'customer': order.customer_id,
 *     'timestamp': datetime.now().isoformat()
 * }
 * }</pre>
 *
 * <p>{@code timestamp} is Python's {@code datetime.isoformat()} of a naive local time: no zone, microseconds when not
 * zero ({@code 2026-11-25T01:22:29.123456}), which binds to a {@link LocalDateTime}. Unknown fields are ignored, so a
 * producer may add some without breaking this consumer. Nothing is validated here: the handler decides what it needs.
 *
 * @param orderId   {@code order_id}
 * @param items     {@code items}; never {@code null} (an absent list binds as empty)
 * @param customer  {@code customer}: the customer's id
 * @param timestamp {@code timestamp}: when the order was placed, producer's local time
 */
public record Order(
        @JsonProperty("order_id") String orderId,
        @JsonProperty("items") List<OrderItem> items,
        @JsonProperty("customer") String customer,
        @JsonProperty("timestamp") LocalDateTime timestamp) {

    public Order {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** How many units the order holds, over all its items. */
    public int units() {
        return items.stream().mapToInt(OrderItem::quantity).sum();
    }
}
