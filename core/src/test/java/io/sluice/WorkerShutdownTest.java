package io.sluice;

import static io.sluice.testutil.TestMessages.messages;
import static io.sluice.testutil.TestMessages.receiptHandleOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.MessageId;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.VirtualStop;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.testutil.ManualExecutor;
import io.sluice.testutil.RecordingListener;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;

/** stop(): nothing this worker received stays invisible, and nothing is lost. */
class WorkerShutdownTest {

    private final FakeSqsTransport transport = new FakeSqsTransport().withRedrive("orders", "orders-dlq", 3, 30);
    private final VirtualTime time = new VirtualTime();
    private final RecordingListener listener = new RecordingListener();

    static class AsyncHandler {
        final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

        @SqsHandler(queue = "orders", concurrency = 5)
        public CompletableFuture<Void> handle(String body, @MessageId String id) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            running.put(id, done);
            return done;
        }
    }

    @Test
    void stopReleasesReceivedButUnstartedMessagesAndHandlersStillRunningAtTheTimeout() {
        AsyncHandler handler = new AsyncHandler();
        ManualExecutor executor = new ManualExecutor();
        Worker worker = Worker.builder().transport(transport).handlers(handler).scheduler(time).executor(executor)
                .listener(listener).build().start();
        transport.addMessages(messages(5));
        executor.runNext(); // m1 starts
        executor.runNext(); // m2 starts
        handler.running.get("m1").complete(null);
        assertThat(executor.queued()).as("m3..m5 received, not started").isEqualTo(3);

        // Nobody runs the executor any more (a saturated pool): m3..m5 never start; m2 never finishes.
        boolean clean = VirtualStop.stop(worker, time, Duration.ofMillis(200));

        assertThat(clean).as("m2 did not finish in time").isFalse();
        assertThat(handler.running).as("nothing started after stop").containsOnlyKeys("m1", "m2");
        assertThat(handler.running.get("m2")).as("cancelled at the timeout").isCancelled();
        assertThat(transport.deletedReceiptHandles()).containsExactly(receiptHandleOf("m1"));
        assertThat(transport.visibilityChanges()).filteredOn(entry -> entry.visibilityTimeout() == 0)
                .extracting(ChangeMessageVisibilityBatchRequestEntry::receiptHandle)
                .containsExactlyInAnyOrder(receiptHandleOf("m2"), receiptHandleOf("m3"), receiptHandleOf("m4"),
                        receiptHandleOf("m5"));
        assertThat(listener.failed).as("releases are not failures").isEmpty();
        assertThat(worker.inFlight()).isZero();
        executor.runAll();
        assertThat(handler.running).as("a release is final: a late executor starts nothing").hasSize(2);
    }

    @Test
    void whileStopWaitsForARunningHandlerTheHeartbeatKeepsItsMessageInvisible() throws Exception {
        AsyncHandler handler = new AsyncHandler();
        Worker worker = Worker.builder().transport(transport).handlers(handler).scheduler(time)
                .executor(Runnable::run).listener(listener).build().start();
        transport.addMessages(messages(1));
        // The stop's timeout is on the worker's clock: longer than the slow work below.
        CompletableFuture<Boolean> stopped = worker.stopAsync(Duration.ofMinutes(5));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !worker.isRunning());

        time.advance(Duration.ofMinutes(2)); // four visibility timeouts of slow work during the stop

        assertThat(transport.visibilityChanges()).extracting(ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout)
                .hasSizeGreaterThanOrEqualTo(4).containsOnly(30);
        handler.running.get("m1").complete(null);
        assertThat(stopped.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(transport.deletedReceiptHandles()).containsExactly(receiptHandleOf("m1"));
    }
    @Test
    void aStopWaitsForTheDeleteOfAMessageWhoseHeartbeatExtensionIsStillInFlight() throws Exception {
        CompletableFuture<Void> extensionAnswered = new CompletableFuture<>();
        java.util.List<ChangeMessageVisibilityBatchRequest> extensions = new java.util.concurrent.CopyOnWriteArrayList<>();
        transport.onChangeVisibility(request -> {
            extensions.add(request);
            return extensionAnswered.thenCompose(ignored -> FakeSqsTransport.allChanged(request));
        });
        AsyncHandler handler = new AsyncHandler();
        Worker worker = Worker.builder().transport(transport).handlers(handler).scheduler(time)
                .executor(Runnable::run).listener(listener).build().start();
        transport.addMessages(messages(1));
        time.advance(Duration.ofSeconds(30));
        assertThat(extensions).as("the heartbeat is extending m1").isNotEmpty();

        // Handled while its extension is unanswered: the delete must wait for the answer (an extension landing after
        // a delete would fail on the stale handle, or worse, after a release would hide the message again).
        handler.running.get("m1").complete(null);
        CompletableFuture<Boolean> stopped = worker.stopAsync(Duration.ofSeconds(30));
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> !stopped.isDone());
        extensionAnswered.complete(null);

        assertThat(stopped.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(transport.deletedReceiptHandles()).as("flushed by the stop, not left in a buffer")
                .containsExactly(receiptHandleOf("m1"));
    }
    static class FailsOnce {
        final Map<String, Integer> calls = new ConcurrentHashMap<>();

        @SqsHandler(queue = "orders")
        public void handle(String body, @MessageId String id) {
            if (calls.merge(id, 1, Integer::sum) == 1) {
                throw new IllegalStateException("downstream hiccup");
            }
        }
    }

    @Test
    void stopReleasesADeliveryWaitingForAnInProcessRetryAtOnce() {
        FailsOnce handler = new FailsOnce();
        Worker worker = Worker.builder().transport(transport).handlers(handler).scheduler(time)
                .executor(Runnable::run).listener(listener).build().start();
        transport.addMessages(messages(1));
        assertThat(handler.calls).as("failed once; the retry waits 200 ms of virtual time, which never pass")
                .containsEntry("m1", 1);

        // Before the fix the stop waited for the retry's timer, so it ran out its whole timeout and reported failure.
        boolean clean = VirtualStop.stop(worker, time, Duration.ofSeconds(5));

        assertThat(clean).as("nothing was running: the waiting delivery is released at once").isTrue();
        assertThat(handler.calls).as("not retried after stop").containsEntry("m1", 1);
        assertThat(transport.visibilityChanges()).filteredOn(entry -> entry.visibilityTimeout() == 0)
                .extracting(ChangeMessageVisibilityBatchRequestEntry::receiptHandle)
                .containsExactly(receiptHandleOf("m1"));
        assertThat(transport.deleteRequests()).isEmpty();
        time.advance(Duration.ofSeconds(1));
        assertThat(handler.calls).as("the retry's timer, firing late, starts nothing").containsEntry("m1", 1);
    }
}
