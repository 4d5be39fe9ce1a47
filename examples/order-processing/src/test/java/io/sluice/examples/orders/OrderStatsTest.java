package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.CircuitState;
import io.sluice.Delivery;
import io.sluice.WorkerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link OrderStats} counts from the worker's events, for every queue or for one. */
class OrderStatsTest {

    private static Delivery delivery(String queue, String messageId) {
        return new Delivery(queue, messageId, "Handler.process", 1, Instant.EPOCH);
    }

    private static void feed(OrderStats stats) {
        RuntimeException boom = new RuntimeException("boom");
        stats.onEvent(new WorkerEvent.Failed(delivery("order-processing", "o-1"), boom));
        stats.onEvent(new WorkerEvent.Retried(delivery("order-processing", "o-1"), 1, boom, Duration.ZERO));
        stats.onEvent(new WorkerEvent.Handled(delivery("order-processing", "o-1"), Duration.ZERO));
        stats.onEvent(new WorkerEvent.Deleted(delivery("order-processing", "o-1")));
        stats.onEvent(new WorkerEvent.Failed(delivery("payments.fifo", "p-1"), boom));
        stats.onEvent(new WorkerEvent.Failed(delivery("payments.fifo", "p-1"), boom));
        stats.onEvent(new WorkerEvent.DeadLettered(delivery("payments.fifo", "p-1"), "payments-dlq.fifo", boom,
                "attempts exhausted"));
        stats.onEvent(new WorkerEvent.Handled(delivery("payments.fifo", "p-2"), Duration.ZERO));
        stats.onEvent(new WorkerEvent.Deleted(delivery("payments.fifo", "p-2")));
        stats.onEvent(new WorkerEvent.CircuitStateChanged("payments", CircuitState.CLOSED, CircuitState.OPEN));
    }

    @Test
    void countsEveryQueueByDefault() {
        OrderStats stats = new OrderStats();
        feed(stats);

        assertThat(stats.handled()).isEqualTo(2);
        assertThat(stats.deleted()).isEqualTo(2);
        assertThat(stats.failed()).isEqualTo(3);
        assertThat(stats.failedMessageIds()).containsExactlyInAnyOrder("o-1", "p-1");
        assertThat(stats.retried()).isEqualTo(1);
        assertThat(stats.deadLettered()).isEqualTo(1);
    }

    @Test
    void countsOneQueueOnlyButEveryBreakerTransition() {
        OrderStats orders = new OrderStats("order-processing");
        OrderStats payments = new OrderStats("payments.fifo");
        feed(orders);
        feed(payments);

        assertThat(orders.handled()).isEqualTo(1);
        assertThat(orders.failed()).isEqualTo(1);
        assertThat(orders.retried()).isEqualTo(1);
        assertThat(orders.deadLettered()).isZero();
        assertThat(orders.deletedOf(List.of("o-1", "p-2"))).isEqualTo(1);

        assertThat(payments.handled()).isEqualTo(1);
        assertThat(payments.failed()).isEqualTo(2);
        assertThat(payments.failedMessageIds()).containsExactly("p-1");
        assertThat(payments.deadLetteredOf(List.of("p-1"))).isEqualTo(1);
        assertThat(payments.wasDeleted("p-2")).isTrue();

        assertThat(orders.circuitChanges()).containsExactly("payments: CLOSED -> OPEN");
        assertThat(payments.circuitChanges()).containsExactly("payments: CLOSED -> OPEN");
    }
}
