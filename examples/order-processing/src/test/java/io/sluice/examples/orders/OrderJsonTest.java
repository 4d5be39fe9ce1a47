package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wire format: what the article's Python producer writes binds to {@link Order}, and what {@link OrderProducer}
 * writes is byte for byte what Python's {@code json.dumps} writes. The expected strings were produced by Python 3.11's
 * {@code json.dumps} of the same dicts.
 */
class OrderJsonTest {

    /** The mapper a Sluice worker binds payloads with. */
    private final ObjectMapper mapper = io.sluice.SluiceJson.defaultMapper();

    /** {@code json.dumps({'order_id': 'ord-123', ..., 'timestamp': datetime(2026,11,25,1,22,29,123456).isoformat()})}. */
    private static final String ARTICLE_JSON = "{\"order_id\": \"ord-123\", \"items\": [{\"sku\": \"SKU-MUG\","
            + " \"quantity\": 2}, {\"sku\": \"SKU-TEE\", \"quantity\": 1}], \"customer\": \"cust-7\","
            + " \"timestamp\": \"2026-11-25T01:22:29.123456\"}";

    private static final Order ARTICLE_ORDER = new Order("ord-123",
            List.of(new OrderItem("SKU-MUG", 2), new OrderItem("SKU-TEE", 1)), "cust-7",
            LocalDateTime.of(2026, 11, 25, 1, 22, 29, 123_456_000));

    @Test
    void theArticlesJsonBindsToAnOrder() throws Exception {
        Order order = mapper.readValue(ARTICLE_JSON, Order.class);

        assertThat(order).isEqualTo(ARTICLE_ORDER);
        assertThat(order.timestamp().getNano()).isEqualTo(123_456_000);
        assertThat(order.units()).isEqualTo(3);
    }

    @Test
    void aTimestampWithoutMicrosecondsBindsToo() throws Exception {
        // Python's isoformat() leaves the fraction out when the microseconds are zero.
        Order order = mapper.readValue("{\"order_id\": \"ord-124\", \"items\": [], \"customer\": \"cust-8\","
                + " \"timestamp\": \"2026-11-25T01:22:29\"}", Order.class);

        assertThat(order.timestamp()).isEqualTo(LocalDateTime.of(2026, 11, 25, 1, 22, 29));
        assertThat(order.items()).isEmpty();
    }

    @Test
    void missingFieldsBindAsNullAndUnknownOnesAreIgnored() throws Exception {
        Order order = mapper.readValue("{\"customer\": \"cust-9\", \"coupon\": \"SPRING\"}", Order.class);

        assertThat(order.orderId()).isNull();
        assertThat(order.items()).isEmpty();
        assertThat(order.customer()).isEqualTo("cust-9");
        assertThat(order.timestamp()).isNull();
    }

    @Test
    void theProducerWritesExactlyWhatPythonsJsonDumpsWrites() {
        assertThat(PythonJson.dumps(ARTICLE_ORDER)).isEqualTo(ARTICLE_JSON);
    }

    @Test
    void noFractionWhenTheMicrosecondsAreZeroAndEmptyItems() {
        Order order = new Order("ord-124", List.of(), "cust-8", LocalDateTime.of(2026, 11, 25, 1, 22, 29));

        assertThat(PythonJson.dumps(order)).isEqualTo("{\"order_id\": \"ord-124\", \"items\": [], \"customer\":"
                + " \"cust-8\", \"timestamp\": \"2026-11-25T01:22:29\"}");
    }

    @Test
    void escapesAsPythonsEnsureAsciiDoes() {
        // json.dumps({'order_id': 'ord-\u00e9\u2615\U0001F600', 'items': [{'sku': 'A"B\\C/D', 'quantity': 1}],
        //             'customer': 'tab\there\nnew\x01\x7f', 'timestamp': datetime(2026,1,2,3,4,5,60).isoformat()})
        Order order = new Order("ord-\u00e9\u2615\uD83D\uDE00", List.of(new OrderItem("A\"B\\C/D", 1)),
                "tab\there\nnew\u0001\u007f", LocalDateTime.of(2026, 1, 2, 3, 4, 5, 60_000));

        assertThat(PythonJson.dumps(order)).isEqualTo("{\"order_id\": \"ord-\\u00e9\\u2615\\ud83d\\ude00\", \"items\":"
                + " [{\"sku\": \"A\\\"B\\\\C/D\", \"quantity\": 1}], \"customer\": \"tab\\there\\nnew\\u0001\\u007f\","
                + " \"timestamp\": \"2026-01-02T03:04:05.000060\"}");
    }

    @Test
    void nullsAreWrittenAsPythonsNone() {
        assertThat(PythonJson.dumps(new Order(null, null, null, null))).isEqualTo(
                "{\"order_id\": null, \"items\": [], \"customer\": null, \"timestamp\": null}");
    }

    @Test
    void nanosecondsAreTruncatedToPythonsMicroseconds() {
        assertThat(PythonJson.isoformat(LocalDateTime.of(2026, 11, 25, 1, 22, 29, 123_456_789)))
                .isEqualTo("2026-11-25T01:22:29.123456");
        assertThat(PythonJson.isoformat(LocalDateTime.of(2026, 11, 25, 1, 22, 29, 999)))
                .isEqualTo("2026-11-25T01:22:29");
    }

    @Test
    void whatTheProducerWritesBindsBackToTheSameOrder() throws Exception {
        for (Order order : SampleOrders.generate(20)) {
            assertThat(mapper.readValue(PythonJson.dumps(order), Order.class)).isEqualTo(order);
        }
    }
}
