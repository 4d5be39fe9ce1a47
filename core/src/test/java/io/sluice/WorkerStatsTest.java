package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a worker reports about its SQS calls and its queues' depth, and a listener subscribed after it was built. */
class WorkerStatsTest {

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 7);

    @AfterEach
    void close() {
        world.close();
    }

    static final class Orders {
        final List<String> handled = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "orders")
        public void handle(String body) {
            handled.add(body);
        }
    }

    @Test
    void callsArePerQueueAndActionAndDepthIsReadFromSqs() {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        Orders handler = new Orders();
        Worker worker = world.start(Worker.builder().handlers(handler));
        List<WorkerEvent> late = new CopyOnWriteArrayList<>();
        worker.subscribe(late::add);

        world.send(url, IntStream.range(0, 25).mapToObj(i -> "m" + i).toList(), null);
        world.runUntil(() -> handler.handled.size() == 25, Duration.ofMillis(50), Duration.ofSeconds(10));
        world.runUntil(() -> false, Duration.ofMillis(50), Duration.ofSeconds(1)); // the last deletes go out

        Map<String, Long> calls = worker.sqsCalls().stream().filter(stats -> stats.queue().equals("orders"))
                .collect(Collectors.toMap(SqsCallStats::action, SqsCallStats::calls));
        assertThat(calls).containsKeys("GetQueueUrl", "GetQueueAttributes", "ReceiveMessage", "DeleteMessageBatch");
        assertThat(calls.get("DeleteMessageBatch")).isBetween(3L, 25L);
        assertThat(worker.sqsCalls()).allSatisfy(stats -> assertThat(stats.failures()).isZero());
        assertThat(late).filteredOn(WorkerEvent.Handled.class::isInstance).hasSize(25);
        assertThat(late).filteredOn(WorkerEvent.HandlerStarted.class::isInstance)
                .allSatisfy(started -> assertThat(((WorkerEvent.HandlerStarted) started).sinceSent()).isNotNull());

        worker.stopAsync(Duration.ofSeconds(5));
        world.runUntil(() -> worker.health().state().equals("STOPPED"), Duration.ofMillis(50), Duration.ofSeconds(10));
        world.send(url, "waiting", Map.of());
        List<QueueDepth> depths = world.join(worker.queueDepths());
        assertThat(depths).singleElement().satisfies(depth -> {
            assertThat(depth.queue()).isEqualTo("orders");
            assertThat(depth.visible()).isEqualTo(1);
            assertThat(depth.inFlight()).isZero();
            assertThat(depth.delayed()).isZero();
        });
    }
}
