package io.sluice.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.time.VirtualTime;
import io.sluice.transport.memory.InMemorySqs;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

class FaultInjectingTransportTest {

    private final VirtualTime time = new VirtualTime();
    private final InMemorySqs sqs = InMemorySqs.builder().scheduler(time).build();
    private final String url = sqs.createQueue(b -> b.queueName("orders")).join().queueUrl();

    @AfterEach
    void closeSqs() {
        sqs.close();
    }

    private FaultInjectingTransport faulty(FaultPlan plan) {
        return FaultInjectingTransport.wrap(sqs, plan, time);
    }

    @Test
    void theSameSeedMakesTheSameDecisionsAndAnotherSeedOthers() {
        FaultPlan plan = FaultPlan.builder().seed(42).allActions(0.3).lostResponseShare(1 / 3.0)
                .rate(Fault.PARTIAL_BATCH, 0.2).build();

        List<String> first = outcomes(faulty(plan), 300);
        List<String> again = outcomes(faulty(plan), 300);
        List<String> other = outcomes(faulty(plan.toBuilder().seed(43).build()), 300);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first).contains("RequestThrottledException", "SqsException", "SdkClientException", "partial 1");
    }

    /** What each of {@code calls} attributes reads and one-entry sends answered: a response, or the error's class. */
    private List<String> outcomes(FaultInjectingTransport transport, int calls) {
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            CompletableFuture<?> call = i % 2 == 0
                    ? transport.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                    : transport.sendMessageBatch(b -> b.queueUrl(url).entries(entry("m", "{}")));
            outcomes.add(call.handle((response, error) -> error != null
                    ? unwrap(error).getClass().getSimpleName()
                    : response instanceof SendMessageBatchResponse sent && !sent.failed().isEmpty()
                            ? "partial " + sent.failed().size() : "ok").join());
        }
        return outcomes;
    }

    @Test
    void ratesAreHonouredOverManyCalls() {
        FaultInjectingTransport transport = faulty(FaultPlan.builder().seed(3).allActions(0.05)
                .lostResponseShare(1 / 3.0).build());

        for (int i = 0; i < 10_000; i++) {
            transport.receiveMessage(b -> b.queueUrl(url)).exceptionally(error -> null).join();
        }

        FaultCounts counts = transport.counts();
        assertThat(counts.calls(SqsAction.RECEIVE_MESSAGE)).isEqualTo(10_000);
        assertThat(counts.failed(SqsAction.RECEIVE_MESSAGE)).as(counts.report()).isBetween(400L, 600L);
        assertThat(counts.injected(SqsAction.RECEIVE_MESSAGE, Fault.LOST_RESPONSE)).isBetween(120L, 220L);
        for (Fault kind : FaultPlan.DEFAULT_FAILURE_MIX) {
            assertThat(counts.injected(SqsAction.RECEIVE_MESSAGE, kind)).as(kind.name()).isBetween(60L, 160L);
        }
        assertThat(counts.injected(Fault.LATENCY) + counts.injected(Fault.TIMEOUT)).isZero();
        assertThat(counts.report()).contains("ReceiveMessage", "total").doesNotContain("GetQueueUrl");
    }

    @Test
    void aLostDeleteDeletedTheMessageButItsCallerSawAConnectionReset() {
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entry("m", "{\"n\":1}"))).join();
        Message message = sqs.receiveMessage(b -> b.queueUrl(url)).join().messages().get(0);
        FaultInjectingTransport transport = faulty(FaultPlan.builder()
                .rate(SqsAction.DELETE_MESSAGE_BATCH, Fault.LOST_RESPONSE, 1).build());

        CompletableFuture<DeleteMessageBatchResponse> delete = transport.deleteMessageBatch(b -> b.queueUrl(url)
                .entries(DeleteMessageBatchRequestEntry.builder().id("d").receiptHandle(message.receiptHandle())
                        .build()));

        assertThatThrownBy(delete::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(SdkClientException.class).hasRootCauseInstanceOf(SocketException.class)
                .hasRootCauseMessage("Connection reset");
        assertThat(sqs.messages("orders")).as("deleted on the server").isEmpty();
        assertThat(transport.counts().injected(SqsAction.DELETE_MESSAGE_BATCH, Fault.LOST_RESPONSE)).isOne();
    }

    @Test
    void aLostReceiveLeavesItsMessagesInvisibleOnTheServerUntilTheirVisibilityTimeoutEnds() {
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entry("a", "1"), entry("b", "2"), entry("c", "3"))).join();
        FaultInjectingTransport transport = faulty(FaultPlan.builder()
                .rate(SqsAction.RECEIVE_MESSAGE, Fault.LOST_RESPONSE, 1).build());

        CompletableFuture<ReceiveMessageResponse> receive = transport.receiveMessage(b -> b.queueUrl(url)
                .maxNumberOfMessages(10).visibilityTimeout(30));

        assertThatThrownBy(receive::join).cause().isInstanceOf(SdkClientException.class)
                .hasRootCauseMessage("Connection reset");
        assertThat(sqs.messages("orders")).hasSize(3).allSatisfy(message -> assertThat(message.attributesAsStrings()
                .get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString())).isEqualTo("1"));
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).join().messages())
                .as("in flight").isEmpty();

        time.advance(Duration.ofSeconds(30));
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).join().messages())
                .extracting(Message::body).containsExactlyInAnyOrder("1", "2", "3");
    }

    @Test
    void aPartialBatchAppliesOnlyTheEntriesItDoesNotReportFailed() {
        FaultInjectingTransport transport = faulty(FaultPlan.builder().seed(5)
                .rate(SqsAction.SEND_MESSAGE_BATCH, Fault.PARTIAL_BATCH, 1)
                .rate(SqsAction.DELETE_MESSAGE_BATCH, Fault.PARTIAL_BATCH, 1).build());
        List<SendMessageBatchRequestEntry> entries = IntStream.range(0, 10)
                .mapToObj(i -> entry("e" + i, "body-" + i)).toList();

        SendMessageBatchResponse sent = transport.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).join();

        assertThat(sent.failed()).isNotEmpty().allSatisfy(failed -> {
            assertThat(failed.senderFault()).isFalse();
            assertThat(failed.code()).isEqualTo("InternalError");
        });
        assertThat(sent.successful()).isNotEmpty().hasSize(10 - sent.failed().size());
        Set<String> failedBodies = sent.failed().stream().map(failed -> "body-" + failed.id().substring(1))
                .collect(Collectors.toSet());
        assertThat(sqs.messages("orders")).extracting(Message::body).hasSize(sent.successful().size())
                .doesNotContainAnyElementsOf(failedBodies);

        List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).join().messages();
        Map<String, Message> byEntry = received.stream().collect(Collectors.toMap(Message::messageId,
                Function.identity()));
        DeleteMessageBatchResponse deleted = transport.deleteMessageBatch(b -> b.queueUrl(url)
                .entries(received.stream().map(message -> DeleteMessageBatchRequestEntry.builder()
                        .id(message.messageId()).receiptHandle(message.receiptHandle()).build()).toList())).join();

        assertThat(deleted.failed()).isNotEmpty();
        assertThat(sqs.messages("orders")).extracting(Message::messageId)
                .containsExactlyInAnyOrderElementsOf(deleted.failed().stream().map(BatchResultErrorEntry::id)
                        .toList());
        assertThat(byEntry).hasSize(received.size());
    }

    @Test
    void aOneEntryBatchFailsItsOnlyEntryWithoutReachingTheServer() {
        FaultInjectingTransport transport = faulty(FaultPlan.builder()
                .rate(SqsAction.SEND_MESSAGE_BATCH, Fault.PARTIAL_BATCH, 1).build());

        SendMessageBatchResponse sent = transport.sendMessageBatch(b -> b.queueUrl(url).entries(entry("only", "x")))
                .join();

        assertThat(sent.successful()).isEmpty();
        assertThat(sent.failed()).extracting(BatchResultErrorEntry::id).containsExactly("only");
        assertThat(sqs.messages("orders")).isEmpty();
    }

    @Test
    void latencyDelaysTheCallOnTheSchedulersClock() {
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entry("m", "late"))).join();
        FaultInjectingTransport transport = faulty(FaultPlan.builder()
                .rate(SqsAction.RECEIVE_MESSAGE, Fault.LATENCY, 1).latency(Duration.ofSeconds(2)).build());

        CompletableFuture<ReceiveMessageResponse> receive = transport.receiveMessage(b -> b.queueUrl(url));
        time.advance(Duration.ofMillis(1999));
        assertThat(receive).isNotDone();
        assertThat(sqs.messages("orders").get(0).attributesAsStrings())
                .containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString(), "0");

        time.advance(Duration.ofMillis(1));
        assertThat(receive.join().messages()).extracting(Message::body).containsExactly("late");
        assertThat(transport.counts().injected(SqsAction.RECEIVE_MESSAGE, Fault.LATENCY)).isOne();
    }

    @Test
    void cancellingADelayedCallOrALostLongPollAbandonsItOnTheTransport() {
        FaultInjectingTransport late = faulty(FaultPlan.builder()
                .rate(SqsAction.RECEIVE_MESSAGE, Fault.LATENCY, 1).latency(Duration.ofSeconds(1)).build());
        FaultInjectingTransport lost = faulty(FaultPlan.builder()
                .rate(SqsAction.RECEIVE_MESSAGE, Fault.LOST_RESPONSE, 1).build());

        late.receiveMessage(b -> b.queueUrl(url)).cancel(false);
        lost.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)).cancel(false);
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entry("m", "still here"))).join();
        time.advance(Duration.ofSeconds(2));

        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).join().messages()).extracting(Message::body)
                .containsExactly("still here");
    }

    @Test
    void aTimeoutFailsAfterTimeoutAfterWithoutReachingTheServer() {
        FaultInjectingTransport transport = faulty(FaultPlan.builder()
                .rate(SqsAction.SEND_MESSAGE_BATCH, Fault.TIMEOUT, 1).timeoutAfter(Duration.ofSeconds(5)).build());

        CompletableFuture<SendMessageBatchResponse> send = transport.sendMessageBatch(b -> b.queueUrl(url)
                .entries(entry("m", "x")));
        time.advance(Duration.ofMillis(4999));
        assertThat(send).isNotDone();
        time.advance(Duration.ofMillis(1));

        assertThatThrownBy(send::join).cause().isInstanceOf(ApiCallAttemptTimeoutException.class)
                .hasMessageContaining("5000 millis");
        assertThat(sqs.messages("orders")).isEmpty();
    }

    @Test
    void failuresAreTheExceptionsTheSdkRaisesAndTheCallHasNoEffect() {
        assertThat(failure(Fault.THROTTLING)).isInstanceOfSatisfying(RequestThrottledException.class, error -> {
            assertThat(error.isThrottlingException()).isTrue();
            assertThat(error.statusCode()).isEqualTo(400);
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("RequestThrottled");
        });
        assertThat(failure(Fault.SERVER_ERROR)).isExactlyInstanceOf(SqsException.class)
                .isInstanceOfSatisfying(AwsServiceException.class, error -> {
                    assertThat(error.statusCode()).isEqualTo(500);
                    assertThat(error.isThrottlingException()).isFalse();
                    assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                });
        assertThat(failure(Fault.CONNECTION_RESET)).isExactlyInstanceOf(SdkClientException.class)
                .hasRootCauseExactlyInstanceOf(SocketException.class).hasRootCauseMessage("Connection reset");
        assertThat(sqs.messages("orders")).isEmpty();
    }

    private Throwable failure(Fault kind) {
        FaultInjectingTransport transport = faulty(FaultPlan.builder()
                .rate(SqsAction.SEND_MESSAGE_BATCH, kind, 1).build());
        CompletableFuture<SendMessageBatchResponse> send = transport.sendMessageBatch(b -> b.queueUrl(url)
                .entries(entry("m", "x")));
        assertThat(send).isCompletedExceptionally();
        return send.handle((response, error) -> unwrap(error)).join();
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException wrapped ? wrapped.getCause() : error;
    }

    @Test
    void disabledFaultsLetEveryCallThroughAndAnOutageFailsTheChosenActionsUntilItEnds() {
        FaultInjectingTransport transport = faulty(FaultPlan.builder().allActions(1).build());
        transport.enabled(false);

        assertThat(transport.sendMessageBatch(b -> b.queueUrl(url).entries(entry("m", "x"))).join().failed())
                .isEmpty();
        transport.outage(Fault.CONNECTION_REFUSED, SqsAction.RECEIVE_MESSAGE);
        assertThatThrownBy(() -> transport.receiveMessage(b -> b.queueUrl(url)).join()).cause()
                .isExactlyInstanceOf(SdkClientException.class).hasRootCauseExactlyInstanceOf(ConnectException.class);
        assertThat(transport.getQueueUrl(b -> b.queueName("orders")).join().queueUrl()).isEqualTo(url);
        transport.outage(Fault.SERVER_ERROR);
        assertThat(transport.getQueueUrl(b -> b.queueName("orders"))).isCompletedExceptionally();
        transport.endOutage();

        assertThat(transport.receiveMessage(b -> b.queueUrl(url)).join().messages()).hasSize(1);
        assertThat(transport.isEnabled()).isFalse();
        FaultCounts counts = transport.counts();
        assertThat(counts.calls()).isEqualTo(5);
        assertThat(counts.injected(SqsAction.RECEIVE_MESSAGE, Fault.CONNECTION_REFUSED)).isOne();
        assertThat(counts.injected(SqsAction.GET_QUEUE_URL, Fault.SERVER_ERROR)).isOne();
        assertThat(counts.injected()).isEqualTo(2);
        assertThatThrownBy(() -> transport.outage(Fault.LATENCY))
                .hasMessage("an outage fails every call before the server: its kind must be SERVER_ERROR,"
                        + " CONNECTION_REFUSED, THROTTLING, CONNECTION_RESET or TIMEOUT, but was LATENCY");
    }

    private static SendMessageBatchRequestEntry entry(String id, String body) {
        return SendMessageBatchRequestEntry.builder().id(id).messageBody(body).build();
    }
}
