package io.sluice;

import static io.sluice.testutil.TestMessages.message;
import static io.sluice.testutil.TestMessages.messages;
import static io.sluice.testutil.TestMessages.receiptHandleOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.annotations.MessageId;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.VirtualStop;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.testutil.FakeSqsTransport.Receive;
import io.sluice.testutil.ManualExecutor;
import io.sluice.testutil.RecordingListener;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;

/**
 * Back-pressure through the whole worker: pollers, permits, dispatcher and a real handler. The handler is asynchronous
 * and "runs" until the test completes the future it returned, so the test decides when each handler ends.
 */
class WorkerBackPressureTest {

    private static final String QUEUE = "orders";

    private final FakeSqsTransport transport = new FakeSqsTransport().withQueue(QUEUE);
    private final VirtualTime time = new VirtualTime();
    private final RecordingListener listener = new RecordingListener();
    private final SlowHandler handler = new SlowHandler();
    private Worker worker;

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            handler.finishAll();
            VirtualStop.stop(worker, time, Duration.ofSeconds(1));
        }
    }

    static class SlowHandler {
        final Deque<CompletableFuture<Void>> running = new ArrayDeque<>();
        final List<String> started = new ArrayList<>();
        int maxRunning;

        @SqsHandler(queue = QUEUE)
        public synchronized CompletableFuture<Void> handle(@MessageId String id, String body) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            running.add(done);
            started.add(id);
            maxRunning = Math.max(maxRunning, running.size());
            return done;
        }

        synchronized int running() {
            return running.size();
        }

        void finishOldest() {
            CompletableFuture<Void> oldest;
            synchronized (this) {
                oldest = running.poll();
            }
            oldest.complete(null);
        }

        void finishAll() {
            while (running() > 0) {
                finishOldest();
            }
        }
    }

    /**
     * A poller waiting for a full batch of slots takes a partial one only after free slots sat unused for two of its
     * 100 ms batch windows with nothing else coming back: let that virtual time pass.
     */
    private void letThePollerTakeAPartialBatch() {
        time.advance(Duration.ofMillis(200));
    }

    private Worker start(int concurrency, int pollers, Executor executor) {
        worker = Worker.builder()
                .transport(transport)
                .handlers(handler)
                .config(WorkerConfig.builder()
                        .queue(QUEUE, QueueConfig.builder().concurrency(concurrency).pollers(pollers).build())
                        .build())
                .scheduler(time)
                .executor(executor)
                .listener(listener)
                .build();
        return worker.start();
    }

    @Test
    void handlersRunningNeverExceedConcurrencyWhenTheQueueHasManyMessages() {
        int concurrency = 4;
        List<Integer> asked = new ArrayList<>();
        transport.onReceive(request -> {
            int promised = transport.openReceives().stream().mapToInt(Receive::maxNumberOfMessages).sum();
            assertThat(handler.running() + promised + request.maxNumberOfMessages())
                    .as("running handlers + messages open receives may return + this receive")
                    .isLessThanOrEqualTo(concurrency);
            asked.add(request.maxNumberOfMessages());
        });
        transport.addMessages(messages(60));

        start(concurrency, 2, Runnable::run);
        assertThat(handler.running()).isEqualTo(concurrency);
        assertThat(worker.inFlight()).isEqualTo(concurrency);
        assertThat(transport.waitingMessages()).as("the rest stay in the queue").isEqualTo(60 - concurrency);

        while (handler.running() > 0) {
            assertThat(handler.running()).isLessThanOrEqualTo(concurrency);
            handler.finishOldest();
        }
        time.advance(WorkerConfig.DEFAULT_DELETE_FLUSH_INTERVAL);

        assertThat(handler.started).hasSize(60).doesNotHaveDuplicates();
        assertThat(handler.maxRunning).isEqualTo(concurrency);
        assertThat(asked).allSatisfy(max -> assertThat(max).isBetween(1, concurrency));
        assertThat(transport.deletedReceiptHandles()).hasSize(60).doesNotHaveDuplicates();
        assertThat(listener.deleted).hasSize(60);
    }

    @Test
    void stopsReceivingWhileEverySlotIsBusyAndResumesWhenOneFrees() {
        transport.addMessages(messages(10));
        start(3, 1, Runnable::run);
        int receives = transport.receives().size();
        assertThat(handler.running()).isEqualTo(3);
        assertThat(transport.openReceives()).as("no receive while all slots are busy").isEmpty();

        handler.finishOldest();
        letThePollerTakeAPartialBatch();

        assertThat(transport.receives()).hasSize(receives + 1);
        assertThat(transport.lastReceive().maxNumberOfMessages()).isEqualTo(1);
        assertThat(handler.running()).isEqualTo(3);
    }

    @Test
    void slotIsHeldUntilTheHandlerRunsOnTheExecutor() {
        ManualExecutor executor = new ManualExecutor();
        transport.addMessages(messages(5));

        start(2, 1, executor);

        assertThat(executor.queued()).as("received, waiting for a handler thread").isEqualTo(2);
        assertThat(transport.openReceives()).as("queued messages hold their slots").isEmpty();
        assertThat(worker.inFlight()).isEqualTo(2);
        executor.runAll();
        assertThat(handler.running()).isEqualTo(2);
        handler.finishOldest();
        letThePollerTakeAPartialBatch();
        assertThat(executor.queued()).isEqualTo(1);
        assertThat(handler.running()).isEqualTo(1);

        while (executor.runAll() > 0 || handler.running() > 0) {
            assertThat(handler.running() + executor.queued()).isLessThanOrEqualTo(2);
            handler.finishOldest();
            letThePollerTakeAPartialBatch();
        }
        assertThat(handler.started).containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void stopCancelsTheOpenReceiveAndWaitsForRunningHandlers() {
        transport.addMessages(messages(2));
        start(5, 1, Runnable::run);
        letThePollerTakeAPartialBatch(); // two of five slots busy: the next receive asks for the three free ones
        Receive open = transport.lastReceive();
        assertThat(open.isOpen()).isTrue();
        CompletableFuture<Boolean> stopping = worker.stopAsync(Duration.ofSeconds(10));

        await().atMost(Duration.ofSeconds(5)).until(open::isCancelled);
        assertThat(stopping).as("two handlers still run").isNotDone();
        handler.finishAll();

        assertThat(stopping.join()).isTrue();
        assertThat(transport.deletedReceiptHandles()).containsExactlyInAnyOrder(receiptHandleOf("m1"),
                receiptHandleOf("m2"));
        assertThat(transport.visibilityRequests()).isEmpty();
    }

    @Test
    void messagesReturnedAfterStopAreMadeVisibleAgainAtOnce() {
        transport.receivesIgnoreCancel(true);
        start(5, 1, Runnable::run);
        Receive open = transport.lastReceive();
        CompletableFuture<Boolean> stopping = worker.stopAsync(Duration.ofSeconds(10));
        time.advance(Duration.ofMillis(250)); // the receive grace, on the worker's clock
        await().atMost(Duration.ofSeconds(5)).until(open::cancelAttempted);

        open.respond(message("late-1", "{}"), message("late-2", "{}"));

        assertThat(stopping.join()).as("the late messages' slots came back").isTrue();
        assertThat(handler.started).as("nothing is handled after stop").isEmpty();
        assertThat(transport.deleteRequests()).isEmpty();
        List<ChangeMessageVisibilityBatchRequestEntry> released = transport.visibilityRequests().stream()
                .peek(request -> assertThat(request.queueUrl()).isEqualTo(FakeSqsTransport.urlOf(QUEUE)))
                .flatMap(request -> request.entries().stream()).toList();
        assertThat(released).extracting(ChangeMessageVisibilityBatchRequestEntry::receiptHandle)
                .as("released once each; the stop's flush and the late release may race, so in any order")
                .containsExactlyInAnyOrder(receiptHandleOf("late-1"), receiptHandleOf("late-2"));
        assertThat(released).extracting(ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout)
                .containsOnly(0);
    }
}
