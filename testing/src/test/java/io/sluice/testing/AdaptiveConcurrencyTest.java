package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.AdaptiveConcurrencyPolicy;
import io.sluice.BreakerPolicy;
import io.sluice.QueueConfig;
import io.sluice.QueueHealth;
import io.sluice.WorkerConfig;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import io.sluice.annotations.AdaptiveConcurrency;
import io.sluice.annotations.SqsHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A queue under an adaptive concurrency limit in front of a downstream with a knee it does not know (20 calls at once;
 * 20 ms unloaded), on virtual time: the limit finds the knee, the latency stays near unloaded, and failures bring it
 * down while the breaker still stops polling.
 */
class AdaptiveConcurrencyTest {

    public static final class Orders {
        volatile SimulatedDownstream downstream;
        final AtomicBoolean failing = new AtomicBoolean();

        @SqsHandler(queue = "orders", concurrency = 100)
        @AdaptiveConcurrency
        public CompletableFuture<Void> handle(String body) {
            if (failing.get()) {
                return CompletableFuture.failedFuture(new IllegalStateException("downstream down (scripted)"));
            }
            return downstream.call();
        }
    }

    private final Orders orders = new Orders();

    @RegisterExtension
    final SluiceTestKit kit = SluiceTestKit.builder().handlers(orders).manualStart()
            .config(WorkerConfig.builder().queue("orders", QueueConfig.builder().maxReceiveCount(1000)
                    .circuitBreaker(BreakerPolicy.builder().minimumCalls(100).waitInOpen(Duration.ofSeconds(5))
                            .build()).build()).build())
            .patience(Duration.ofMinutes(30))
            .build();

    private void backlog(int count) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add("{\"n\":" + i + "}");
        }
        assertThat(kit.producer().sendAll("orders", bodies).allSent()).isTrue();
    }

    private QueueHealth health() {
        return kit.worker().health().queues().get(0);
    }

    private void run(Duration duration) {
        for (long ms = 0; ms < duration.toMillis(); ms += 5) {
            kit.advance(Duration.ofMillis(5));
        }
    }

    @Test
    void theLimitFindsTheKneeWithoutKnowingItAndLatencyStaysNearUnloaded() {
        orders.downstream = SimulatedDownstream.withKnee(20, Duration.ofMillis(20), kit.time());
        backlog(40_000);
        kit.startWorker();
        List<WorkerEvent.ConcurrencyLimitChanged> changes = new CopyOnWriteArrayList<>();
        kit.worker().subscribe(WorkerListener.on(WorkerEvent.ConcurrencyLimitChanged.class, changes::add));

        run(Duration.ofSeconds(30));

        SimulatedDownstream downstream = orders.downstream;
        long calls = downstream.calls();
        assertThat(calls).as("at least 90%% of the best the downstream can do (1,000/s) over 30 s, warm-up included")
                .isGreaterThan(27_000);
        assertThat(downstream.latencyPercentile(99, calls / 10)).as("p99 within 2x the unloaded 20 ms")
                .isLessThanOrEqualTo(Duration.ofMillis(40));
        assertThat(health().concurrencyLimit()).as("settled near the knee of 20, far under the ceiling of 100")
                .isBetween(20, 40);
        assertThat(kit.worker().health().queues().get(0).handlersRunning()).isLessThanOrEqualTo(40);
        assertThat(changes).isNotEmpty();
        assertThat(changes.get(0).from()).as("it starts at 10").isEqualTo(10);
    }

    @Test
    void failuresBringTheLimitDownAndTheBreakerStillStopsPollingThenItGrowsBack() {
        orders.downstream = SimulatedDownstream.withKnee(20, Duration.ofMillis(20), kit.time());
        backlog(20_000);
        kit.startWorker();
        run(Duration.ofSeconds(5));
        int healthy = health().concurrencyLimit();
        assertThat(healthy).isGreaterThan(10);

        orders.failing.set(true);
        run(Duration.ofSeconds(2));
        assertThat(health().circuit()).as("the breaker opened").isEqualTo(io.sluice.CircuitState.OPEN);
        assertThat(health().concurrencyLimit()).as("the failures brought the limit down").isLessThan(healthy);

        orders.failing.set(false);
        run(Duration.ofSeconds(20));
        assertThat(health().circuit()).isEqualTo(io.sluice.CircuitState.CLOSED);
        assertThat(health().concurrencyLimit()).as("and it grew back near the knee").isBetween(20, 40);
    }

    @Test
    void itStartsAtTheInitialLimitAndAFastDownstreamTakesItToTheCeiling() {
        orders.downstream = SimulatedDownstream.withKnee(1000, Duration.ofMillis(20), kit.time());
        kit.startWorker();
        assertThat(health().concurrencyLimit()).isEqualTo(AdaptiveConcurrencyPolicy.DEFAULT_INITIAL);

        List<WorkerEvent.ConcurrencyLimitChanged> changes = new CopyOnWriteArrayList<>();
        kit.worker().subscribe(WorkerListener.on(WorkerEvent.ConcurrencyLimitChanged.class, changes::add));
        backlog(20_000);
        run(Duration.ofSeconds(5));
        assertThat(changes.stream().mapToInt(WorkerEvent.ConcurrencyLimitChanged::to).max())
                .as("no knee within reach: the limit went up to the ceiling, the concurrency of 100").hasValue(100);
        assertThat(orders.downstream.mostAtOnce()).as("and never above it").isEqualTo(100);
    }
}
