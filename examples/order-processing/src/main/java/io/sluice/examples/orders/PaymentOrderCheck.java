package io.sluice.examples.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Whether each customer's payments were charged in the order they were made: for every customer, the {@code sequence}
 * numbers of its payments in the order they were first charged (a redelivered duplicate does not count again), and how
 * many pairs of them are inverted (a later payment charged before an earlier one). What a FIFO queue with {@code
 * MessageGroupId = customer_id} promises is zero inversions for every customer, retries and redeliveries included.
 *
 * <p>Payments that carry no {@code sequence} (the article's bare {@code payment_data}) cannot be judged and are only
 * counted. Gaps are not inversions: a payment still on the queue, or dead-lettered, leaves a gap, which the app reports
 * as not processed.
 */
public final class PaymentOrderCheck {

    /**
     * One customer's payments in the order they were charged.
     *
     * @param sequences  their {@code sequence} numbers in that order (payments without one left out)
     * @param inversions pairs charged in the wrong order: 0 when in order; {@code 3, 2, 1} has 3
     */
    public record Customer(String customer, List<Long> sequences, long inversions) {

        public boolean inOrder() {
            return inversions == 0;
        }

        /** {@code sequence 2 processed after 3}: the first payment charged after a later one of the same customer. */
        String firstInversion() {
            long highest = Long.MIN_VALUE;
            for (long sequence : sequences) {
                if (sequence < highest) {
                    return "sequence " + sequence + " processed after " + highest;
                }
                highest = Math.max(highest, sequence);
            }
            return "in order";
        }

        @Override
        public String toString() {
            return customer + " (" + inversions + (inversions == 1 ? " inversion; " : " inversions; first ")
                    + firstInversion() + ")";
        }
    }

    private final List<Customer> customers;
    private final int processed;
    private final int unsequenced;

    private PaymentOrderCheck(List<Customer> customers, int processed, int unsequenced) {
        this.customers = List.copyOf(customers);
        this.processed = processed;
        this.unsequenced = unsequenced;
    }

    /** Checks each customer's payments, given in the order they were charged (see {@link PaymentLedger}). */
    public static PaymentOrderCheck of(Map<String, List<Payment>> chargedByCustomer) {
        List<Customer> customers = new ArrayList<>();
        int processed = 0;
        int unsequenced = 0;
        for (Map.Entry<String, List<Payment>> entry : chargedByCustomer.entrySet()) {
            List<Long> sequences = new ArrayList<>();
            for (Payment payment : entry.getValue()) {
                processed++;
                if (payment.sequence() == null) {
                    unsequenced++;
                } else {
                    sequences.add(payment.sequence());
                }
            }
            customers.add(new Customer(entry.getKey(), List.copyOf(sequences), inversions(sequences)));
        }
        return new PaymentOrderCheck(customers, processed, unsequenced);
    }

    /** Payments charged (each transaction once). */
    public int processed() {
        return processed;
    }

    /** Every customer with a charged payment, in the ledger's order. */
    public List<Customer> customers() {
        return customers;
    }

    /** Whether every customer's payments were charged in order. */
    public boolean inOrder() {
        return customers.stream().allMatch(Customer::inOrder);
    }

    /** The customers whose payments were not charged in order. */
    public List<Customer> outOfOrder() {
        return customers.stream().filter(customer -> !customer.inOrder()).collect(Collectors.toList());
    }

    /**
     * {@code 40 processed for 5 customers, in order for every customer}, or {@code 40 processed for 5 customers, OUT OF
     * ORDER for 2 of them: cust-a (1 inversion; sequence 2 processed after 3), cust-b (4 inversions; first ...)}.
     */
    @Override
    public String toString() {
        if (processed == 0) {
            return "none processed";
        }
        String head = processed + " processed for " + customers.size() + (customers.size() == 1 ? " customer"
                : " customers");
        String unchecked = unsequenced == 0 ? "" : " (" + unsequenced + " without a sequence, not checked)";
        List<Customer> wrong = outOfOrder();
        if (wrong.isEmpty()) {
            return head + ", in order for every customer" + unchecked;
        }
        return head + ", OUT OF ORDER for " + wrong.size() + " of them: " + wrong.stream().map(Customer::toString)
                .collect(Collectors.joining(", ")) + unchecked;
    }

    /** Pairs {@code i < j} with {@code sequences[i] > sequences[j]}, by merge sort: O(n log n). */
    static long inversions(List<Long> sequences) {
        long[] values = sequences.stream().mapToLong(Long::longValue).toArray();
        return sortCounting(values, new long[values.length], 0, values.length);
    }

    private static long sortCounting(long[] values, long[] scratch, int from, int to) {
        if (to - from < 2) {
            return 0;
        }
        int middle = (from + to) >>> 1;
        long count = sortCounting(values, scratch, from, middle) + sortCounting(values, scratch, middle, to);
        int left = from;
        int right = middle;
        int out = from;
        while (left < middle && right < to) {
            if (values[right] < values[left]) {
                count += middle - left; // every value still on the left is greater than this one
                scratch[out++] = values[right++];
            } else {
                scratch[out++] = values[left++];
            }
        }
        while (left < middle) {
            scratch[out++] = values[left++];
        }
        while (right < to) {
            scratch[out++] = values[right++];
        }
        System.arraycopy(scratch, from, values, from, to - from);
        return count;
    }
}
