package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The summary's order check: per customer, were the payments charged in their sequence order? */
class PaymentOrderCheckTest {

    private static Payment payment(String customer, Long sequence) {
        return new Payment(customer, customer + "-txn-" + sequence, sequence, null, null, null);
    }

    private static List<Payment> charged(String customer, long... sequences) {
        List<Payment> payments = new ArrayList<>();
        for (long sequence : sequences) {
            payments.add(payment(customer, sequence));
        }
        return payments;
    }

    private static Map<String, List<Payment>> customers(Object... customerThenPayments) {
        Map<String, List<Payment>> map = new LinkedHashMap<>();
        for (int i = 0; i < customerThenPayments.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Payment> payments = (List<Payment>) customerThenPayments[i + 1];
            map.put((String) customerThenPayments[i], payments);
        }
        return map;
    }

    @Test
    void everyCustomerInOrder() {
        PaymentOrderCheck check = PaymentOrderCheck.of(customers(
                "cust-1", charged("cust-1", 1, 2, 3, 4),
                "cust-2", charged("cust-2", 1, 2, 3),
                "cust-3", charged("cust-3", 1)));

        assertThat(check.inOrder()).isTrue();
        assertThat(check.outOfOrder()).isEmpty();
        assertThat(check.processed()).isEqualTo(8);
        assertThat(check.customers()).extracting(PaymentOrderCheck.Customer::sequences)
                .containsExactly(List.of(1L, 2L, 3L, 4L), List.of(1L, 2L, 3L), List.of(1L));
        assertThat(check).hasToString("8 processed for 3 customers, in order for every customer");
    }

    @Test
    void namesEachCustomerOutOfOrderWithItsInversionsAndTheFirstOne() {
        PaymentOrderCheck check = PaymentOrderCheck.of(customers(
                "cust-1", charged("cust-1", 1, 3, 2, 4),
                "cust-2", charged("cust-2", 1, 2, 3),
                "cust-3", charged("cust-3", 4, 3, 2, 1)));

        assertThat(check.inOrder()).isFalse();
        assertThat(check.outOfOrder()).extracting(PaymentOrderCheck.Customer::customer)
                .containsExactly("cust-1", "cust-3");
        assertThat(check.outOfOrder()).extracting(PaymentOrderCheck.Customer::inversions).containsExactly(1L, 6L);
        assertThat(check).hasToString("11 processed for 3 customers, OUT OF ORDER for 2 of them: cust-1 (1 inversion;"
                + " sequence 2 processed after 3), cust-3 (6 inversions; first sequence 3 processed after 4)");
    }

    @Test
    void aMissingPaymentIsAGapNotAnInversion() {
        // Sequence 2 dead-lettered or still queued: the app reports it as not processed, not as out of order.
        assertThat(PaymentOrderCheck.of(customers("cust-1", charged("cust-1", 1, 3, 4))).inOrder()).isTrue();
    }

    @Test
    void paymentsWithoutASequenceAreCountedButNotJudged() {
        List<Payment> payments = new ArrayList<>(charged("cust-1", 1, 2));
        payments.add(1, payment("cust-1", null));
        PaymentOrderCheck check = PaymentOrderCheck.of(customers("cust-1", payments));

        assertThat(check.inOrder()).isTrue();
        assertThat(check).hasToString("3 processed for 1 customer, in order for every customer (1 without a sequence,"
                + " not checked)");
    }

    @Test
    void nothingProcessed() {
        PaymentOrderCheck check = PaymentOrderCheck.of(Map.of());

        assertThat(check.inOrder()).isTrue();
        assertThat(check.processed()).isZero();
        assertThat(check).hasToString("none processed");
    }

    @Test
    void inversionsAreCountedAsEveryPairInTheWrongOrder() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<Long> sequences = new ArrayList<>();
            int size = random.nextInt(40);
            for (int i = 0; i < size; i++) {
                sequences.add((long) random.nextInt(20)); // repeats too: equal values are no inversion
            }
            long pairs = 0;
            for (int i = 0; i < sequences.size(); i++) {
                for (int j = i + 1; j < sequences.size(); j++) {
                    if (sequences.get(i) > sequences.get(j)) {
                        pairs++;
                    }
                }
            }
            assertThat(PaymentOrderCheck.inversions(sequences)).as("inversions of %s", sequences).isEqualTo(pairs);
        }
        List<Long> descending = new ArrayList<>();
        for (long i = 1; i <= 1000; i++) {
            descending.add(i);
        }
        Collections.reverse(descending);
        assertThat(PaymentOrderCheck.inversions(descending)).isEqualTo(1000L * 999 / 2);
    }

    @Test
    void theLedgerKeepsEachCustomersPaymentsInTheOrderFirstChargedAndIgnoresDuplicates() {
        PaymentLedger ledger = new PaymentLedger();
        assertThat(ledger.record(payment("cust-1", 1L), "m-1")).isTrue();
        assertThat(ledger.record(payment("cust-2", 1L), "m-2")).isTrue();
        assertThat(ledger.record(payment("cust-1", 3L), "m-3")).isTrue();
        assertThat(ledger.record(payment("cust-1", 1L), "m-1-again")).as("a duplicate").isFalse();
        assertThat(ledger.record(payment("cust-1", 2L), "m-4")).isTrue();

        assertThat(ledger.size()).isEqualTo(4);
        assertThat(ledger.processedByCustomer()).containsOnlyKeys("cust-1", "cust-2");
        assertThat(ledger.processedByCustomer().get("cust-1")).extracting(Payment::sequence)
                .containsExactly(1L, 3L, 2L);
        assertThat(ledger.entry("cust-1-txn-1")).hasValueSatisfying(entry ->
                assertThat(entry.messageId()).isEqualTo("m-1"));
        assertThat(ledger.paymentFrom("m-4")).contains(payment("cust-1", 2L));
        assertThat(ledger.paymentFrom("m-1-again")).isEmpty();
        assertThat(ledger.orderCheck().outOfOrder()).extracting(PaymentOrderCheck.Customer::customer)
                .containsExactly("cust-1");
    }
}
