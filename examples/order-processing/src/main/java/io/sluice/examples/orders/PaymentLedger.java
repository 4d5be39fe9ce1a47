package io.sluice.examples.orders;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which payments were charged, from which message, and in which order for each customer: the stand-in for the payment
 * service's database. SQS delivers at least once (a FIFO queue deduplicates sends, not deliveries), so the processor
 * looks a transaction up here before charging it again; and since a customer's payments must be charged in the order
 * they were made, the ledger keeps each customer's payments in the order they were charged, for {@link #orderCheck()}.
 *
 * <p>Only a transaction's first charge counts: a duplicate is not recorded again. In memory, unbounded and
 * synchronized, which is fine for an example; a real service keeps this in its database.
 */
@Singleton
public class PaymentLedger {

    /** A charged payment and the message it came from. */
    public record Entry(Payment payment, String messageId) {
    }

    private final Map<String, Entry> byTransaction = new HashMap<>();
    private final Map<String, String> transactionByMessage = new HashMap<>();
    private final Map<String, List<Payment>> byCustomer = new LinkedHashMap<>();

    /** Whether {@code transactionId} was charged before. */
    public synchronized boolean isProcessed(String transactionId) {
        return byTransaction.containsKey(transactionId);
    }

    /**
     * Records {@code payment} as charged from {@code messageId}, after its customer's payments charged so far; returns
     * false, recording nothing, if its transaction was recorded before.
     */
    public synchronized boolean record(Payment payment, String messageId) {
        if (byTransaction.putIfAbsent(payment.transactionId(), new Entry(payment, messageId)) != null) {
            return false;
        }
        transactionByMessage.put(messageId, payment.transactionId());
        byCustomer.computeIfAbsent(payment.customerId(), customer -> new ArrayList<>()).add(payment);
        return true;
    }

    /** What was recorded for {@code transactionId}. */
    public synchronized Optional<Entry> entry(String transactionId) {
        return Optional.ofNullable(byTransaction.get(transactionId));
    }

    /** The payment charged from the message {@code messageId}, if one was. */
    public synchronized Optional<Payment> paymentFrom(String messageId) {
        String transactionId = transactionByMessage.get(messageId);
        return transactionId == null ? Optional.empty() : Optional.of(byTransaction.get(transactionId).payment());
    }

    /** Each customer's charged payments, in the order they were charged; customers in the order first charged. */
    public synchronized Map<String, List<Payment>> processedByCustomer() {
        Map<String, List<Payment>> copy = new LinkedHashMap<>();
        byCustomer.forEach((customer, payments) -> copy.put(customer, List.copyOf(payments)));
        return copy;
    }

    /** Whether every customer's payments were charged in {@code sequence} order, so far. */
    public PaymentOrderCheck orderCheck() {
        return PaymentOrderCheck.of(processedByCustomer());
    }

    public synchronized int size() {
        return byTransaction.size();
    }
}
