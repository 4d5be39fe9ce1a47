package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link Worker#health()}: live and ready as probes read them, with each queue's detail. */
class WorkerHealthTest {

    static final class Orders {
        final List<String> handled = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "orders")
        @CircuitBreaker(name = "payments")
        public void handle(String body) {
            handled.add(body);
        }
    }

    @Test
    void aRunningWorkerIsLiveAndReadyWithEachQueuesDetailAndAStoppedOneIsNeither() {
        try (InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 1)) {
            String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
            Orders handler = new Orders();
            Worker worker = Worker.builder().transport(world.sqs).scheduler(world.time).executor(Runnable::run)
                    .handlers(handler).build();

            WorkerHealth notStarted = worker.health();
            assertThat(notStarted.live()).isTrue();
            assertThat(notStarted.ready()).isFalse();
            assertThat(notStarted.reason()).isEqualTo("the worker has not started (NEW)");

            worker.startAsync();
            world.send(url, "{}", Map.of());
            world.runUntil(() -> !handler.handled.isEmpty(), Duration.ofMillis(100), Duration.ofSeconds(5));
            WorkerHealth running = worker.health();

            assertThat(running.state()).isEqualTo("RUNNING");
            assertThat(running.live()).isTrue();
            assertThat(running.ready()).isTrue();
            assertThat(running.reason()).isNull();
            assertThat(running.queues()).singleElement().satisfies(queue -> {
                assertThat(queue.queue()).isEqualTo("orders");
                assertThat(queue.handler()).isEqualTo("Orders.handle");
                assertThat(queue.circuit()).isEqualTo(CircuitState.CLOSED);
                assertThat(queue.lastReceive()).isNotNull();
                assertThat(queue.stuck()).isFalse();
            });

            worker.stopAsync(Duration.ofSeconds(5));
            world.runUntil(() -> !worker.health().state().equals("STOPPING"), Duration.ofMillis(100),
                    Duration.ofSeconds(30));
            WorkerHealth stopped = worker.health();
            assertThat(stopped.live()).isFalse();
            assertThat(stopped.ready()).isFalse();
            assertThat(stopped.reason()).isEqualTo("the worker is stopped");
        }
    }

    @Test
    void aReceiveThatNeverReturnsMakesTheWorkerNotLiveNamingTheQueue() {
        VirtualTime time = new VirtualTime();
        FakeSqsTransport transport = new FakeSqsTransport().withQueue("orders");
        Worker worker = Worker.builder().transport(transport).scheduler(time).executor(Runnable::run)
                .handlers(new Orders()).config(WorkerConfig.builder().pollers(1).build()).build().start();

        time.advance(Duration.ofSeconds(79)); // the 20 s long poll, and 59 s more: slow, not yet stuck
        assertThat(worker.health().live()).isTrue();
        time.advance(Duration.ofSeconds(2));
        WorkerHealth health = worker.health();

        assertThat(transport.openReceives()).hasSize(1);
        assertThat(health.live()).isFalse();
        assertThat(health.ready()).isTrue();
        assertThat(health.reason()).isEqualTo("no receive completed for over 1m past the long poll on queue(s) [orders]");
        assertThat(health.queues()).singleElement().satisfies(queue -> {
            assertThat(queue.stuck()).isTrue();
            assertThat(queue.lastReceive()).isNull();
            assertThat(queue.circuit()).isEqualTo(CircuitState.CLOSED);
        });
        worker.stopAsync(Duration.ofSeconds(1));
    }
}
