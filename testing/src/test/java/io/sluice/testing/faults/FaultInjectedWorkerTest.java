package io.sluice.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Worker;
import io.sluice.WorkerEvent;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A worker rides out faults on every SQS call, as a user of the kit would run it: 10 % of all calls fail (a third of
 * them as lost responses, the rest throttled, 500, reset, timed out or partly failed), 5 % more are late, on the
 * in-memory transport and virtual time. Every message is handled at least once and deleted; nothing is left on the
 * queue and nothing is dead-lettered.
 */
class FaultInjectedWorkerTest {

    static final int MESSAGES = 1000;

    /** Records each body it handles (behind the proxy in {@link FaultProxyIT} too). */
    public static final class Orders {
        final Set<String> handled = ConcurrentHashMap.newKeySet();

        @SqsHandler(queue = "orders", concurrency = 10)
        public void handle(String body) {
            handled.add(body);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Threads.class, names = {"INLINE", "SHUFFLED"})
    void everyMessageIsHandledAndDeletedDespiteFaultsOnEveryAction(Threads threads) {
        try (InMemoryWorld world = new InMemoryWorld(threads, 11)) {
            String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 50, Map.of("VisibilityTimeout", "30"));
            FaultInjectingTransport faulty = FaultInjectingTransport.wrap(world.sqs, FaultPlan.builder().seed(7)
                    .allActions(0.10).lostResponseShare(1 / 3.0)
                    .failureMix(Fault.THROTTLING, Fault.SERVER_ERROR, Fault.CONNECTION_RESET, Fault.TIMEOUT,
                            Fault.PARTIAL_BATCH)
                    .rate(Fault.LATENCY, 0.05).latency(Duration.ofMillis(10), Duration.ofSeconds(2))
                    .timeoutAfter(Duration.ofSeconds(10))
                    .build(), world.time);
            Orders orders = new Orders();
            // Sluice does not retry its startup calls (the SDK below it does, and the decorator sits above the SDK):
            // faults start with the first receive.
            faulty.enabled(false);
            world.start(Worker.builder().handlers(orders), faulty);
            faulty.enabled(true);
            List<String> bodies = IntStream.range(0, MESSAGES).mapToObj(i -> "order-" + i).toList();
            world.send(url, bodies, null);

            boolean done = world.runUntil(() -> orders.handled.size() == MESSAGES
                    && world.sqs.messages("orders").isEmpty(), Duration.ofMillis(200), Duration.ofHours(2));

            FaultCounts counts = faulty.counts();
            assertThat(done).as("all handled and deleted; handled %d; left %d; faults:%n%s", orders.handled.size(),
                    world.sqs.messages("orders").size(), counts.report()).isTrue();
            assertThat(orders.handled).containsExactlyInAnyOrderElementsOf(bodies);
            assertThat(world.sqs.messages("orders-dlq")).isEmpty();
            assertThat(world.events.of(WorkerEvent.DeadLettered.class)).isEmpty();
            assertThat(counts.failed()).as(counts.report()).isGreaterThanOrEqualTo(counts.calls() / 20);
            assertThat(counts.injected(Fault.LOST_RESPONSE)).as(counts.report()).isPositive();
        }
    }
}
