package io.sluice.examples.orders;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Made-up payments for a demonstration run, for a few customers in turn (round robin): with three customers, payments
 * 1, 2, 3 are the first of customers 1, 2, 3, payment 4 the second of customer 1, and so on. Each customer's payments
 * carry {@code sequence} 1, 2, 3... in the order they are made, which is the order they must be charged in.
 *
 * <p>Ids are {@code txn-<run>-0001}, {@code txn-<run>-0002}... for transactions and {@code cust-<run>-1}... for
 * customers, where {@code <run>} differs from run to run: a worker that outlives several runs sees each run's customers
 * start at sequence 1 without mistaking them for the last run's. Amounts are 1.00 to 200.00 in one of three
 * currencies. Not thread safe.
 */
public final class SamplePayments {

    private static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP");

    private final Random random = ThreadLocalRandom.current();
    private final String run;
    private final int customers;
    private int placed;

    private SamplePayments(String run, int customers) {
        if (customers < 1) {
            throw new IllegalArgumentException("customers must be at least 1, but was " + customers);
        }
        this.run = run;
        this.customers = customers;
    }

    /** A new run of payments for {@code customers} customers. */
    public static SamplePayments newRun(int customers) {
        return new SamplePayments(Integer.toString(36 * 36 * 36 + ThreadLocalRandom.current().nextInt(35 * 36 * 36 * 36),
                36), customers);
    }

    /** A run named {@code run}, for tests that need known ids. */
    static SamplePayments named(String run, int customers) {
        return new SamplePayments(run, customers);
    }

    /** The id of customer {@code number} (1-based) of this run. */
    public String customer(int number) {
        return "cust-" + run + "-" + number;
    }

    /** The next {@code count} payments of this run, going on round robin from the last. */
    public List<Payment> next(int count) {
        List<Payment> payments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = placed++;
            payments.add(new Payment(customer(index % customers + 1), String.format("txn-%s-%04d", run, index + 1),
                    (long) (index / customers + 1),
                    BigDecimal.valueOf(100 + random.nextInt(19_901), 2),
                    CURRENCIES.get(random.nextInt(CURRENCIES.size())),
                    // What Python's datetime.now() holds: local time, microsecond precision.
                    LocalDateTime.now().truncatedTo(ChronoUnit.MICROS)));
        }
        return payments;
    }
}
