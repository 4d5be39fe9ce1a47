package io.sluice.internal.ack;

import static io.sluice.testutil.TestMessages.message;
import static io.sluice.testutil.TestMessages.receiptHandleOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Delivery;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class AckBatcherTest {

    private static final String QUEUE = "orders";
    private static final String URL = FakeSqsTransport.urlOf(QUEUE);
    private static final Duration INTERVAL = Duration.ofMillis(50);

    private final VirtualTime time = new VirtualTime();
    private final FakeSqsTransport transport = new FakeSqsTransport().withQueue(QUEUE);
    private final RecordingCallback callback = new RecordingCallback();

    private RecordingBatcher batcher(AckBatcher.Action action, Duration flushInterval, int maxAttempts) {
        return new RecordingBatcher(new AckBatcher(QUEUE, URL, action, transport, time, flushInterval, maxAttempts),
                callback);
    }

    private RecordingBatcher deletes() {
        return batcher(AckBatcher.Action.DELETE, INTERVAL, 5);
    }

    private static void submit(RecordingBatcher batcher, int from, int to) {
        for (int i = from; i <= to; i++) {
            Message message = message("m" + i, "{}");
            batcher.submit(message, delivery(message), 0);
        }
    }

    private static Delivery delivery(Message message) {
        return new Delivery(QUEUE, message.messageId(), "OrderHandler.handle", 1, java.time.Instant.EPOCH);
    }

    private List<Integer> deleteBatchSizes() {
        return transport.deleteRequests().stream().map(request -> request.entries().size()).toList();
    }

    private static List<String> handles(DeleteMessageBatchRequest request) {
        return request.entries().stream().map(DeleteMessageBatchRequestEntry::receiptHandle).toList();
    }

    @Test
    void tenSubmissionsAreDeletedInOneBatchAtOnce() {
        RecordingBatcher batcher = deletes();

        submit(batcher, 1, 10);

        assertThat(transport.deleteRequests()).singleElement().satisfies(request -> {
            assertThat(request.queueUrl()).isEqualTo(URL);
            assertThat(handles(request)).containsExactly(receiptHandleOf("m1"), receiptHandleOf("m2"),
                    receiptHandleOf("m3"), receiptHandleOf("m4"), receiptHandleOf("m5"), receiptHandleOf("m6"),
                    receiptHandleOf("m7"), receiptHandleOf("m8"), receiptHandleOf("m9"), receiptHandleOf("m10"));
            assertThat(request.entries()).extracting(DeleteMessageBatchRequestEntry::id).doesNotHaveDuplicates();
        });
        assertThat(callback.succeeded).hasSize(10);
        assertThat(batcher.unsettled()).isZero();
        time.advance(INTERVAL);
        assertThat(transport.deleteRequests()).as("the flush check finds nothing left").hasSize(1);
        assertThat(time.pendingTasks()).as("and does not schedule itself again").isZero();
    }

    @Test
    void entriesLeftAfterAFullBatchGoOutWhenTheOldestOfThemHasWaitedTheFlushInterval() {
        RecordingBatcher batcher = deletes();
        submit(batcher, 1, 3);
        time.advance(Duration.ofMillis(30));
        submit(batcher, 4, 12); // a full batch of m1..m10 goes out; m11 and m12 wait from now

        time.advance(Duration.ofMillis(20)); // the first entry's interval ran out, not m11's
        assertThat(transport.deleteRequests()).hasSize(1);
        time.advance(Duration.ofMillis(29));
        assertThat(transport.deleteRequests()).hasSize(1);
        time.advance(Duration.ofMillis(1));

        assertThat(transport.deleteRequests()).hasSize(2);
        assertThat(handles(transport.deleteRequests().get(1)))
                .containsExactly(receiptHandleOf("m11"), receiptHandleOf("m12"));
        assertThat(batcher.unsettled()).isZero();
    }

    @Test
    void fewerThanTenWaitForTheFlushInterval() {
        RecordingBatcher batcher = deletes();

        submit(batcher, 1, 3);
        assertThat(transport.deleteRequests()).isEmpty();
        time.advance(INTERVAL.minusMillis(1));
        assertThat(transport.deleteRequests()).as("not yet due").isEmpty();
        time.advance(Duration.ofMillis(1));

        assertThat(deleteBatchSizes()).containsExactly(3);
        assertThat(callback.succeeded).containsExactly("m1", "m2", "m3");
    }

    @Test
    void flushIntervalCountsFromTheOldestWaitingEntry() {
        RecordingBatcher batcher = deletes();

        submit(batcher, 1, 1);
        time.advance(Duration.ofMillis(30));
        submit(batcher, 2, 2);
        time.advance(Duration.ofMillis(20));

        assertThat(deleteBatchSizes()).containsExactly(2);
    }

    @Test
    void twentyFiveSubmissionsGoOutAsTenTenAndFive() {
        RecordingBatcher batcher = deletes();

        submit(batcher, 1, 25);
        assertThat(deleteBatchSizes()).as("full batches go at once").containsExactly(10, 10);
        time.advance(INTERVAL);

        assertThat(deleteBatchSizes()).containsExactly(10, 10, 5);
        assertThat(transport.deletedReceiptHandles()).hasSize(25).doesNotHaveDuplicates();
        assertThat(callback.succeeded).hasSize(25);
    }

    @Test
    void transientEntryFailureIsRetriedAndThenSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        transport.onDelete(request -> CompletableFuture.completedFuture(calls.incrementAndGet() == 1
                ? FakeSqsTransport.deletedExcept(request, handle -> handle.equals(receiptHandleOf("m2"))
                        ? BatchResultErrorEntry.builder().code("InternalError").message("try again").senderFault(false)
                        : null)
                : FakeSqsTransport.allDeleted(request).join()));
        RecordingBatcher batcher = deletes();

        submit(batcher, 1, 3);
        time.advance(INTERVAL);
        assertThat(callback.succeeded).containsExactly("m1", "m3");
        assertThat(batcher.unsettled()).isEqualTo(1);

        time.advance(Duration.ofMillis(100)); // retry back-off, then the flush interval
        time.advance(INTERVAL);

        assertThat(transport.deleteRequests()).hasSize(2);
        assertThat(handles(transport.deleteRequests().get(1))).containsExactly(receiptHandleOf("m2"));
        assertThat(callback.succeeded).containsExactly("m1", "m3", "m2");
        assertThat(callback.failed).isEmpty();
        assertThat(batcher.unsettled()).isZero();
    }

    @Test
    void senderFaultEntryFailsForGoodAndIsReported() {
        transport.onDelete(request -> CompletableFuture.completedFuture(
                FakeSqsTransport.deletedExcept(request, handle -> handle.equals(receiptHandleOf("m2"))
                        ? BatchResultErrorEntry.builder().code("ReceiptHandleIsInvalid")
                                .message("The receipt handle has expired").senderFault(true)
                        : null)));
        RecordingBatcher batcher = deletes();

        submit(batcher, 1, 3);
        time.advance(INTERVAL);
        time.advance(Duration.ofMinutes(1));

        assertThat(transport.deleteRequests()).as("never retried").hasSize(1);
        assertThat(callback.succeeded).containsExactly("m1", "m3");
        assertThat(callback.failed).containsOnlyKeys("m2");
        assertThat(callback.failed.get("m2"))
                .hasMessageContaining("ReceiptHandleIsInvalid")
                .hasMessageContaining("m2")
                .hasMessageContaining("queue 'orders'")
                .hasMessageContaining("delete");
        assertThat(batcher.unsettled()).isZero();
    }

    @Test
    void entryMissingFromTheResponseIsRetried() {
        AtomicInteger calls = new AtomicInteger();
        transport.onDelete(request -> CompletableFuture.completedFuture(calls.incrementAndGet() == 1
                ? DeleteMessageBatchResponse.builder().successful(List.of()).failed(List.of()).build()
                : FakeSqsTransport.allDeleted(request).join()));
        RecordingBatcher batcher = deletes();

        submit(batcher, 1, 1);
        time.advance(Duration.ofSeconds(1));

        assertThat(transport.deleteRequests()).hasSize(2);
        assertThat(callback.succeeded).containsExactly("m1");
    }

    @Test
    void wholeCallFailureRetriesEveryEntry() {
        AtomicInteger calls = new AtomicInteger();
        transport.onDelete(request -> calls.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(SdkClientException.create("connection reset"))
                : FakeSqsTransport.allDeleted(request));
        RecordingBatcher batcher = deletes();

        submit(batcher, 1, 4);
        time.advance(INTERVAL);
        assertThat(transport.deleteRequests()).hasSize(1);
        assertThat(callback.succeeded).isEmpty();
        assertThat(callback.failed).as("not given up on").isEmpty();

        time.advance(Duration.ofMillis(100));
        time.advance(INTERVAL);

        assertThat(transport.deleteRequests()).hasSize(2);
        assertThat(handles(transport.deleteRequests().get(1))).containsExactlyInAnyOrder(receiptHandleOf("m1"),
                receiptHandleOf("m2"), receiptHandleOf("m3"), receiptHandleOf("m4"));
        assertThat(callback.succeeded).containsExactlyInAnyOrder("m1", "m2", "m3", "m4");
    }

    @Test
    void callThatThrowsInsteadOfFailingItsFutureIsRetriedToo() {
        AtomicInteger calls = new AtomicInteger();
        transport.onDelete(request -> {
            if (calls.incrementAndGet() == 1) {
                throw SdkClientException.create("cannot serialize");
            }
            return FakeSqsTransport.allDeleted(request);
        });
        RecordingBatcher batcher = deletes();

        submit(batcher, 1, 2);
        time.advance(Duration.ofSeconds(1));

        assertThat(transport.deleteRequests()).hasSize(2);
        assertThat(callback.succeeded).containsExactlyInAnyOrder("m1", "m2");
    }

    @Test
    void clientErrorOfTheWholeCallFailsEveryEntryForGood() {
        transport.onDelete(request -> CompletableFuture.failedFuture(QueueDoesNotExistException.builder()
                .message("The specified queue does not exist.").statusCode(400).build()));
        RecordingBatcher batcher = deletes();

        submit(batcher, 1, 2);
        time.advance(Duration.ofMinutes(1));

        assertThat(transport.deleteRequests()).hasSize(1);
        assertThat(callback.failed).containsOnlyKeys("m1", "m2");
        assertThat(callback.failed.get("m1")).isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void givesUpAfterMaxAttemptsAndReportsTheFailure() {
        SqsException serverError = (SqsException) SqsException.builder().message("Internal error").statusCode(500).build();
        transport.onDelete(request -> CompletableFuture.failedFuture(serverError));
        RecordingBatcher batcher = batcher(AckBatcher.Action.DELETE, INTERVAL, 3);

        submit(batcher, 1, 1);
        time.advance(Duration.ofMinutes(1));

        assertThat(transport.deleteRequests()).hasSize(3);
        assertThat(callback.failed).containsOnlyKeys("m1");
        assertThat(callback.failed.get("m1")).isSameAs(serverError);
        assertThat(callback.succeeded).isEmpty();
        assertThat(batcher.unsettled()).isZero();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void givesUpAfterMaxAttemptsOfTransientEntryFailures() {
        transport.onDelete(request -> CompletableFuture.completedFuture(FakeSqsTransport.deletedExcept(request,
                handle -> BatchResultErrorEntry.builder().code("InternalError").message("busy").senderFault(false))));
        RecordingBatcher batcher = batcher(AckBatcher.Action.DELETE, INTERVAL, 2);

        submit(batcher, 1, 1);
        time.advance(Duration.ofMinutes(1));

        assertThat(transport.deleteRequests()).hasSize(2);
        assertThat(callback.failed.get("m1")).hasMessageContaining("InternalError");
    }

    @Test
    void flushSendsAtOnceAndCompletesOnlyWhenEveryEntryIsSettled() {
        List<CompletableFuture<DeleteMessageBatchResponse>> calls = new CopyOnWriteArrayList<>();
        List<DeleteMessageBatchRequest> requests = new ArrayList<>();
        transport.onDelete(request -> {
            CompletableFuture<DeleteMessageBatchResponse> call = new CompletableFuture<>();
            calls.add(call);
            requests.add(request);
            return call;
        });
        RecordingBatcher batcher = deletes();
        submit(batcher, 1, 3);

        CompletableFuture<Void> flushed = batcher.flush();

        assertThat(calls).as("sent without waiting for the interval").hasSize(1);
        assertThat(flushed).isNotDone();
        calls.get(0).complete(FakeSqsTransport.allDeleted(requests.get(0)).join());
        assertThat(flushed).isCompleted();
        assertThat(callback.succeeded).hasSize(3);
    }

    @Test
    void flushWaitsForRetries() {
        AtomicInteger calls = new AtomicInteger();
        transport.onDelete(request -> calls.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(SdkClientException.create("connection reset"))
                : FakeSqsTransport.allDeleted(request));
        RecordingBatcher batcher = deletes();
        submit(batcher, 1, 2);

        CompletableFuture<Void> flushed = batcher.flush();
        assertThat(flushed).as("a retry is pending").isNotDone();
        time.advance(Duration.ofSeconds(1));

        assertThat(flushed).isCompleted();
        assertThat(callback.succeeded).containsExactlyInAnyOrder("m1", "m2");
    }

    @Test
    void flushWithNothingPendingCompletesAtOnce() {
        assertThat(deletes().flush()).isCompleted();
        assertThat(transport.deleteRequests()).isEmpty();
    }

    @Test
    void callbackThatThrowsDoesNotStopSettlement() {
        AckBatcher batcher = new AckBatcher(QUEUE, URL, AckBatcher.Action.DELETE, transport, time, INTERVAL, 5);
        for (int i = 1; i <= 2; i++) {
            Message message = message("m" + i, "{}");
            batcher.submit(message, delivery(message), 0).whenComplete((ok, error) -> {
                throw new IllegalStateException("listener bug");
            });
        }

        assertThat(batcher.flush()).isCompleted();
        assertThat(batcher.unsettled()).isZero();
    }

    @Test
    void changeVisibilitySendsChangeMessageVisibilityBatchWithTheGivenTimeout() {
        RecordingBatcher batcher = batcher(AckBatcher.Action.CHANGE_VISIBILITY, Duration.ZERO, 5);
        Message first = message("m1", "{}");
        Message second = message("m2", "{}");

        batcher.submit(first, delivery(first), 0);
        batcher.submit(second, delivery(second), 30);

        assertThat(transport.deleteRequests()).isEmpty();
        assertThat(transport.visibilityRequests()).as("a zero interval sends at once").hasSize(2);
        List<ChangeMessageVisibilityBatchRequestEntry> entries = transport.visibilityRequests().stream()
                .peek(request -> assertThat(request.queueUrl()).isEqualTo(URL))
                .flatMap(request -> request.entries().stream()).toList();
        assertThat(entries).extracting(ChangeMessageVisibilityBatchRequestEntry::receiptHandle)
                .containsExactly(receiptHandleOf("m1"), receiptHandleOf("m2"));
        assertThat(entries).extracting(ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout)
                .containsExactly(0, 30);
        assertThat(callback.succeeded).containsExactly("m1", "m2");
    }

    @Test
    void changeVisibilityBatchesUpToTen() {
        RecordingBatcher batcher = batcher(AckBatcher.Action.CHANGE_VISIBILITY, INTERVAL, 5);

        submit(batcher, 1, 12);
        time.advance(INTERVAL);

        assertThat(transport.visibilityRequests()).extracting(request -> request.entries().size())
                .containsExactly(10, 2);
    }

    /** What each entry's future said, by message id. */
    private static final class RecordingCallback {
        final List<String> succeeded = new CopyOnWriteArrayList<>();
        final Map<String, Throwable> failed = new ConcurrentHashMap<>();

        void succeeded(Message message, Delivery delivery) {
            assertThat(delivery.messageId()).isEqualTo(message.messageId());
            succeeded.add(message.messageId());
        }

        void failed(Message message, Delivery delivery, Throwable cause) {
            Throwable previous = failed.put(message.messageId(), cause);
            assertThat(previous).as("reported once").isNull();
        }
    }

    /** A batcher whose entries' outcomes are recorded. */
    private record RecordingBatcher(AckBatcher batcher, RecordingCallback callback) {
        void submit(Message message, Delivery delivery, int visibilitySeconds) {
            batcher.submit(message, delivery, visibilitySeconds).whenComplete((ok, error) -> {
                if (error == null) {
                    callback.succeeded(message, delivery);
                } else {
                    callback.failed(message, delivery, error);
                }
            });
        }

        CompletableFuture<Void> flush() {
            return batcher.flush();
        }

        int unsettled() {
            return batcher.unsettled();
        }
    }
}
