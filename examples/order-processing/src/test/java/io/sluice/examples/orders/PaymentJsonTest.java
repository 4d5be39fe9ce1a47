package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.SluiceJson;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The payments' wire format: what {@code place_payments.py} (the article's {@code send_payment_request}) writes binds to
 * {@link Payment}, and what {@link PaymentProducer} writes is byte for byte what Python's {@code json.dumps} writes. The
 * expected strings were produced by Python 3.11's {@code json.dumps} of the same dicts.
 */
class PaymentJsonTest {

    /** The mapper a Sluice worker binds payloads with. */
    private final ObjectMapper mapper = SluiceJson.defaultMapper();

    /**
     * {@code json.dumps({'customer_id': 'cust-7', 'transaction_id': 'txn-123', 'sequence': 3, 'amount': '19.99',
     * 'currency': 'EUR', 'timestamp': datetime(2026, 11, 25, 1, 22, 29, 123456).isoformat()})}.
     */
    private static final String PYTHON_JSON = "{\"customer_id\": \"cust-7\", \"transaction_id\": \"txn-123\","
            + " \"sequence\": 3, \"amount\": \"19.99\", \"currency\": \"EUR\","
            + " \"timestamp\": \"2026-11-25T01:22:29.123456\"}";

    private static final Payment PAYMENT = new Payment("cust-7", "txn-123", 3L, new BigDecimal("19.99"), "EUR",
            LocalDateTime.of(2026, 11, 25, 1, 22, 29, 123_456_000));

    @Test
    void pythonsJsonBindsToAPayment() throws Exception {
        Payment payment = mapper.readValue(PYTHON_JSON, Payment.class);

        assertThat(payment).isEqualTo(PAYMENT);
        assertThat(payment.formattedAmount()).isEqualTo("19.99 EUR");
    }

    @Test
    void theProducerWritesExactlyWhatPythonsJsonDumpsWrites() {
        assertThat(PythonJson.dumps(PAYMENT)).isEqualTo(PYTHON_JSON);
    }

    @Test
    void theArticlesBarePaymentDataIsAPaymentWithTheRestMissing() throws Exception {
        // The article shows only payment_data['customer_id'] and payment_data['transaction_id'].
        Payment payment = mapper.readValue("{\"customer_id\": \"cust-9\", \"transaction_id\": \"txn-9\"}",
                Payment.class);

        assertThat(payment).isEqualTo(new Payment("cust-9", "txn-9", null, null, null, null));
        assertThat(payment.formattedAmount()).isEqualTo("no amount");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        Payment payment = mapper.readValue("{\"customer_id\": \"cust-9\", \"transaction_id\": \"txn-9\","
                + " \"card\": {\"last4\": \"4242\"}, \"sequence\": 2, \"refund_of\": null}", Payment.class);

        assertThat(payment.customerId()).isEqualTo("cust-9");
        assertThat(payment.sequence()).isEqualTo(2L);
    }

    @Test
    void anAmountSentAsANumberBindsExactlyAsWritten() throws Exception {
        // A producer that writes 'amount': 19.99 (a Python float) still means 19.99, not 19.989999999999998.
        Payment payment = mapper.readValue("{\"customer_id\": \"c\", \"transaction_id\": \"t\", \"amount\": 19.99,"
                + " \"currency\": \"USD\"}", Payment.class);

        assertThat(payment.amount()).isEqualByComparingTo("19.99");
        assertThat(payment.formattedAmount()).isEqualTo("19.99 USD");
    }

    @Test
    void anAmountThatIsNotANumberDoesNotBind() {
        // Sluice treats a body that cannot be bound as poison: dead-lettered on its first receive, never charged.
        assertThatThrownBy(() -> mapper.readValue("{\"customer_id\": \"c\", \"transaction_id\": \"t\","
                + " \"amount\": \"a lot\"}", Payment.class)).hasMessageContaining("amount");
    }

    @Test
    void escapesAsPythonsEnsureAsciiDoesAndWritesPythonIntsAndNoFraction() {
        // json.dumps({'customer_id': 'cust-\u00e9\U0001F600', 'transaction_id': 'txn"\\/\t',
        //             'sequence': 12345678901, 'amount': '0.50', 'currency': 'JPY',
        //             'timestamp': datetime(2026, 1, 2, 3, 4, 5).isoformat()})
        Payment payment = new Payment("cust-\u00e9\uD83D\uDE00", "txn\"\\/\t", 12_345_678_901L, new BigDecimal("0.50"),
                "JPY", LocalDateTime.of(2026, 1, 2, 3, 4, 5));

        assertThat(PythonJson.dumps(payment)).isEqualTo("{\"customer_id\": \"cust-\\u00e9\\ud83d\\ude00\","
                + " \"transaction_id\": \"txn\\\"\\\\/\\t\", \"sequence\": 12345678901, \"amount\": \"0.50\","
                + " \"currency\": \"JPY\", \"timestamp\": \"2026-01-02T03:04:05\"}");
    }

    @Test
    void nullsAreWrittenAsPythonsNone() {
        assertThat(PythonJson.dumps(new Payment(null, null, null, null, null, null))).isEqualTo("{\"customer_id\":"
                + " null, \"transaction_id\": null, \"sequence\": null, \"amount\": null, \"currency\": null,"
                + " \"timestamp\": null}");
    }

    @Test
    void whatTheProducerWritesBindsBackToTheSamePayment() throws Exception {
        for (Payment payment : SamplePayments.newRun(3).next(30)) {
            assertThat(mapper.readValue(PythonJson.dumps(payment), Payment.class)).isEqualTo(payment);
        }
    }

    @Test
    void samplePaymentsGoToTheCustomersInTurnNumberedFromOneForEach() {
        List<Payment> payments = SamplePayments.named("run1", 3).next(7);

        assertThat(payments).extracting(Payment::transactionId).containsExactly("txn-run1-0001", "txn-run1-0002",
                "txn-run1-0003", "txn-run1-0004", "txn-run1-0005", "txn-run1-0006", "txn-run1-0007");
        assertThat(payments).extracting(Payment::customerId).containsExactly("cust-run1-1", "cust-run1-2",
                "cust-run1-3", "cust-run1-1", "cust-run1-2", "cust-run1-3", "cust-run1-1");
        assertThat(payments).extracting(Payment::sequence).containsExactly(1L, 1L, 1L, 2L, 2L, 2L, 3L);
        Set<String> currencies = new HashSet<>();
        for (Payment payment : payments) {
            assertThat(payment.amount()).isBetween(new BigDecimal("1.00"), new BigDecimal("200.00"));
            assertThat(payment.amount().scale()).isEqualTo(2);
            currencies.add(payment.currency());
        }
        assertThat(currencies).isSubsetOf("EUR", "USD", "GBP");
    }
}
