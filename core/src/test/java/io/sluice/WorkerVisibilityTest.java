package io.sluice;

import static io.sluice.testutil.TestMessages.message;
import static io.sluice.testutil.TestMessages.messages;
import static io.sluice.testutil.TestMessages.receiptHandleOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.MessageId;
import io.sluice.annotations.SqsHandler;
import io.sluice.internal.policy.HandlerTimeoutException;
import io.sluice.testutil.VirtualStop;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.testutil.RecordingListener;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/** The visibility heartbeat and the maximum processing time, on virtual time. */
class WorkerVisibilityTest {

    private final FakeSqsTransport transport = new FakeSqsTransport();
    private final VirtualTime time = new VirtualTime();
    private final RecordingListener listener = new RecordingListener();
    private final List<Worker> workers = new ArrayList<>();

    @AfterEach
    void stopWorkers() {
        workers.forEach(worker -> VirtualStop.stop(worker, time, Duration.ofSeconds(1)));
    }

    /** Each call returns a stage that the test completes. */
    static class SlowHandler {
        final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

        @SqsHandler(queue = "orders", concurrency = 20)
        public CompletableFuture<Void> handle(String body, @MessageId String id) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            running.put(id, done);
            return done;
        }
    }

    private Worker start(WorkerConfig config, Object handler) {
        Worker worker = Worker.builder().transport(transport).handlers(handler).config(config).scheduler(time)
                .executor(Runnable::run).listener(listener).build();
        workers.add(worker);
        return worker.start();
    }

    @Test
    void extendsEveryRunningMessageBeforeItsVisibilityRunsOutInBatchesAndStopsWhenItSettles() {
        transport.withRedrive("orders", "orders-dlq", 3, 30);
        SlowHandler handler = new SlowHandler();
        start(WorkerConfig.defaults(), handler);
        transport.addMessages(messages(12));
        assertThat(handler.running).hasSize(12);

        time.advance(Duration.ofSeconds(15));
        assertThat(transport.visibilityRequests()).as("15 s of 30 left: nothing due yet").isEmpty();
        time.advance(Duration.ofSeconds(6)); // a third (10 s) or less is left at the tick at 20 s
        assertThat(transport.visibilityRequests()).extracting(request -> request.entries().size())
                .containsExactly(10, 2);
        assertThat(transport.visibilityChanges()).extracting(ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout)
                .containsOnly(30);

        handler.running.get("m1").complete(null);
        time.advance(WorkerConfig.DEFAULT_DELETE_FLUSH_INTERVAL);
        assertThat(transport.deletedReceiptHandles()).containsExactly(receiptHandleOf("m1"));
        time.advance(Duration.ofMinutes(2));
        long m1Extensions = transport.visibilityChanges().stream()
                .filter(entry -> entry.receiptHandle().equals(receiptHandleOf("m1"))).count();
        long m2Extensions = transport.visibilityChanges().stream()
                .filter(entry -> entry.receiptHandle().equals(receiptHandleOf("m2"))).count();
        assertThat(m1Extensions).as("never touched after its delete").isEqualTo(1);
        assertThat(m2Extensions).as("still running: kept invisible").isGreaterThanOrEqualTo(5);
        handler.running.values().forEach(done -> done.complete(null));
    }

    @Test
    void aDeleteWaitsForAnExtensionAlreadyInFlight() {
        transport.withRedrive("orders", "orders-dlq", 3, 30);
        CompletableFuture<ChangeMessageVisibilityBatchResponse> extension = new CompletableFuture<>();
        transport.onChangeVisibility(request -> extension);
        SlowHandler handler = new SlowHandler();
        start(WorkerConfig.defaults(), handler);
        transport.addMessages(message("m1", "{}"));
        time.advance(Duration.ofSeconds(21));
        assertThat(transport.visibilityRequests()).hasSize(1);

        handler.running.get("m1").complete(null);
        time.advance(Duration.ofSeconds(1));
        assertThat(transport.deleteRequests()).as("the extension has not settled").isEmpty();

        FakeSqsTransport.allChanged(transport.visibilityRequests().get(0)).thenAccept(extension::complete);
        time.advance(Duration.ofSeconds(1));
        assertThat(transport.deletedReceiptHandles()).containsExactly(receiptHandleOf("m1"));
    }

    @Test
    void neverExtendsBeyondTwelveHoursSinceTheFirstReceive() {
        transport.withRedrive("orders", "orders-dlq", 3, 30);
        SlowHandler handler = new SlowHandler();
        start(WorkerConfig.defaults(), handler);
        long firstReceive = time.now().minus(Duration.ofHours(12)).plusSeconds(40).toEpochMilli();
        transport.addMessages(message("m1", "{}").toBuilder().attributesWithStrings(Map.of(
                "ApproximateReceiveCount", "2", "ApproximateFirstReceiveTimestamp", Long.toString(firstReceive)))
                .build());

        time.advance(Duration.ofMinutes(5));

        assertThat(transport.visibilityChanges()).extracting(ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout)
                .as("20 s were left of the 12 hours at the first extension, none after")
                .containsExactly(20);
        handler.running.get("m1").complete(null);
    }

    @Test
    void anAsynchronousHandlerOverItsMaxProcessingTimeIsCancelledAndItsMessageComesBackLater() {
        transport.withRedrive("orders", "orders-dlq", 3, 30);
        SlowHandler handler = new SlowHandler();
        start(WorkerConfig.builder().queue("orders", QueueConfig.builder().maxProcessingTime(Duration.ofSeconds(10))
                .build()).build(), handler);
        transport.addMessages(message("m1", "{}"));

        time.advance(Duration.ofSeconds(10));

        assertThat(handler.running.get("m1")).isCancelled();
        assertThat(listener.failures.get("m1")).isInstanceOf(HandlerTimeoutException.class)
                .hasMessageContaining("maximum processing time of 10s");
        assertThat(listener.retried).as("a timeout is not retried in process").isEmpty();
        assertThat(transport.visibilityChanges()).singleElement()
                .satisfies(entry -> assertThat(entry.visibilityTimeout()).isBetween(2, 5));
        assertThat(transport.deleteRequests()).isEmpty();
    }

    @Test
    void aBlockingHandlerOverItsMaxProcessingTimeIsInterrupted() throws Exception {
        transport.withRedrive("orders", "orders-dlq", 3, 30);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicBoolean finishedNormally = new AtomicBoolean();
        Object handler = new Object() {
            @SqsHandler(queue = "orders", maxProcessingTimeSeconds = 5)
            public void handle(String body) {
                started.countDown();
                try {
                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                    finishedNormally.set(true);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
        };
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Worker worker = Worker.builder().transport(transport).handlers(handler).scheduler(time).executor(executor)
                    .listener(listener).build();
            workers.add(worker);
            worker.start();
            transport.addMessages(message("m1", "{}"));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            time.advance(Duration.ofSeconds(5));

            assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(finishedNormally).isFalse();
            assertThat(listener.failures.get("m1")).isInstanceOf(HandlerTimeoutException.class);
            assertThat(transport.deleteRequests()).isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aHandlerDeafToInterruptsKeepsItsSlotUntilItReturnsSoTheConcurrencyHolds() throws Exception {
        transport.withRedrive("orders", "orders-dlq", 3, 30);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch secondHandled = new CountDownLatch(1);
        Object handler = new Object() {
            @SqsHandler(queue = "orders", concurrency = 1, maxProcessingTimeSeconds = 5)
            public void handle(String body) {
                if (body.equals("second")) {
                    secondHandled.countDown();
                    return;
                }
                started.countDown();
                boolean waited = false;
                while (!waited) {
                    try {
                        waited = stuck.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException ignored) {
                        // deaf to the cancellation
                    }
                }
            }
        };
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            Worker worker = Worker.builder().transport(transport).handlers(handler).scheduler(time).executor(executor)
                    .listener(listener).build();
            workers.add(worker);
            worker.start();
            transport.addMessages(message("m1", "first"), message("m2", "second"));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            time.advance(Duration.ofSeconds(5));

            assertThat(listener.failures.get("m1")).isInstanceOf(HandlerTimeoutException.class);
            assertThat(transport.visibilityChanges()).as("its message is released at once")
                    .extracting(ChangeMessageVisibilityBatchRequestEntry::receiptHandle)
                    .containsExactly(receiptHandleOf("m1"));
            assertThat(transport.waitingMessages()).as("but its slot is not: m2 is not received beside it")
                    .isEqualTo(1);

            stuck.countDown(); // the deaf handler returns at last
            assertThat(secondHandled.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(transport.waitingMessages()).isZero();
        } finally {
            stuck.countDown();
            executor.shutdownNow();
        }
    }
}
