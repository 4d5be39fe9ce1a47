package io.sluice.examples.orders;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.LocalDateTime;

/**
 * A payment request as the article's {@code send_payment_request(payment_data)} sends it to {@value
 * PaymentProcessor#QUEUE}: {@code MessageBody=json.dumps(payment_data)}, with {@code MessageGroupId=
 * payment_data['customer_id']} (one customer's payments are kept in order) and {@code MessageDeduplicationId=
 * payment_data['transaction_id']} (a payment sent twice is delivered once). The article names only those two fields;
 * this example's producers ({@link PaymentProducer}, {@code place_payments.py}) also send what a payment carries:
 *
 * <pre>{@code
 * payment_data = {
 *     'customer_id': 'cust-k3f9-2',
 *     'transaction_id': 'txn-k3f9-0007',
 *     'sequence': 2,                              # the customer's 2nd payment: the order it must be charged in
 *     'amount': '19.99',                          # a decimal string in the currency's major unit
 *     'currency': 'EUR',                          # ISO 4217
 *     'timestamp': datetime.now().isoformat()
 * }
 * }</pre>
 *
 * <p>{@code amount} is a string, as payment APIs write money (PayPal's {@code "value": "19.99"}): a JSON number would be
 * a Python float, and {@code 0.1 + 0.2} is not {@code 0.3}. A number binds too, exactly as written. Unknown fields are
 * ignored; every field but the two ids may be missing (it binds as {@code null}), so the article's bare {@code
 * {'customer_id': ..., 'transaction_id': ...}} is a payment. Nothing is validated here: {@link PaymentProcessor}
 * decides what it needs.
 *
 * @param customerId    {@code customer_id}: the customer, and the message group
 * @param transactionId {@code transaction_id}: the payment's id, and the deduplication id
 * @param sequence      {@code sequence}: the customer's n-th payment, 1, 2, 3...; {@code null} when not sent
 * @param amount        {@code amount}, in the currency's major unit ({@code 19.99}); {@code null} when not sent
 * @param currency      {@code currency}, e.g. {@code EUR}; {@code null} when not sent
 * @param timestamp     {@code timestamp}: when the payment was requested, producer's local time, as {@link Order}'s
 */
public record Payment(
        @JsonProperty("customer_id") String customerId,
        @JsonProperty("transaction_id") String transactionId,
        @JsonProperty("sequence") Long sequence,
        @JsonProperty("amount") BigDecimal amount,
        @JsonProperty("currency") String currency,
        @JsonProperty("timestamp") LocalDateTime timestamp) {

    /** {@code 19.99 EUR}, or what is known of it; {@code no amount} when none was sent. */
    public String formattedAmount() {
        if (amount == null) {
            return "no amount";
        }
        return amount.toPlainString() + (currency == null ? "" : " " + currency);
    }
}
