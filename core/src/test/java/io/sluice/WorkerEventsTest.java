package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.WorkerEvent.ReleaseReason;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.Redelivery;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.FaultyTransport;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every outcome of the pipeline is a typed event, published once, where it happens. */
class WorkerEventsTest {

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 11);

    @AfterEach
    void close() {
        world.close();
    }

    /** By body: "ok", "flaky" (fails its first call), "bad" (fails every call), "slow" (90 s of virtual work). */
    static class ScriptedHandler {
        final Map<String, Integer> calls = new ConcurrentHashMap<>();
        final io.sluice.time.VirtualTime time;

        ScriptedHandler(io.sluice.time.VirtualTime time) {
            this.time = time;
        }

        @SqsHandler(queue = "orders")
        @Retry(attempts = 2, delayMillis = 100)
        @Redelivery(maxAttempts = 2, backoffSeconds = 3, maxBackoffSeconds = 3)
        public CompletableFuture<Void> handle(String body, @MessageId String id) {
            int call = calls.merge(id, 1, Integer::sum);
            if (body.equals("flaky") && call == 1 || body.equals("bad")) {
                return CompletableFuture.failedFuture(new IllegalStateException(body + " failed, call " + call));
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            time.schedule(body.equals("slow") ? Duration.ofSeconds(90) : Duration.ZERO, () -> done.complete(null));
            return done;
        }
    }

    private <E extends WorkerEvent.MessageEvent> List<E> of(Class<E> type, String id) {
        return world.events.of(type).stream().filter(event -> event.delivery().messageId().equals(id)).toList();
    }

    @Test
    void eachOutcomeIsItsOwnEventAndDeletedMeansHandled() {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 2, Map.of("VisibilityTimeout", "30"));
        String ok = world.send(url, "ok", Map.of());
        String flaky = world.send(url, "flaky", Map.of());
        String bad = world.send(url, "bad", Map.of());
        String slow = world.send(url, "slow", Map.of());
        world.start(Worker.builder().handlers(new ScriptedHandler(world.time)));

        world.runUntil(() -> world.events.deadLettered.size() == 1 && world.events.deleted.size() == 3,
                Duration.ofMillis(100), Duration.ofMinutes(3));

        assertThat(of(WorkerEvent.Received.class, ok)).hasSize(1);
        assertThat(of(WorkerEvent.HandlerStarted.class, ok)).singleElement()
                .satisfies(started -> assertThat(started.call()).isEqualTo(1));
        assertThat(of(WorkerEvent.Handled.class, ok)).hasSize(1);
        assertThat(of(WorkerEvent.Deleted.class, ok)).hasSize(1);

        assertThat(of(WorkerEvent.Failed.class, flaky)).hasSize(1);
        assertThat(of(WorkerEvent.Retried.class, flaky)).singleElement().satisfies(retried -> {
            assertThat(retried.call()).isEqualTo(1);
            assertThat(retried.delay()).isEqualTo(Duration.ofMillis(100));
        });
        assertThat(of(WorkerEvent.HandlerStarted.class, flaky)).extracting(WorkerEvent.HandlerStarted::call)
                .containsExactly(1, 2);
        assertThat(of(WorkerEvent.Deleted.class, flaky)).hasSize(1);

        assertThat(of(WorkerEvent.Received.class, bad)).as("two deliveries").hasSize(2);
        assertThat(of(WorkerEvent.Redelivered.class, bad)).singleElement()
                .satisfies(redelivered -> assertThat(redelivered.backoff()).as("3 s with equal jitter")
                        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3)));
        assertThat(of(WorkerEvent.DeadLettered.class, bad)).singleElement().satisfies(dead -> {
            assertThat(dead.deadLetterQueue()).isEqualTo("orders-dlq");
            assertThat(dead.reason()).startsWith("attempts exhausted");
        });
        assertThat(of(WorkerEvent.Deleted.class, bad)).as("a dead-lettered message is not 'deleted'").isEmpty();

        assertThat(of(WorkerEvent.VisibilityExtended.class, slow)).as("90 s of work on a 30 s visibility")
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(of(WorkerEvent.Deleted.class, slow)).hasSize(1);
    }

    @Test
    void aStopReleasesWhatWaitsAndSaysWhy() {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 2, Map.of());
        String flaky = world.send(url, "flaky", Map.of());
        Worker worker = world.start(Worker.builder().handlers(new ScriptedHandler(world.time)));
        world.settle(); // failed once; its retry waits 100 ms of virtual time

        world.settle();
        var stopped = worker.stopAsync(Duration.ofSeconds(5));
        world.runUntil(stopped::isDone, Duration.ofMillis(10), Duration.ofSeconds(10));

        assertThat(of(WorkerEvent.Released.class, flaky)).singleElement()
                .satisfies(released -> assertThat(released.reason()).isEqualTo(ReleaseReason.STOPPING));
    }

    @Test
    void withoutADeadLetterQueueAnExhaustedMessageIsLeftAndTheEventSaysWhy() {
        String url = world.sqs.createQueue(b -> b.queueName("orders")).join().queueUrl();
        String bad = world.send(url, "bad", Map.of());
        world.start(Worker.builder().handlers(new ScriptedHandler(world.time))
                .config(WorkerConfig.builder().retry(RetryPolicy.builder().maxAttempts(1).build()).build()));

        world.runUntil(() -> !world.events.of(WorkerEvent.Left.class).isEmpty(), Duration.ofMillis(100),
                Duration.ofSeconds(10));

        assertThat(of(WorkerEvent.Left.class, bad)).first().satisfies(left -> {
            assertThat(left.reason()).contains("no dead-letter queue is known");
            assertThat(left.cause()).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void failedReceivesAndDeadLetterSendsArePublished() {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 1, Map.of());
        FaultyTransport faulty = new FaultyTransport(world.sqs);
        faulty.failReceives.set(2);
        faulty.failSends.set(3);
        String bad = world.send(url, "bad", Map.of());
        world.start(Worker.builder().handlers(new ScriptedHandler(world.time)), faulty);

        world.runUntil(() -> !world.events.of(WorkerEvent.DeadLetterFailed.class).isEmpty(), Duration.ofMillis(50),
                Duration.ofSeconds(30));

        assertThat(world.events.of(WorkerEvent.ReceiveFailed.class)).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(failed -> assertThat(failed.queue()).isEqualTo("orders"));
        assertThat(of(WorkerEvent.DeadLetterFailed.class, bad)).singleElement()
                .satisfies(failed -> assertThat(failed.deadLetterQueue()).isEqualTo("orders-dlq"));
        assertThat(of(WorkerEvent.Left.class, bad)).singleElement()
                .satisfies(left -> assertThat(left.reason()).contains("dead-letter queue failed"));
    }
}
