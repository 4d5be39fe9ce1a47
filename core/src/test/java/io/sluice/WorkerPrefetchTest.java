package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.MessageId;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.time.VirtualTime;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/** {@code prefetch}: messages held ahead of the handler slots, on virtual time. */
class WorkerPrefetchTest {

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 21);

    @AfterEach
    void close() {
        world.close();
    }

    /** Calls that end only when the test says so; counts the most running at once. */
    static final class Held {
        final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        @SqsHandler(queue = "orders", concurrency = 10, prefetch = 10)
        public CompletableFuture<Void> handle(String body, @MessageId String id) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            running.put(id, done);
            mostAtOnce.accumulateAndGet(running.size(), Math::max);
            return done;
        }

        /** Ends one call (out of the running ones first: its end starts the next call inline). */
        void finishOne() {
            String id = running.keySet().iterator().next();
            running.remove(id).complete(null);
        }
    }

    /** A handler that takes 20 ms of virtual time per message. */
    static final class Timed {
        final VirtualTime time;
        final AtomicInteger handled = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        Timed(VirtualTime time) {
            this.time = time;
        }

        @SqsHandler(queue = "orders", concurrency = 10)
        public CompletableFuture<Void> handle(String body) {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            CompletableFuture<Void> done = new CompletableFuture<>();
            time.schedule(Duration.ofMillis(20), () -> {
                running.decrementAndGet();
                handled.incrementAndGet();
                done.complete(null);
            });
            return done;
        }
    }

    /** Every receive answers 10 ms (virtual) after the queue did: a round trip to SQS. */
    static final class RoundTrip extends ForwardingSqsTransport {
        final VirtualTime time;

        RoundTrip(SqsTransport delegate, VirtualTime time) {
            super(delegate);
            this.time = time;
        }

        @Override
        public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
            return super.receiveMessage(request).thenCompose(response -> {
                CompletableFuture<ReceiveMessageResponse> later = new CompletableFuture<>();
                time.schedule(Duration.ofMillis(10), () -> later.complete(response));
                return later;
            });
        }
    }

    private String backlog(int count) {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        world.sendNumbered(url, count);
        return url;
    }

    private int visible(String url) {
        return Integer.parseInt(world.join(world.sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNamesWithStrings("ApproximateNumberOfMessages"))).attributesAsStrings()
                .get("ApproximateNumberOfMessages"));
    }

    @Test
    void prefetchedMessagesWaitHeldWhileNoMoreThanTheConcurrencyRunAndAFreedSlotStartsOneAtOnce() {
        backlog(100);
        Held held = new Held();
        Worker worker = world.start(Worker.builder().handlers(held));

        assertThat(held.running).as("the concurrency runs").hasSize(10);
        assertThat(worker.health().queues().get(0).inFlight()).as("and as many more are held, waiting").isEqualTo(20);

        held.finishOne();
        world.settle();
        assertThat(held.running).as("the freed slot started a held message without a receive in between")
                .hasSize(10);
        for (int i = 0; i < 50; i++) {
            held.finishOne();
            world.settle();
        }
        assertThat(held.mostAtOnce.get()).as("never more than the concurrency at once").isEqualTo(10);
        assertThat(worker.health().queues().get(0).inFlight()).isLessThanOrEqualTo(20);
    }

    @Test
    void aStopReleasesThePrefetchedMessagesAtOnceWhileTheRunningOnesFinish() {
        String url = backlog(30);
        Held held = new Held();
        Worker worker = world.start(Worker.builder().handlers(held));
        assertThat(visible(url)).isEqualTo(10);

        CompletableFuture<Boolean> stopped = worker.stopAsync(Duration.ofSeconds(30));
        world.runUntil(() -> visible(url) == 20, Duration.ofMillis(10), Duration.ofSeconds(1));
        assertThat(visible(url)).as("the ten prefetched are visible again at once, not after their timeout")
                .isEqualTo(20);
        assertThat(held.running).as("the running ones go on").hasSize(10);
        assertThat(world.events.events).filteredOn(WorkerEvent.Released.class::isInstance).hasSize(10);

        while (!held.running.isEmpty()) {
            held.finishOne();
        }
        world.runUntil(stopped::isDone, Duration.ofMillis(10), Duration.ofSeconds(5));
        assertThat(stopped).isCompletedWithValue(true);
        assertThat(world.events.deleted).hasSize(10);
    }

    @Test
    void aFreedSlotNoLongerWaitsAReceiveRoundTrip() {
        int withoutPrefetch = drainFor(0);
        int withPrefetch = drainFor(10);

        int ideal = 10 * 10_000 / 20; // 10 slots, 20 ms a message, 10 s
        assertThat(withPrefetch).as("with prefetch: at least 90%% of the ideal %d", ideal)
                .isGreaterThanOrEqualTo(ideal * 9 / 10);
        assertThat(withoutPrefetch).as("without, every slot waits a 10 ms round trip after each message")
                .isLessThan(ideal * 8 / 10);
    }

    /** Handles for 10 s of virtual time with a 10 ms receive round trip; returns how many were handled. */
    private int drainFor(int prefetch) {
        try (InMemoryWorld run = new InMemoryWorld(Threads.INLINE, 5)) {
            String url = run.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
            run.sendNumbered(url, 8_000);
            Timed timed = new Timed(run.time);
            RoundTrip roundTrip = new RoundTrip(run.sqs, run.time);
            QueueConfig.Builder queue = QueueConfig.builder();
            if (prefetch > 0) {
                queue.prefetch(prefetch);
            }
            run.start(Worker.builder().handlers(timed).config(WorkerConfig.builder()
                    .queue("orders", queue.build()).build()), roundTrip);
            run.runUntil(() -> false, Duration.ofMillis(1), Duration.ofSeconds(10));
            assertThat(timed.mostAtOnce.get()).as("prefetch %d: never more than the concurrency", prefetch)
                    .isLessThanOrEqualTo(10);
            return timed.handled.get();
        }
    }

}
