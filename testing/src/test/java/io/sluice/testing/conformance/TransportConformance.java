package io.sluice.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.InvalidBatchEntryIdException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

/**
 * One set of behaviour cases for every {@link SqsTransport}: what SQS does (see {@code ../shared/SQS-FACTS.md} and the
 * Amazon SQS Developer Guide), checked through the SPI. Each transport runs it by extending this class: the in-memory
 * transport on a virtual clock, ElasticMQ and LocalStack over real HTTP with short (1–2 s) timeouts.
 *
 * <p>The suite is split by subject: {@link FifoConformance} holds the FIFO cases, {@link AttributesConformance} the
 * attribute cases, {@link ConformanceSupport} the helpers and the list of known {@link Deviation}s; this class, the
 * rest.
 *
 * <p>Where a server deviates from AWS, the case says so in a comment citing the AWS documentation and is conditional on
 * that server's {@link #deviations()}; it is never deleted. The in-memory transport declares none: it follows AWS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransportConformance extends FifoConformance {

    // ---------------------------------------------------------------- visibility

    @Test
    void receivedMessageIsInvisibleToOtherReceivesWhileInFlight() {
        String url = queue("invisible", Map.of("VisibilityTimeout", "30"));
        send(url, "one");
        assertThat(receive(url, 10)).hasSize(1);
        assertThat(receiveNow(url, 10)).isEmpty();
    }

    @Test
    void messageIsVisibleAgainAfterItsVisibilityTimeout() {
        String url = queue("reappears", Map.of("VisibilityTimeout", "1"));
        String id = send(url, "one").messageId();
        assertThat(receive(url, 1)).singleElement().extracting(Message::messageId).isEqualTo(id);
        elapse(Duration.ofMillis(1600));
        assertThat(receive(url, 1)).singleElement().satisfies(message -> {
            assertThat(message.messageId()).isEqualTo(id);
            assertThat(message.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");
        });
    }

    @Test
    void visibilityTimeoutOfAReceiveOverridesTheQueueDefault() {
        String url = queue("override", Map.of("VisibilityTimeout", "600"));
        send(url, "one");
        assertThat(receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(1))).hasSize(1);
        elapse(Duration.ofMillis(1600));
        assertThat(receive(url, 1)).hasSize(1);
    }

    @Test
    void changingVisibilityToZeroMakesTheMessageVisibleAtOnce() {
        String url = queue("zero", Map.of("VisibilityTimeout", "600"));
        send(url, "one");
        Message message = receive(url, 1).get(0);
        assertThat(changeVisibility(url, message.receiptHandle(), 0).failed()).isEmpty();
        assertThat(receive(url, 1)).singleElement().extracting(Message::messageId).isEqualTo(message.messageId());
    }

    @Test
    void changingVisibilitySetsTheRemainingTimeoutFromNow() {
        // 3 s, not 1: the change must reach a real server while the message is still in flight, even on a slow machine.
        String url = queue("extend", Map.of("VisibilityTimeout", "3"));
        send(url, "one");
        Message message = receive(url, 1).get(0);
        assertThat(changeVisibility(url, message.receiptHandle(), 600).failed()).isEmpty();
        elapse(Duration.ofMillis(3600));
        assertThat(receiveNow(url, 1)).isEmpty();
    }

    @Test
    void visibilityTimeoutAboveTwelveHoursIsRejectedOnReceive() {
        // AWS ReceiveMessage: VisibilityTimeout is at most 43,200 s (12 hours); a larger value is invalid.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
        String url = queue("twelve", Map.of());
        send(url, "one");
        CompletableFuture<ReceiveMessageResponse> receive = transport().receiveMessage(ReceiveMessageRequest.builder()
                .queueUrl(url).visibilityTimeout(43_201).build());
        unlessItDeviates(Deviation.NO_TWELVE_HOUR_LIMIT, () -> assertThat(receive).succeedsWithin(Duration.ofSeconds(10)));
        assertThat(failure(receive)).isInstanceOf(SqsException.class);
    }

    @Test
    void changingVisibilityBeyondTwelveHoursSinceTheReceiveFailsForThatEntry() {
        // AWS: a received message's visibility timeout cannot add up to more than 12 hours from its receive.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
        String url = queue("twelve-total", Map.of());
        send(url, "one");
        Message message = receive(url, 1).get(0);
        assertThat(changeVisibility(url, message.receiptHandle(), 43_200).failed()).isEmpty();
        elapse(Duration.ofMillis(1100));
        ChangeMessageVisibilityBatchResponse beyond = changeVisibility(url, message.receiptHandle(), 43_200);
        unlessItDeviates(Deviation.NO_TWELVE_HOUR_LIMIT, () -> assertThat(beyond.failed()).isEmpty());
        assertThat(beyond.failed()).singleElement().extracting(BatchResultErrorEntry::code)
                .isEqualTo("InvalidParameterValue");
    }

    @Test
    void changingVisibilityWithTheLatestHandleAfterItsTimeoutRanOutHidesTheMessageAgain() {
        // AWS ChangeMessageVisibility: a change or a delete after the timeout has run out "might result in an error".
        // Might: on a standard queue SQS accepts the change with the latest handle of a message that is visible again
        // (not received since), and the message is hidden again for the new timeout. (Changed from asserting
        // MessageNotInflight, which AWS does not answer here.)
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
        String url = queue("after-timeout", Map.of("VisibilityTimeout", "1"));
        send(url, "one");
        Message message = receive(url, 1).get(0);
        elapse(Duration.ofMillis(1600));
        assertThat(changeVisibility(url, message.receiptHandle(), 600).failed()).isEmpty();
        assertThat(receiveNow(url, 10)).isEmpty();
        assertThat(count(url, "ApproximateNumberOfMessagesNotVisible")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- receipt handles

    @Test
    void everyReceiveIssuesANewReceiptHandle() {
        String url = queue("handles", Map.of());
        send(url, "one");
        Message first = receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0)).get(0);
        Message second = receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0)).get(0);
        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.receiptHandle()).isNotEqualTo(first.receiptHandle());
    }

    @Test
    void deletingWithTheLatestHandleRemovesTheMessage() {
        String url = queue("delete", Map.of("VisibilityTimeout", "1"));
        send(url, "one");
        Message message = receive(url, 1).get(0);
        assertThat(delete(url, message.receiptHandle()).failed()).isEmpty();
        elapse(Duration.ofMillis(1600));
        assertThat(receiveNow(url, 10)).isEmpty();
        assertThat(count(url, "ApproximateNumberOfMessages") + count(url, "ApproximateNumberOfMessagesNotVisible"))
                .isZero();
    }

    @Test
    void deletingTwiceWithTheSameHandleSucceedsBothTimes() {
        // AWS answers a repeated DeleteMessage with the latest receipt handle with success: DeleteMessage succeeds even
        // when it deletes nothing ("the request will still succeed, but the message might not be deleted"), so a
        // consumer that retries a delete after a timeout sees no error. ElasticMQ rejects the second delete.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
        String url = queue("delete-twice", Map.of());
        send(url, "one");
        Message message = receive(url, 1).get(0);
        assertThat(delete(url, message.receiptHandle()).failed()).isEmpty();
        DeleteMessageBatchResponse again = delete(url, message.receiptHandle());
        unlessItDeviates(Deviation.REPEATED_DELETE_REJECTED, () -> assertThat(again.failed()).hasSize(1));
        assertThat(again.failed()).isEmpty();
    }

    @Test
    void deletingWithAnEarlierReceivesHandleSucceeds() {
        // AWS DeleteMessage: "If you use an old ReceiptHandle, the request will succeed, but the message might not be
        // deleted." (Changed from accepting ReceiptHandleIsInvalid, which AWS does not answer on a standard queue.)
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
        String url = queue("stale", Map.of());
        send(url, "one");
        Message first = receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0)).get(0);
        Message second = receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(600)).get(0);
        DeleteMessageBatchResponse stale = delete(url, first.receiptHandle());
        unlessItDeviates(Deviation.STALE_HANDLE_REJECTED, () -> assertThat(stale.failed()).singleElement()
                .extracting(BatchResultErrorEntry::code).isEqualTo("ReceiptHandleIsInvalid"));
        assertThat(stale.failed()).isEmpty();
        assertThat(delete(url, second.receiptHandle()).failed()).isEmpty();
    }

    @Test
    void deletingWithTheLatestHandleAfterItsTimeoutRanOutStillDeletesOnAStandardQueue() {
        // AWS ChangeMessageVisibility: a delete after the timeout has run out "might result in an error"; on a standard
        // queue SQS still deletes with the message's latest handle (unlike a FIFO queue, where that handle has expired).
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
        String url = queue("late-delete", Map.of("VisibilityTimeout", "1"));
        send(url, "one");
        Message message = receive(url, 1).get(0);
        elapse(Duration.ofMillis(1600));
        assertThat(delete(url, message.receiptHandle()).failed()).isEmpty();
        assertThat(receiveNow(url, 10)).isEmpty();
        assertThat(count(url, "ApproximateNumberOfMessages") + count(url, "ApproximateNumberOfMessagesNotVisible"))
                .isZero();
    }

    @Test
    void malformedReceiptHandleFailsThatEntryOnly() {
        String url = queue("garbage", Map.of());
        send(url, "one");
        Message message = receive(url, 1).get(0);
        DeleteMessageBatchResponse response = transport().deleteMessageBatch(b -> b.queueUrl(url).entries(
                DeleteMessageBatchRequestEntry.builder().id("bad").receiptHandle("not-a-receipt-handle").build(),
                DeleteMessageBatchRequestEntry.builder().id("good").receiptHandle(message.receiptHandle()).build()))
                .join();
        assertThat(response.successful()).extracting(r -> r.id()).containsExactly("good");
        assertThat(response.failed()).singleElement().satisfies(failed -> {
            assertThat(failed.id()).isEqualTo("bad");
            assertThat(failed.code()).isEqualTo("ReceiptHandleIsInvalid");
            assertThat(failed.senderFault()).isTrue();
        });
    }

    // ---------------------------------------------------------------- dead-letter queues

    @Test
    void messageMovesToItsDeadLetterQueueAfterMaxReceiveCountKeepingBodyAndAttributes() {
        String dlq = queue("dlq", Map.of());
        String url = queue("redriven", Map.of("RedrivePolicy", redrivePolicy(dlq, 2)));
        String id = send(url, entry("poison").messageAttributes(Map.of("kind", stringAttribute("order")))).messageId();
        receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0));
        receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0));
        assertThat(receiveNow(url, 10)).isEmpty(); // the third receive moves it instead of delivering it
        Message dead = receive(dlq, 1).get(0);
        assertThat(dead.messageId()).isEqualTo(id);
        assertThat(dead.body()).isEqualTo("poison");
        assertThat(dead.messageAttributes()).containsEntry("kind", stringAttribute("order"));
    }

    @Test
    void deadLetteredMessageKeepsCountingReceives() {
        // SQS-FACTS.md / AWS dead-letter queues: the receive count carries on in the DLQ (not reset by the move).
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
        String dlq = queue("dlq-count", Map.of());
        String url = queue("redriven-count", Map.of("RedrivePolicy", redrivePolicy(dlq, 1)));
        send(url, "poison");
        receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0));
        assertThat(receiveNow(url, 10)).isEmpty();
        Message dead = receive(dlq, 1).get(0);
        assertThat(Integer.parseInt(dead.attributesAsStrings().get("ApproximateReceiveCount"))).isGreaterThan(1);
    }

    @Test
    void standardDeadLetterQueueCountsRetentionFromTheOriginalSend() {
        // AWS, Setting-up dead-letter queue retention: "For standard queues, the expiration of a message is always
        // based on its original enqueue timestamp. When a message is moved to a dead-letter queue, the enqueue
        // timestamp is unchanged."
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
        assumeTrue(slowCases(), "needs 70 s (the shortest retention is 60 s); -Dsluice.conformance.slow=true runs it");
        String dlq = queue("dlq-retention", Map.of("MessageRetentionPeriod", "60"));
        String url = queue("retention-source", Map.of("RedrivePolicy", redrivePolicy(dlq, 1)));
        send(url, "poison");
        receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0));
        elapse(Duration.ofSeconds(30));
        assertThat(receiveNow(url, 10)).isEmpty(); // moves it, 30 s after its send
        elapse(Duration.ofSeconds(40)); // 70 s after the send, 40 s after the move
        List<Message> late = receiveNow(dlq, 10);
        unlessItDeviates(Deviation.RETENTION_NOT_ENFORCED, () -> assertThat(late).hasSize(1));
        assertThat(late).isEmpty();
    }

    // ---------------------------------------------------------------- delays and retention

    @Test
    void perMessageDelayHidesTheMessageUntilItEnds() {
        String url = queue("delay", Map.of());
        // 3 s, not 1: on a real server the "still hidden" checks must run before the delay ends, even on a slow machine.
        send(url, entry("later").delaySeconds(3));
        assertThat(receiveNow(url, 10)).isEmpty();
        assertThat(count(url, "ApproximateNumberOfMessagesDelayed")).isEqualTo(1);
        elapse(Duration.ofMillis(3600));
        assertThat(receive(url, 10)).extracting(Message::body).containsExactly("later");
    }

    @Test
    void queueDelayAppliesToEveryMessage() {
        String url = queue("queue-delay", Map.of("DelaySeconds", "3")); // 3 s: see perMessageDelayHides...
        send(url, "later");
        assertThat(receiveNow(url, 10)).isEmpty();
        elapse(Duration.ofMillis(3600));
        assertThat(receive(url, 10)).extracting(Message::body).containsExactly("later");
    }

    @Test
    void perMessageDelayOverridesTheQueueDelay() {
        String url = queue("delay-override", Map.of("DelaySeconds", "600"));
        send(url, entry("now").delaySeconds(0));
        assertThat(receive(url, 10)).extracting(Message::body).containsExactly("now");
    }

    @Test
    void standardQueueDelayChangeLeavesMessagesAlreadyInTheQueueAlone() {
        // AWS, Amazon SQS delay queues: "For standard queues, the per-queue delay setting is not retroactive—changing
        // the setting doesn't affect the delay of messages already in the queue."
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html
        String url = queue("not-retroactive-delay", Map.of("DelaySeconds", "600"));
        send(url, "delayed");
        setQueueAttributes(url, Map.of("DelaySeconds", "0"));
        assertThat(receiveNow(url, 10)).isEmpty();
        send(url, "waiting");
        setQueueAttributes(url, Map.of("DelaySeconds", "600"));
        assertThat(receive(url, 10)).extracting(Message::body).containsExactly("waiting");
        assertThat(count(url, "ApproximateNumberOfMessagesDelayed")).isEqualTo(1);
    }

    @Test
    void delayAbove900SecondsFails() {
        String url = queue("delay-limit", Map.of());
        SendMessageBatchResponse response = sendBatch(url, entry("one").delaySeconds(901));
        assertThat(response.failed()).singleElement().extracting(BatchResultErrorEntry::code)
                .isEqualTo("InvalidParameterValue");
    }

    @Test
    void negativeDelayFailsAnd900SecondsIsTaken() {
        // AWS SendMessageBatchRequestEntry, DelaySeconds: "Valid values: 0 to 900. Maximum: 15 minutes."
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchRequestEntry.html
        String url = queue("delay-range", Map.of());
        SendMessageBatchResponse response = sendBatch(url, entry("negative").id("negative").delaySeconds(-1),
                entry("max").id("max").delaySeconds(900));
        assertFailed(response, "InvalidParameterValue", "negative");
    }

    @Test
    void messageOlderThanTheRetentionPeriodIsDropped() {
        assumeTrue(slowCases(), "the shortest retention SQS allows is 60 s; -Dsluice.conformance.slow=true runs it");
        String url = queue("retention", Map.of("MessageRetentionPeriod", "60"));
        send(url, "old");
        elapse(Duration.ofSeconds(62));
        List<Message> late = receiveNow(url, 10);
        unlessItDeviates(Deviation.RETENTION_NOT_ENFORCED, () -> assertThat(late).hasSize(1));
        assertThat(late).isEmpty();
        assertThat(count(url, "ApproximateNumberOfMessages")).isZero();
    }

    // ---------------------------------------------------------------- long polling and receive bounds

    @Test
    void longPollReturnsAsSoonAsAMessageArrives() throws Exception {
        String url = queue("long-poll", Map.of());
        CompletableFuture<ReceiveMessageResponse> poll = transport().receiveMessage(b -> b.queueUrl(url)
                .waitTimeSeconds(10));
        assertThat(poll).isNotDone();
        send(url, "arrived");
        assertThat(poll.get(5, TimeUnit.SECONDS).messages()).extracting(Message::body).containsExactly("arrived");
    }

    @Test
    void longPollReturnsEmptyAtTheEndOfTheWait() throws Exception {
        String url = queue("long-poll-empty", Map.of());
        long started = System.nanoTime();
        CompletableFuture<ReceiveMessageResponse> poll = transport().receiveMessage(b -> b.queueUrl(url)
                .waitTimeSeconds(1));
        if (virtualTime()) {
            assertThat(poll).isNotDone();
        }
        elapse(Duration.ofSeconds(1));
        assertThat(poll.get(5, TimeUnit.SECONDS).messages()).isEmpty();
        if (!virtualTime()) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }

    @Test
    void longPollReturnsWhenAVisibilityTimeoutEnds() throws Exception {
        String url = queue("long-poll-visibility", Map.of("VisibilityTimeout", "1"));
        send(url, "back");
        receive(url, 1);
        CompletableFuture<ReceiveMessageResponse> poll = transport().receiveMessage(b -> b.queueUrl(url)
                .waitTimeSeconds(10));
        elapse(Duration.ofMillis(1600));
        assertThat(poll.get(5, TimeUnit.SECONDS).messages()).extracting(Message::body).containsExactly("back");
    }

    @Test
    void receiveReturnsNoMoreThanMaxNumberOfMessages() {
        String url = queue("max", Map.of());
        for (int i = 0; i < 15; i++) {
            send(url, "m" + i);
        }
        assertThat(receive(url, 3)).hasSizeBetween(1, 3);
        assertThat(receive(url, 10)).hasSizeBetween(1, 10);
    }

    @Test
    void maxNumberOfMessagesOutsideOneToTenIsRejected() {
        String url = queue("max-range", Map.of());
        assertThat(failure(transport().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(11))))
                .isInstanceOf(SqsException.class);
        assertThat(failure(transport().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(0))))
                .isInstanceOf(SqsException.class);
    }

    // ---------------------------------------------------------------- batch rules

    // AWS batch actions list EmptyBatchRequest (no entries) and InvalidBatchEntryId (an Id that is not 1-80
    // alphanumerics, hyphens and underscores) as errors of the whole call.
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html

    @Test
    void emptySendBatchIsRejected() {
        String url = queue("empty-send", Map.of());
        CompletableFuture<SendMessageBatchResponse> call = transport().sendMessageBatch(b -> b.queueUrl(url)
                .entries(List.of()));
        unlessItDeviates(Deviation.EMPTY_BATCH_ACCEPTED, () -> assertThat(call).succeedsWithin(Duration.ofSeconds(10)));
        assertThat(failure(call)).isInstanceOf(EmptyBatchRequestException.class);
    }

    @Test
    void emptyDeleteBatchIsRejected() {
        String url = queue("empty-delete", Map.of());
        CompletableFuture<DeleteMessageBatchResponse> call = transport().deleteMessageBatch(b -> b.queueUrl(url)
                .entries(List.of()));
        unlessItDeviates(Deviation.EMPTY_BATCH_ACCEPTED, () -> assertThat(call).succeedsWithin(Duration.ofSeconds(10)));
        assertThat(failure(call)).isInstanceOf(EmptyBatchRequestException.class);
    }

    @Test
    void batchOfElevenEntriesIsRejected() {
        String url = queue("eleven", Map.of());
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            entries.add(entry("m" + i).id("e" + i).build());
        }
        assertThat(failure(transport().sendMessageBatch(b -> b.queueUrl(url).entries(entries))))
                .isInstanceOf(TooManyEntriesInBatchRequestException.class);
    }

    @Test
    void batchWithRepeatedEntryIdsIsRejected() {
        String url = queue("repeated", Map.of());
        assertThat(failure(transport().sendMessageBatch(b -> b.queueUrl(url).entries(
                entry("one").id("same").build(), entry("two").id("same").build()))))
                .isInstanceOf(BatchEntryIdsNotDistinctException.class);
    }

    @Test
    void batchEntryIdWithInvalidCharactersIsRejected() {
        String url = queue("bad-id", Map.of());
        CompletableFuture<SendMessageBatchResponse> call = transport().sendMessageBatch(b -> b.queueUrl(url).entries(
                entry("one").id("not valid!").build()));
        unlessItDeviates(Deviation.INVALID_BATCH_ENTRY_ID_ACCEPTED,
                () -> assertThat(call).succeedsWithin(Duration.ofSeconds(10)));
        assertThat(failure(call))
                .isInstanceOf(InvalidBatchEntryIdException.class);
    }

    @Test
    void changeVisibilityBatchWithRepeatedIdsIsRejected() {
        String url = queue("repeated-visibility", Map.of());
        send(url, "one");
        String handle = receive(url, 1).get(0).receiptHandle();
        assertThat(failure(transport().changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(
                ChangeMessageVisibilityBatchRequestEntry.builder().id("x").receiptHandle(handle).visibilityTimeout(1)
                        .build(),
                ChangeMessageVisibilityBatchRequestEntry.builder().id("x").receiptHandle(handle).visibilityTimeout(2)
                        .build()))))
                .isInstanceOf(BatchEntryIdsNotDistinctException.class);
    }

    @Test
    void sendBatchFailsOneEntryAndSendsTheOthers() {
        String url = queue("partial", Map.of());
        SendMessageBatchResponse response = sendBatch(url,
                entry("fine").id("ok1"), entry("bad \u0000 char").id("bad"), entry("also fine").id("ok2"));
        assertThat(response.successful()).extracting(SendMessageBatchResultEntry::id).containsExactlyInAnyOrder("ok1", "ok2");
        assertThat(response.failed()).singleElement().satisfies(failed -> {
            assertThat(failed.id()).isEqualTo("bad");
            assertThat(failed.senderFault()).isTrue();
        });
        assertThat(count(url, "ApproximateNumberOfMessages")).isEqualTo(2);
    }

    @Test
    void batchLargerThanTheLimitIsRejectedAsAWhole() {
        // AWS SendMessageBatch: BatchRequestTooLong when all the messages together are longer than the limit.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
        String url = queue("too-long", Map.of());
        String body = "x".repeat(110 * 1024);
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(entry(body).id("e" + i).build());
        }
        Throwable failure = failure(transport().sendMessageBatch(b -> b.queueUrl(url).entries(entries)));
        assertThat(count(url, "ApproximateNumberOfMessages")).as("nothing of the batch was sent").isZero();
        unlessItDeviates(Deviation.OTHER_BATCH_TOO_LONG_ERROR, () -> assertThat(failure)
                .isInstanceOf(SqsException.class).isNotInstanceOf(BatchRequestTooLongException.class));
        assertThat(failure).isInstanceOf(BatchRequestTooLongException.class);
    }

    // ---------------------------------------------------------------- size and content limits

    @Test
    void bodyOfExactlyTheMaximumSizeIsAccepted() {
        String url = queue("max-size", Map.of("MaximumMessageSize", "1024"));
        assertThat(sendBatch(url, entry("é".repeat(512))).failed()).isEmpty(); // 1024 bytes in UTF-8
        assertThat(receive(url, 1)).singleElement().extracting(Message::body).isEqualTo("é".repeat(512));
    }

    @Test
    void bodyOverTheMaximumSizeIsRejected() {
        // AWS: a queue's MaximumMessageSize is how many bytes a message can hold before SQS rejects it.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
        String url = queue("over-size", Map.of("MaximumMessageSize", "1024"));
        SendMessageBatchResponse response = sendBatch(url, entry("x".repeat(1025)));
        unlessItDeviates(Deviation.QUEUE_MAXIMUM_MESSAGE_SIZE_IGNORED, () -> assertThat(response.failed()).isEmpty());
        assertThat(response.failed()).singleElement().extracting(BatchResultErrorEntry::code)
                .isEqualTo("InvalidParameterValue");
    }

    @Test
    void bodyAndAttributesTogetherOverTheMaximumSizeAreRejected() {
        // AWS MessageAttributeValue: "All parts of the message attribute, including Name, Type, and Value, are part of
        // the message size restriction". Here 4 + 6 + 5 bytes of attribute: with 1,009 bytes of body the message fills
        // the queue's MaximumMessageSize of 1,024; with 1,010 it is over.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageAttributeValue.html
        String url = queue("over-size-attributes", Map.of("MaximumMessageSize", "1024"));
        Map<String, MessageAttributeValue> attributes = Map.of("name", stringAttribute("value"));
        SendMessageBatchResponse response = sendBatch(url,
                entry("x".repeat(1009)).id("fits").messageAttributes(attributes),
                entry("x".repeat(1010)).id("over").messageAttributes(attributes));
        unlessItDeviates(Deviation.QUEUE_MAXIMUM_MESSAGE_SIZE_IGNORED, () -> assertThat(response.failed()).isEmpty());
        assertFailed(response, "InvalidParameterValue", "over");
    }

    @Test
    void bodyWithCharactersOutsideTheAllowedSetIsRejected() {
        // AWS SendMessage: InvalidMessageContents for characters outside the allowed set.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
        String url = queue("characters", Map.of());
        SendMessageBatchResponse response = sendBatch(url, entry("nul \u0000 here"));
        assertThat(response.failed()).as("rejected").hasSize(1);
        unlessItDeviates(Deviation.OTHER_INVALID_CONTENTS_CODE, () -> assertThat(response.failed().get(0).code())
                .isNotEqualTo("InvalidMessageContents"));
        assertThat(response.failed().get(0).code()).isEqualTo("InvalidMessageContents");
    }

    @Test
    void emptyBodyIsRejected() {
        String url = queue("empty-body", Map.of());
        assertThat(sendBatch(url, entry("")).failed()).hasSize(1);
    }

    @Test
    void moreThanTenMessageAttributesAreRejected() {
        String url = queue("eleven-attributes", Map.of());
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        for (int i = 0; i < 11; i++) {
            attributes.put("a" + i, stringAttribute("v"));
        }
        SendMessageBatchResponse response;
        try {
            response = sendBatch(url, entry("one").messageAttributes(attributes));
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(SqsException.class);
            return;
        }
        assertThat(response.failed()).hasSize(1);
    }

    // ---------------------------------------------------------------- queues

    @Test
    void receiveFromAMissingQueueFailsWithQueueDoesNotExist() {
        String url = queue("exists", Map.of());
        String missing = url.substring(0, url.lastIndexOf('/') + 1) + "missing-" + run;
        assertThat(failure(transport().receiveMessage(b -> b.queueUrl(missing))))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void queueUrlOfAMissingQueueFailsWithQueueDoesNotExist() {
        assertThat(failure(transport().getQueueUrl(GetQueueUrlRequest.builder().queueName("missing-" + run).build())))
                .isInstanceOf(QueueDoesNotExistException.class);
    }

    @Test
    void creatingAnExistingQueueReturnsItsUrlOrFailsWhenAttributesDiffer() {
        String name = "c" + run + "-again";
        String url = transport().createQueue(CreateQueueRequest.builder().queueName(name)
                .attributesWithStrings(Map.of("VisibilityTimeout", "10")).build()).join().queueUrl();
        assertThat(transport().createQueue(CreateQueueRequest.builder().queueName(name)
                .attributesWithStrings(Map.of("VisibilityTimeout", "10")).build()).join().queueUrl()).isEqualTo(url);
        assertThat(transport().getQueueUrl(b -> b.queueName(name)).join().queueUrl()).isEqualTo(url);
        assertThat(failure(transport().createQueue(CreateQueueRequest.builder().queueName(name)
                .attributesWithStrings(Map.of("VisibilityTimeout", "20")).build())))
                .isInstanceOf(QueueNameExistsException.class);
    }

    @Test
    void queueAttributesCountVisibleInFlightAndReportSettings() {
        String url = queue("counts", Map.of("VisibilityTimeout", "600"));
        send(url, "one");
        send(url, "two");
        receive(url, 1);
        Map<String, String> attributes = attributes(url);
        assertThat(attributes).containsEntry("ApproximateNumberOfMessages", "1")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "1")
                .containsEntry("VisibilityTimeout", "600")
                .containsKey("QueueArn")
                .containsKey("CreatedTimestamp");
        assertThat(attributes.get("QueueArn")).startsWith("arn:aws:sqs:").endsWith(":" + url.substring(url.lastIndexOf('/') + 1));
    }
}
