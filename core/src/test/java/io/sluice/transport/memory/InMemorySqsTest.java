package io.sluice.transport.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.Delivery;
import io.sluice.Worker;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import io.sluice.annotations.SqsHandler;
import io.sluice.time.SystemScheduler;
import io.sluice.time.Scheduler;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * What the conformance suite (in the testing module) cannot see through the SPI of every transport: threading,
 * cancellation, closing, the system clock, inspection and the builder. The SQS behaviour itself is covered there.
 */
class InMemorySqsTest {

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    private InMemorySqs sqs(Scheduler scheduler) {
        InMemorySqs sqs = InMemorySqs.builder().scheduler(scheduler).build();
        cleanup.add(sqs);
        return sqs;
    }

    private static String send(InMemorySqs sqs, String url, String body) {
        return sqs.sendMessageBatch(b -> b.queueUrl(url).entries(SendMessageBatchRequestEntry.builder().id("m")
                .messageBody(body).build())).join().successful().get(0).messageId();
    }

    @Test
    void concurrentProducersAndConsumersNeitherLoseNorDuplicateMessages() throws Exception {
        InMemorySqs sqs = sqs(new VirtualTime());
        String url = sqs.createQueue(b -> b.queueName("busy").attributesWithStrings(Map.of("VisibilityTimeout", "600")))
                .join().queueUrl();
        int perProducer = 20_000;
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i += 10) {
                        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                        for (int j = 0; j < 10; j++) {
                            entries.add(SendMessageBatchRequestEntry.builder().id("e" + j).messageBody("m").build());
                        }
                        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).join().successful()
                                .forEach(ok -> sent.add(ok.messageId()));
                    }
                }));
            }
            for (int c = 0; c < 2; c++) {
                work.add(pool.submit(() -> {
                    while (received.size() < 2 * perProducer) {
                        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10))
                                .join().messages();
                        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
                        for (Message message : messages) {
                            if (!received.add(message.messageId())) {
                                duplicates.incrementAndGet();
                            }
                            deletes.add(DeleteMessageBatchRequestEntry.builder().id("d" + deletes.size())
                                    .receiptHandle(message.receiptHandle()).build());
                        }
                        if (!deletes.isEmpty()) {
                            assertThat(sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes)).join().failed())
                                    .isEmpty();
                        }
                    }
                }));
            }
            for (Future<?> future : work) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(received).isEqualTo(sent).hasSize(2 * perProducer);
        assertThat(duplicates).hasValue(0);
        assertThat(sqs.messages("busy")).isEmpty();
    }

    @Test
    void workerOnTheSystemClockHandlesAndDeletesEveryMessage() {
        InMemorySqs sqs = InMemorySqs.create();
        cleanup.add(sqs);
        String url = sqs.createQueue(b -> b.queueName("local-broker")).join().queueUrl();
        for (int i = 0; i < 1000; i += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int j = 0; j < 10; j++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + j).messageBody("{\"n\":" + (i + j) + "}")
                        .build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).join();
        }
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        Object handler = new Object() {
            @SqsHandler(queue = "local-broker")
            public void handle(Map<String, Integer> body) {
            }
        };
        Worker worker = Worker.builder().transport(sqs).handlers(handler).listener(WorkerListener.on(WorkerEvent.Deleted.class,
                done -> deleted.add(done.delivery().messageId()))).build().start();
        cleanup.add(0, () -> worker.stop(Duration.ofSeconds(5)));

        await().atMost(Duration.ofSeconds(20)).until(() -> deleted.size() == 1000);
        assertThat(sqs.messages("local-broker")).isEmpty();
    }

    @Test
    void cancelledLongPollDoesNotSwallowTheNextMessage() {
        VirtualTime time = new VirtualTime();
        InMemorySqs sqs = sqs(time);
        String url = sqs.createQueue(b -> b.queueName("cancel")).join().queueUrl();
        CompletableFuture<ReceiveMessageResponse> abandoned = sqs.receiveMessage(b -> b.queueUrl(url)
                .waitTimeSeconds(20));
        abandoned.cancel(true);
        String id = send(sqs, url, "kept");
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).join().messages())
                .singleElement().extracting(Message::messageId).isEqualTo(id);
    }

    @Test
    void longPollsAreServedInArrivalOrderOneMessageEach() {
        InMemorySqs sqs = sqs(new VirtualTime());
        String url = sqs.createQueue(b -> b.queueName("fair")).join().queueUrl();
        CompletableFuture<ReceiveMessageResponse> first = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20));
        CompletableFuture<ReceiveMessageResponse> second = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20));
        send(sqs, url, "one");
        assertThat(first).isCompleted();
        assertThat(second).isNotDone();
        send(sqs, url, "two");
        assertThat(second.join().messages()).extracting(Message::body).containsExactly("two");
    }

    @Test
    void closeEndsOpenLongPollsWithNoMessagesAndRejectsLaterCalls() {
        InMemorySqs sqs = sqs(new VirtualTime());
        String url = sqs.createQueue(b -> b.queueName("closing")).join().queueUrl();
        CompletableFuture<ReceiveMessageResponse> poll = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20));
        sqs.close();
        assertThat(poll.join().messages()).isEmpty();
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url))).isCompletedExceptionally();
    }

    @Test
    void onTheSystemClockALongPollWakesWhenAVisibilityTimeoutEnds() throws Exception {
        SystemScheduler scheduler = Scheduler.system();
        cleanup.add(scheduler);
        InMemorySqs sqs = sqs(scheduler);
        String url = sqs.createQueue(b -> b.queueName("real")).join().queueUrl();
        send(sqs, url, "back");
        long received = System.nanoTime(); // before the receive: its visibility of 1 s runs from inside it
        sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(1)).join();
        ReceiveMessageResponse response = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(10))
                .get(8, TimeUnit.SECONDS);
        assertThat(response.messages()).extracting(Message::body).containsExactly("back");
        // Woken by the timeout's end (1 s), well before the 10 s wait ends; the upper bound leaves a starved machine room.
        assertThat(Duration.ofNanos(System.nanoTime() - received)).isBetween(Duration.ofMillis(900),
                Duration.ofSeconds(8));
    }

    @Test
    void longPollReturnsToTheCallerAtOnceAndEndsWhenTheWaitEnds() {
        VirtualTime time = new VirtualTime();
        InMemorySqs sqs = sqs(time);
        String url = sqs.createQueue(b -> b.queueName("async")).join().queueUrl();
        CompletableFuture<ReceiveMessageResponse> poll = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5));
        assertThat(poll).isNotDone();
        time.advance(Duration.ofMillis(4999));
        assertThat(poll).isNotDone();
        time.advance(Duration.ofMillis(1));
        assertThat(poll.join().messages()).isEmpty();
    }

    @Test
    void messagesShowsWhatAQueueHoldsWithoutReceivingIt() {
        InMemorySqs sqs = sqs(new VirtualTime());
        String url = sqs.createQueue(b -> b.queueName("peek")).join().queueUrl();
        send(sqs, url, "first");
        send(sqs, url, "second");
        assertThat(sqs.messages("peek")).extracting(Message::body).containsExactly("first", "second");
        assertThat(sqs.messages("peek")).allSatisfy(message ->
                assertThat(message.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "0"));
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).join().messages()).hasSize(2);
    }

    @Test
    void aDeleteWithAnEarlierReceivesHandleSucceedsAndLeavesTheMessageToItsLatestReceive() {
        // SQS: "If you use an old ReceiptHandle, the request will succeed, but the message might not be deleted": the
        // in-memory transport never deletes with it, so a test sees the message come back as it may on SQS.
        VirtualTime time = new VirtualTime();
        InMemorySqs sqs = sqs(time);
        String url = sqs.createQueue(b -> b.queueName("stale")).join().queueUrl();
        send(sqs, url, "kept");
        Message first = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(0)).join().messages().get(0);
        sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(30)).join();

        assertThat(sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(DeleteMessageBatchRequestEntry.builder()
                .id("old").receiptHandle(first.receiptHandle()).build())).join().failed()).isEmpty();

        assertThat(sqs.messages("stale")).extracting(Message::body).containsExactly("kept");
        time.advance(Duration.ofSeconds(30));
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).join().messages()).extracting(Message::body)
                .containsExactly("kept");
    }

    /** An executor that only queues its tasks: a test runs them when it chooses, or makes it reject them. */
    private static final class ManualExecutor implements Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean rejecting;

        @Override
        public void execute(Runnable task) {
            if (rejecting) {
                throw new RejectedExecutionException("rejecting, as a shut-down executor does");
            }
            tasks.add(task);
        }

        int runAll() {
            int ran = 0;
            for (Runnable task; (task = tasks.poll()) != null; ran++) {
                task.run();
            }
            return ran;
        }
    }

    @Test
    void withACompletionExecutorEveryFutureCompletesOnlyWhenTheExecutorRunsIt() {
        VirtualTime time = new VirtualTime();
        ManualExecutor executor = new ManualExecutor();
        InMemorySqs sqs = InMemorySqs.builder().scheduler(time).completionExecutor(executor).build();
        cleanup.add(sqs);

        CompletableFuture<CreateQueueResponse> created = sqs.createQueue(b -> b.queueName("handed-over"));
        assertThat(created).isNotDone();
        assertThat(executor.runAll()).isEqualTo(1);
        String url = created.join().queueUrl();

        CompletableFuture<ReceiveMessageResponse> served = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20));
        CompletableFuture<ReceiveMessageResponse> expiring = sqs.receiveMessage(b -> b.queueUrl(url)
                .waitTimeSeconds(5));
        CompletableFuture<SendMessageBatchResponse> sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("m").messageBody("one").build()));
        time.advance(Duration.ofSeconds(5));
        CompletableFuture<GetQueueUrlResponse> missing = sqs.getQueueUrl(b -> b.queueName("missing"));
        CompletableFuture<ReceiveMessageResponse> invalid = sqs.receiveMessage(b -> b.queueUrl(url)
                .maxNumberOfMessages(11));
        assertThat(List.of(served, expiring, sent, missing, invalid)).noneMatch(CompletableFuture::isDone);

        assertThat(executor.runAll()).isEqualTo(5);
        assertThat(served.join().messages()).extracting(Message::body).containsExactly("one");
        assertThat(expiring.join().messages()).isEmpty();
        assertThat(sent.join().successful()).hasSize(1);
        assertThat(missing).isCompletedExceptionally();
        assertThat(invalid).isCompletedExceptionally();
    }

    @Test
    void withACompletionExecutorContinuationsRunOnItsThread() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> new Thread(task, "sdk-like-completion"));
        try {
            InMemorySqs sqs = InMemorySqs.builder().scheduler(new VirtualTime()).completionExecutor(executor).build();
            cleanup.add(sqs);
            String url = sqs.createQueue(b -> b.queueName("threads")).join().queueUrl();
            send(sqs, url, "one");
            CountDownLatch gate = new CountDownLatch(1); // holds the executor until the continuation is attached
            executor.execute(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<String> receivedOn = sqs.receiveMessage(b -> b.queueUrl(url))
                    .thenApply(response -> Thread.currentThread().getName());
            gate.countDown();
            assertThat(receivedOn.get(10, TimeUnit.SECONDS)).isEqualTo("sdk-like-completion");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aReceiveCancelledBeforeTheExecutorCompletesItLeavesItsMessagesVisible() {
        VirtualTime time = new VirtualTime();
        ManualExecutor executor = new ManualExecutor();
        InMemorySqs sqs = InMemorySqs.builder().scheduler(time).completionExecutor(executor).build();
        cleanup.add(sqs);
        CompletableFuture<CreateQueueResponse> created = sqs.createQueue(b -> b.queueName("cancelled-on-the-way"));
        executor.runAll();
        String url = created.join().queueUrl();
        CompletableFuture<ReceiveMessageResponse> poll = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20));
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(SendMessageBatchRequestEntry.builder().id("m")
                .messageBody("kept").build()));

        assertThat(poll.cancel(true)).isTrue(); // the poll had taken the message; its completion was still queued
        executor.runAll();

        CompletableFuture<ReceiveMessageResponse> again = sqs.receiveMessage(b -> b.queueUrl(url));
        executor.runAll();
        assertThat(again.join().messages()).extracting(Message::body).containsExactly("kept");
    }

    @Test
    void aRejectedCompletionFailsTheReceiveAndLeavesItsMessagesVisible() {
        ManualExecutor executor = new ManualExecutor();
        InMemorySqs sqs = InMemorySqs.builder().scheduler(new VirtualTime()).completionExecutor(executor).build();
        cleanup.add(sqs);
        CompletableFuture<CreateQueueResponse> created = sqs.createQueue(b -> b.queueName("rejected"));
        executor.runAll();
        String url = created.join().queueUrl();
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(SendMessageBatchRequestEntry.builder().id("m")
                .messageBody("kept").build()));
        executor.runAll();

        executor.rejecting = true;
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(600))).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(RejectedExecutionException.class);

        executor.rejecting = false;
        CompletableFuture<ReceiveMessageResponse> again = sqs.receiveMessage(b -> b.queueUrl(url)
                .messageSystemAttributeNamesWithStrings("ApproximateReceiveCount"));
        executor.runAll();
        assertThat(again.join().messages()).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo("kept");
            assertThat(message.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");
        });
    }

    @Test
    void builderRejectsANullCompletionExecutorNamingIt() {
        assertThatThrownBy(() -> InMemorySqs.builder().completionExecutor(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("completionExecutor");
    }

    @Test
    void urlsAndArnsAreDeterministic() {
        InMemorySqs sqs = InMemorySqs.builder().scheduler(new VirtualTime()).region("eu-west-1")
                .accountId("123456789012").build();
        cleanup.add(sqs);
        String url = sqs.createQueue(b -> b.queueName("orders")).join().queueUrl();
        assertThat(url).isEqualTo("http://sqs.eu-west-1.localhost.localstack.cloud:4566/123456789012/orders");
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn")).join()
                .attributesAsStrings()).containsEntry("QueueArn", "arn:aws:sqs:eu-west-1:123456789012:orders");
    }

    @Test
    void getQueueUrlFindsOnlyItsOwnAccountsQueues() {
        InMemorySqs sqs = InMemorySqs.builder().scheduler(new VirtualTime()).accountId("123456789012").build();
        cleanup.add(sqs);
        String url = sqs.createQueue(b -> b.queueName("orders")).join().queueUrl();

        assertThat(sqs.getQueueUrl(b -> b.queueName("orders").queueOwnerAWSAccountId("123456789012")).join()
                .queueUrl()).isEqualTo(url);
        assertThat(sqs.getQueueUrl(b -> b.queueName("orders").queueOwnerAWSAccountId("210987654321")))
                .as("another account shares no queue here").failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void builderRejectsABadRegionOrAccountNamingIt() {
        assertThatThrownBy(() -> InMemorySqs.builder().region("US East"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region").hasMessageContaining("US East");
        assertThatThrownBy(() -> InMemorySqs.builder().accountId("42"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accountId").hasMessageContaining("42");
    }

    @Test
    void aCancelledReceiveTakesNothingSoAStopNeedsNoGrace() {
        VirtualTime time = new VirtualTime();
        InMemorySqs sqs = sqs(time);
        String url = sqs.createQueue(b -> b.queueName("cancelled")).join().queueUrl();
        CompletableFuture<ReceiveMessageResponse> poll = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20));

        assertThat(poll.cancel(true)).isTrue();
        send(sqs, url, "after");

        assertThat(sqs.cancelledReceiveTakesNothing()).isTrue();
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).join().messages()).extracting(Message::body)
                .containsExactly("after");
    }
}
