package io.sluice.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.Worker;
import io.sluice.annotations.Redelivery;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A scripted run on the in-memory transport and virtual time, and the exact counts the registry shows for it. */
class SluiceMetricsTest {

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 17);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        world.close();
    }

    record Invoice(String id, long cents) {
    }

    /** By body: "ok"; "flaky" fails its first call; "bad" fails every call. Invoices that are not JSON are poison. */
    static final class Scripted {
        final Map<String, Integer> calls = new ConcurrentHashMap<>();

        @SqsHandler(queue = "orders")
        @Retry(attempts = 2, delayMillis = 100)
        @Redelivery(maxAttempts = 2, backoffSeconds = 3, maxBackoffSeconds = 3)
        public void order(String body) {
            int call = calls.merge(body, 1, Integer::sum);
            if (body.equals("bad") || body.equals("flaky") && call == 1) {
                throw new IllegalStateException(body + " failed, call " + call);
            }
        }

        @SqsHandler(queue = "invoices")
        public void invoice(Invoice invoice) {
        }
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private double requests(String queue, String action) {
        FunctionCounter counter = registry.get(SluiceMetricNames.SQS_REQUESTS)
                .tags(SluiceMetricNames.QUEUE, queue, SluiceMetricNames.ACTION, action).functionCounter();
        return counter.count();
    }

    @Test
    void eachOutcomeIsCountedOnceWithBoundedTags() {
        String orders = world.queueWithDeadLetterQueue("orders", "orders-dlq", 2, Map.of("VisibilityTimeout", "30"));
        String invoices = world.queueWithDeadLetterQueue("invoices", "invoices-dlq", 2, Map.of());
        Worker worker = world.start(Worker.builder().handlers(new Scripted()));
        SluiceMetrics metrics = SluiceMetrics.builder(worker).scheduler(world.time)
                .sampleInterval(Duration.ofSeconds(10)).percentiles(0.5, 0.99).build();
        metrics.bindTo(registry);

        world.send(orders, "ok", Map.of());
        world.send(orders, "flaky", Map.of());
        world.send(orders, "bad", Map.of());
        world.send(invoices, "not json", Map.of());
        world.runUntil(() -> registry.find(SluiceMetricNames.DEAD_LETTERED).counters().stream()
                        .mapToDouble(counter -> counter.count()).sum() == 2
                        && registry.find(SluiceMetricNames.DELETED).counters().stream()
                        .mapToDouble(counter -> counter.count()).sum() == 2,
                Duration.ofMillis(100), Duration.ofMinutes(2));
        world.runUntil(() -> false, Duration.ofSeconds(1), Duration.ofSeconds(11)); // a depth sample

        String handler = "Scripted.order";
        assertThat(count(SluiceMetricNames.RECEIVED, "queue", "orders")).isEqualTo(4); // "bad" twice
        assertThat(count(SluiceMetricNames.HANDLED, "queue", "orders", "handler", handler)).isEqualTo(2);
        assertThat(count(SluiceMetricNames.FAILED, "queue", "orders", "handler", handler, "exception",
                "IllegalStateException")).isEqualTo(5);
        assertThat(count(SluiceMetricNames.RETRIED, "queue", "orders", "handler", handler)).isEqualTo(3);
        assertThat(count(SluiceMetricNames.REDELIVERED, "queue", "orders", "handler", handler)).isEqualTo(1);
        assertThat(count(SluiceMetricNames.DEAD_LETTERED, "queue", "orders", "reason", "exhausted")).isEqualTo(1);
        assertThat(count(SluiceMetricNames.DELETED, "queue", "orders")).isEqualTo(2);
        assertThat(count(SluiceMetricNames.DEAD_LETTERED, "queue", "invoices", "reason", "poison")).isEqualTo(1);
        assertThat(count(SluiceMetricNames.FAILED, "queue", "invoices", "handler", "Scripted.invoice",
                "exception", "MessageBindingException")).isEqualTo(1);
        assertThat(count(SluiceMetricNames.DELETED, "queue", "invoices")).isZero();
        assertThat(count(SluiceMetricNames.RETRIED, "queue", "invoices", "handler", "Scripted.invoice")).isZero();

        assertThat(registry.get(SluiceMetricNames.HANDLER_DURATION).tags("queue", "orders", "handler", handler)
                .timer().count()).isEqualTo(2);
        assertThat(registry.get(SluiceMetricNames.MESSAGE_AGE).tag("queue", "orders").timer().count()).isEqualTo(4);
        assertThat(registry.get(SluiceMetricNames.MESSAGE_WAIT).tag("queue", "orders").timer().count()).isEqualTo(4);

        assertThat(requests("orders", "ReceiveMessage")).isPositive();
        assertThat(requests("orders", "DeleteMessageBatch")).as("two handled, one dead-lettered: deleted in batches")
                .isBetween(1.0, 3.0);
        assertThat(requests("orders-dlq", "SendMessageBatch")).isEqualTo(1);
        assertThat(requests("orders", "SendMessageBatch")).isZero();

        assertThat(registry.get(SluiceMetricNames.IN_FLIGHT).tag("queue", "orders").gauge().value()).isZero();
        assertThat(registry.get(SluiceMetricNames.HANDLERS_RUNNING).tag("queue", "orders").gauge().value()).isZero();
        assertThat(registry.get(SluiceMetricNames.CIRCUIT_STATE).tag("queue", "orders").gauge().value()).isNaN();
        assertThat(registry.get(SluiceMetricNames.CONCURRENCY_LIMIT).tag("queue", "orders").gauge().value())
                .as("a fixed concurrency").isPositive();
        assertThat(registry.get(SluiceMetricNames.QUEUE_MESSAGES).tags("queue", "orders", "state", "visible")
                .gauge().value()).isZero();
        assertThat(registry.get(SluiceMetricNames.QUEUE_MESSAGES).tags("queue", "orders", "state", "not_visible")
                .gauge().value()).isZero();
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTag("queue")).isNotNull());
        metrics.close();
    }

    @Test
    void aBinderIsBoundOnceAndSettingsFailFastNamingTheValue() {
        Worker worker = Worker.builder().transport(world.sqs).handlers(new Scripted()).build();
        SluiceMetrics metrics = SluiceMetrics.builder(worker).sampleInterval(Duration.ZERO).build();
        metrics.bindTo(registry);

        assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SluiceMetrics.builder(worker).sampleInterval(Duration.ofMillis(500)))
                .hasMessage("sampleInterval must be zero (off) or at least 1s, but was PT0.5S");
        assertThatThrownBy(() -> SluiceMetrics.builder(worker).percentiles(0.5, 1.5))
                .hasMessage("percentiles must be between 0 and 1, but one was 1.5");
        metrics.close();
    }
}
