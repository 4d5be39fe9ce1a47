package io.sluice.examples.orders;

import java.time.LocalDateTime;
import java.time.temporal.ChronoField;
import java.util.List;

/**
 * Writes an {@link Order} byte for byte as the article's producer does: {@code json.dumps(message)} with Python's
 * defaults ({@code ", "} and {@code ": "} separators, {@code ensure_ascii=True}, keys in insertion order) of
 * {@code {'order_id': ..., 'items': ..., 'customer': ..., 'timestamp': datetime.now().isoformat()}}; and a {@link
 * Payment} as {@code send_payment_request} does, {@code json.dumps(payment_data)} of {@code place_payments.py}'s dict.
 *
 * <p>The shape is fixed, so a few lines do what a configured JSON library would do less obviously: every byte here has
 * a Python counterpart ({@code json.encoder.py_encode_basestring_ascii}, {@code datetime.isoformat}).
 */
public final class PythonJson {

    private PythonJson() {
    }

    /** {@code json.dumps} of the article's message dict for {@code order}. */
    public static String dumps(Order order) {
        StringBuilder json = new StringBuilder(128);
        json.append("{\"order_id\": ");
        string(json, order.orderId());
        json.append(", \"items\": ");
        items(json, order.items());
        json.append(", \"customer\": ");
        string(json, order.customer());
        json.append(", \"timestamp\": ");
        string(json, order.timestamp() == null ? null : isoformat(order.timestamp()));
        return json.append('}').toString();
    }

    /**
     * {@code json.dumps} of {@code place_payments.py}'s {@code payment_data} for {@code payment}: {@code customer_id},
     * {@code transaction_id}, {@code sequence} (an int), {@code amount} (a string), {@code currency}, {@code timestamp}.
     */
    public static String dumps(Payment payment) {
        StringBuilder json = new StringBuilder(192);
        json.append("{\"customer_id\": ");
        string(json, payment.customerId());
        json.append(", \"transaction_id\": ");
        string(json, payment.transactionId());
        json.append(", \"sequence\": ").append(payment.sequence() == null ? "null" : payment.sequence().toString());
        json.append(", \"amount\": ");
        string(json, payment.amount() == null ? null : payment.amount().toPlainString());
        json.append(", \"currency\": ");
        string(json, payment.currency());
        json.append(", \"timestamp\": ");
        string(json, payment.timestamp() == null ? null : isoformat(payment.timestamp()));
        return json.append('}').toString();
    }

    /**
     * Python's {@code datetime.isoformat()} of a naive datetime: {@code YYYY-MM-DDTHH:MM:SS}, then {@code .ffffff} only
     * when the microseconds are not zero. Python has no nanoseconds: they are truncated to microseconds.
     */
    public static String isoformat(LocalDateTime time) {
        String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d", time.getYear(), time.getMonthValue(),
                time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond());
        int micros = time.get(ChronoField.MICRO_OF_SECOND);
        return micros == 0 ? text : text + String.format(".%06d", micros);
    }

    private static void items(StringBuilder json, List<OrderItem> items) {
        json.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                json.append(", ");
            }
            OrderItem item = items.get(i);
            json.append("{\"sku\": ");
            string(json, item.sku());
            json.append(", \"quantity\": ").append(item.quantity()).append('}');
        }
        json.append(']');
    }

    /** {@code py_encode_basestring_ascii}: only printable ASCII stays as is; the rest becomes lower-case {@code \\uXXXX}. */
    static void string(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        // Characters beyond the BMP are already two UTF-16 surrogates here, as Python writes them.
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
