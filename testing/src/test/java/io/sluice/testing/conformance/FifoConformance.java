package io.sluice.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The FIFO cases of the conformance suite: order within a group, which messages of a group a receive may take,
 * deduplication, and the parameters only FIFO queues accept. Run through {@link TransportConformance}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FifoConformance extends AttributesConformance {

    // ---------------------------------------------------------------- FIFO

    @Test
    void fifoQueueDeliversAGroupInTheOrderSent() {
        String url = fifoQueue("order", Map.of());
        for (int i = 1; i <= 5; i++) {
            send(url, entry("m" + i).messageGroupId("g").messageDeduplicationId("d" + i));
        }
        List<String> bodies = new ArrayList<>();
        while (bodies.size() < 5) {
            List<Message> messages = receive(url, 10);
            assertThat(messages).isNotEmpty();
            messages.forEach(message -> bodies.add(message.body()));
            delete(url, messages.stream().map(Message::receiptHandle).toArray(String[]::new));
        }
        assertThat(bodies).containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void fifoGroupHoldsBackTheMessagesBehindOneInFlight() {
        String url = fifoQueue("locked", Map.of());
        send(url, entry("a1").messageGroupId("a").messageDeduplicationId("a1"));
        send(url, entry("a2").messageGroupId("a").messageDeduplicationId("a2"));
        assertThat(receive(url, 1)).extracting(Message::body).containsExactly("a1");
        assertThat(receiveNow(url, 10)).isEmpty();
        send(url, entry("b1").messageGroupId("b").messageDeduplicationId("b1"));
        assertThat(receive(url, 10)).extracting(Message::body).containsExactly("b1");
    }

    @Test
    void fifoGroupUnlocksWhenItsInFlightMessageIsDeleted() {
        String url = fifoQueue("unlock-delete", Map.of());
        send(url, entry("a1").messageGroupId("a").messageDeduplicationId("a1"));
        send(url, entry("a2").messageGroupId("a").messageDeduplicationId("a2"));
        Message first = receive(url, 1).get(0);
        delete(url, first.receiptHandle());
        assertThat(receive(url, 10)).extracting(Message::body).containsExactly("a2");
    }

    @Test
    void fifoGroupRedeliversItsHeadFirstAfterTheVisibilityTimeout() {
        String url = fifoQueue("unlock-timeout", Map.of("VisibilityTimeout", "1"));
        send(url, entry("a1").messageGroupId("a").messageDeduplicationId("a1"));
        send(url, entry("a2").messageGroupId("a").messageDeduplicationId("a2"));
        assertThat(receive(url, 1)).extracting(Message::body).containsExactly("a1");
        elapse(Duration.ofMillis(1600));
        assertThat(receive(url, 1)).extracting(Message::body).containsExactly("a1");
    }

    @Test
    void fifoGroupHandsOutItsVisibleHeadAgainWhileLaterMessagesAreInFlight() {
        // AWS, FIFO delivery logic: "When you receive a message with a message group ID, no more messages for the same
        // message group ID are returned unless you delete the message or it becomes visible." The head made visible
        // again is returned at once although m2 is still in flight: the lock is on the order of delivery, not on the
        // group, so m3 (behind m2) is not.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
        String url = fifoQueue("visible-head", Map.of("VisibilityTimeout", "30"));
        for (int i = 1; i <= 3; i++) {
            send(url, entry("m" + i).messageGroupId("g").messageDeduplicationId("d" + i));
        }
        List<Message> first = receive(url, 2);
        assertThat(first).extracting(Message::body).containsExactly("m1", "m2");
        assertThat(changeVisibility(url, first.get(0).receiptHandle(), 0).failed()).isEmpty();
        List<Message> again = receive(url, 10);
        assertThat(again).extracting(Message::body).containsExactly("m1");
    }

    @Test
    void fifoReceiveWithZeroVisibilityTimeoutReturnsSeveralMessagesOfAGroup() {
        // AWS, FIFO delivery logic: "It is possible to receive up to 10 messages in a single call ... These messages
        // retain their FIFO order and can have the same message group ID." With VisibilityTimeout=0 none of them is
        // in flight, so nothing holds the group back: every receive returns the group from its head, in order.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
        String url = fifoQueue("zero-visibility", Map.of());
        for (int i = 1; i <= 3; i++) {
            send(url, entry("m" + i).messageGroupId("g").messageDeduplicationId("d" + i));
        }
        assertThat(receive(url, b -> b.maxNumberOfMessages(10).visibilityTimeout(0))).extracting(Message::body)
                .containsExactly("m1", "m2", "m3");
        assertThat(receive(url, b -> b.maxNumberOfMessages(10).visibilityTimeout(0))).extracting(Message::body)
                .containsExactly("m1", "m2", "m3");
    }

    @Test
    void fifoQueueDelayChangeAppliesToMessagesAlreadyInTheQueue() {
        // AWS, Amazon SQS delay queues: "For FIFO queues, the per-queue delay setting is retroactive—changing the
        // setting affects the delay of messages already in the queue."
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html
        String url = fifoQueue("retroactive-delay", Map.of("DelaySeconds", "600"));
        send(url, entry("delayed").messageGroupId("a").messageDeduplicationId("a1"));
        assertThat(receiveNow(url, 10)).isEmpty();
        setQueueAttributes(url, Map.of("DelaySeconds", "0"));
        List<Message> shortened = receive(url, 10);
        unlessItDeviates(Deviation.FIFO_QUEUE_DELAY_NOT_RETROACTIVE, () -> assertThat(shortened).isEmpty());
        assertThat(shortened).extracting(Message::body).containsExactly("delayed");

        send(url, entry("waiting").messageGroupId("b").messageDeduplicationId("b1"));
        setQueueAttributes(url, Map.of("DelaySeconds", "600"));
        assertThat(receiveNow(url, 10)).as("a waiting message, delayed by the longer delay").isEmpty();
        assertThat(count(url, "ApproximateNumberOfMessagesDelayed")).isEqualTo(1);
    }

    // FIFO receipt handles expire with their visibility timeout. AWS ChangeMessageVisibility: a change or a delete
    // after the timeout has run out "might result in an error"; on a FIFO queue it does, InvalidParameterValue "Value
    // <handle> for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.", and the message is
    // delivered again: no one can delete a message that another consumer may already hold.
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html

    @Test
    void fifoDeleteWithAnExpiredReceiptHandleFailsAndTheMessageComesBack() {
        String url = fifoQueue("expired-delete", Map.of("VisibilityTimeout", "1"));
        String id = send(url, entry("one").messageGroupId("g").messageDeduplicationId("d")).messageId();
        Message message = receive(url, 1).get(0);
        elapse(Duration.ofMillis(1600));
        DeleteMessageBatchResponse response = delete(url, message.receiptHandle());
        unlessItDeviates(Deviation.FIFO_EXPIRED_HANDLE_ACCEPTED, () -> assertThat(response.failed()).isEmpty());
        assertExpired(response.failed(), message.receiptHandle());
        assertThat(receive(url, 1)).singleElement().extracting(Message::messageId).isEqualTo(id);
    }

    @Test
    void fifoDeleteWithASupersededReceiptHandleFailsAndTheLatestOneDeletes() {
        String url = fifoQueue("superseded-delete", Map.of());
        send(url, entry("one").messageGroupId("g").messageDeduplicationId("d"));
        Message first = receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0)).get(0);
        Message second = receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(600)).get(0);
        DeleteMessageBatchResponse superseded = delete(url, first.receiptHandle());
        unlessItDeviates(Deviation.STALE_HANDLE_REJECTED, () -> assertThat(superseded.failed()).singleElement()
                .extracting(BatchResultErrorEntry::code).isEqualTo("ReceiptHandleIsInvalid"));
        assertExpired(superseded.failed(), first.receiptHandle());
        assertThat(count(url, "ApproximateNumberOfMessagesNotVisible")).isEqualTo(1);
        assertThat(delete(url, second.receiptHandle()).failed()).isEmpty();
    }

    @Test
    void fifoVisibilityChangeWithAnExpiredReceiptHandleFails() {
        String url = fifoQueue("expired-change", Map.of("VisibilityTimeout", "1"));
        send(url, entry("one").messageGroupId("g").messageDeduplicationId("d"));
        Message message = receive(url, 1).get(0);
        elapse(Duration.ofMillis(1600));
        ChangeMessageVisibilityBatchResponse response = changeVisibility(url, message.receiptHandle(), 600);
        unlessItDeviates(Deviation.FIFO_EXPIRED_HANDLE_ACCEPTED, () -> assertThat(response.failed()).isEmpty());
        assertExpired(response.failed(), message.receiptHandle());
        assertThat(receive(url, 1)).hasSize(1);
    }

    private static void assertExpired(List<BatchResultErrorEntry> failed, String handle) {
        assertThat(failed).singleElement().satisfies(entry -> {
            assertThat(entry.code()).isEqualTo("InvalidParameterValue");
            assertThat(entry.message()).isEqualTo("Value " + handle + " for parameter ReceiptHandle is invalid. Reason:"
                    + " The receipt handle has expired.");
            assertThat(entry.senderFault()).isTrue();
        });
    }

    // ---------------------------------------------------------------- receive request attempt ids

    // AWS ReceiveMessage, ReceiveRequestAttemptId: "This parameter applies only to FIFO (first-in-first-out) queues.
    // The token used for deduplication of ReceiveMessage calls. ... You can use ReceiveRequestAttemptId only for 5
    // minutes after a ReceiveMessage action. ... It is possible to retry the ReceiveMessage action with the same
    // ReceiveRequestAttemptId if none of the messages have been modified (deleted or had their visibility changes).
    // During a visibility timeout, subsequent calls with the same ReceiveRequestAttemptId return the same messages and
    // receipt handles. If a retry occurs within the deduplication interval, it resets the visibility timeout. ... The
    // maximum length of ReceiveRequestAttemptId is 128 characters. ReceiveRequestAttemptId can contain alphanumeric
    // characters (a-z, A-Z, 0-9) and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)."
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html

    @Test
    void fifoReceiveRetriedWithTheSameAttemptIdReturnsTheSameMessagesAndHandles() {
        String url = fifoQueue("attempt", Map.of("VisibilityTimeout", "30"));
        send(url, entry("m1").messageGroupId("g").messageDeduplicationId("d1"));
        send(url, entry("m2").messageGroupId("g").messageDeduplicationId("d2"));
        List<Message> first = receive(url, b -> b.maxNumberOfMessages(10).receiveRequestAttemptId("attempt-1"));
        assertThat(first).extracting(Message::body).containsExactly("m1", "m2");
        List<Message> retried = receive(url, b -> b.maxNumberOfMessages(10).receiveRequestAttemptId("attempt-1"));
        assertThat(retried).extracting(Message::messageId)
                .containsExactlyElementsOf(first.stream().map(Message::messageId).toList());
        List<String> handles = first.stream().map(Message::receiptHandle).toList();
        unlessItDeviates(Deviation.RETRIED_RECEIVE_GETS_NEW_HANDLES, () -> assertThat(retried)
                .extracting(Message::receiptHandle).doesNotContainAnyElementsOf(handles));
        assertThat(retried).extracting(Message::receiptHandle).containsExactlyElementsOf(handles);
        assertThat(receive(url, b -> b.maxNumberOfMessages(10).waitTimeSeconds(0).receiveRequestAttemptId("attempt-2")))
                .as("another attempt id is another receive: the group is in flight").isEmpty();
    }

    @Test
    void fifoReceiveRetriedWithTheSameAttemptIdRestartsTheVisibilityTimeout() {
        // 4 s and 2.5 s steps: a real server must see the checks well inside each window, even on a slow machine.
        String url = fifoQueue("attempt-visibility", Map.of("VisibilityTimeout", "4"));
        send(url, entry("m1").messageGroupId("g").messageDeduplicationId("d1"));
        assertThat(receive(url, b -> b.receiveRequestAttemptId("attempt"))).hasSize(1);
        elapse(Duration.ofMillis(2500));
        assertThat(receive(url, b -> b.receiveRequestAttemptId("attempt"))).hasSize(1);
        elapse(Duration.ofMillis(2500)); // 5 s after the receive, 2.5 s after its retry
        assertThat(receiveNow(url, 10)).isEmpty();
        elapse(Duration.ofMillis(2000));
        assertThat(receive(url, 10)).extracting(Message::body).containsExactly("m1");
    }

    @Test
    void fifoReceiveRetriedAfterOneOfItsMessagesWasDeletedFails() {
        String url = fifoQueue("attempt-modified", Map.of());
        send(url, entry("m1").messageGroupId("g").messageDeduplicationId("d1"));
        send(url, entry("m2").messageGroupId("g").messageDeduplicationId("d2"));
        List<Message> first = receive(url, b -> b.maxNumberOfMessages(10).receiveRequestAttemptId("attempt"));
        assertThat(delete(url, first.get(0).receiptHandle()).failed()).isEmpty();
        // AWS answers a ReceiveRequestAttemptId that can no longer be retried with InvalidParameterValue "Value <id> for
        // parameter ReceiveRequestAttemptId is invalid. Reason: The receiveRequestAttemptId is not valid anymore since
        // the receive call is not retryable." (as reported from AWS in awslabs/amazon-sqs-java-messaging-lib#213).
        Throwable retried = failure(transport().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .receiveRequestAttemptId("attempt")));
        unlessItDeviates(Deviation.NOT_RETRYABLE_ATTEMPT_IS_A_SERVER_ERROR, () -> assertThat(retried)
                .isInstanceOfSatisfying(SqsException.class, error -> assertThat(error.statusCode()).isEqualTo(500)));
        assertThat(retried).isInstanceOfSatisfying(SqsException.class, error -> {
            assertThat(error.statusCode()).as("a client error").isEqualTo(400);
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
        });
    }

    @Test
    void fifoReceiveAttemptIdIsForgottenAfterFiveMinutes() {
        assumeTrue(virtualTime(), "needs five minutes; runs on virtual time only");
        String url = fifoQueue("attempt-window", Map.of("VisibilityTimeout", "600"));
        send(url, entry("m1").messageGroupId("g").messageDeduplicationId("d1"));
        assertThat(receive(url, b -> b.receiveRequestAttemptId("attempt"))).hasSize(1);
        elapse(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(receive(url, b -> b.receiveRequestAttemptId("attempt"))).as("a new receive: m1 is in flight")
                .isEmpty();
    }

    @Test
    void invalidReceiveRequestAttemptIdIsRejected() {
        String url = fifoQueue("attempt-invalid", Map.of());
        for (String invalid : List.of("with space", "a".repeat(129))) {
            assertThat(failure(transport().receiveMessage(b -> b.queueUrl(url).receiveRequestAttemptId(invalid))))
                    .isInstanceOfSatisfying(SqsException.class, error ->
                            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        }
    }

    @Test
    void standardQueueIgnoresReceiveRequestAttemptId() {
        String url = queue("attempt-standard", Map.of("VisibilityTimeout", "30"));
        send(url, "one");
        send(url, "two");
        CompletableFuture<ReceiveMessageResponse> first = transport().receiveMessage(b -> b.queueUrl(url)
                .waitTimeSeconds(pollWait()).receiveRequestAttemptId("same"));
        unlessItDeviates(Deviation.RECEIVE_ATTEMPT_ID_REJECTED_ON_STANDARD_QUEUE,
                () -> assertThat(failure(first)).isInstanceOf(SqsException.class));
        Message one = first.join().messages().get(0);
        Message other = receive(url, b -> b.maxNumberOfMessages(1).receiveRequestAttemptId("same")).get(0);
        assertThat(other.messageId()).as("a new receive, not a retry").isNotEqualTo(one.messageId());
    }

    @Test
    void duplicateDeduplicationIdIsAcceptedButNotDeliveredAgain() {
        String url = fifoQueue("dedup", Map.of());
        String first = send(url, entry("one").messageGroupId("g").messageDeduplicationId("same")).messageId();
        String second = send(url, entry("one again").messageGroupId("g").messageDeduplicationId("same")).messageId();
        assertThat(second).isEqualTo(first);
        List<Message> messages = receive(url, 10);
        assertThat(messages).extracting(Message::body).containsExactly("one");
        delete(url, messages.get(0).receiptHandle());
        assertThat(receiveNow(url, 10)).isEmpty();
    }

    @Test
    void contentBasedDeduplicationDropsAnIdenticalBody() {
        String url = fifoQueue("content-dedup", Map.of("ContentBasedDeduplication", "true"));
        String first = send(url, entry("same body").messageGroupId("g")).messageId();
        assertThat(send(url, entry("same body").messageGroupId("g")).messageId()).isEqualTo(first);
        send(url, entry("other body").messageGroupId("g"));
        assertThat(count(url, "ApproximateNumberOfMessages")).isEqualTo(2);
    }

    @Test
    void deduplicationWindowEndsAfterFiveMinutes() {
        assumeTrue(virtualTime(), "needs five minutes; runs on virtual time only");
        String url = fifoQueue("dedup-window", Map.of());
        String first = send(url, entry("one").messageGroupId("g").messageDeduplicationId("same")).messageId();
        elapse(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(send(url, entry("one").messageGroupId("g").messageDeduplicationId("same")).messageId())
                .isNotEqualTo(first);
    }

    // AWS SendMessageBatchRequestEntry, MessageGroupId: "If you do not provide a MessageGroupId when sending a message
    // to a FIFO queue, the action fails." MessageDeduplicationId: "If you don't provide a MessageDeduplicationId and the
    // queue doesn't have ContentBasedDeduplication set, the action fails with an error." The action, not the entry:
    // SQS answers the whole SendMessageBatch with InvalidParameterValue ("The request must contain the parameter
    // MessageGroupId." / "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId
    // provided explicitly") and sends none of its entries, as recorded from AWS in localstack/localstack
    // tests/aws/services/sqs/test_sqs.snapshot.json (test_send_batch_missing_message_group_id_for_fifo_queue,
    // test_send_batch_missing_deduplication_id_for_fifo_queue). (Changed from a failed entry with MissingParameter.)
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchRequestEntry.html

    @Test
    void fifoSendWithoutMessageGroupIdFailsTheWholeBatch() {
        assertWholeBatchFails("no-group", entry("one").id("no-group").messageDeduplicationId("d2"), "MissingParameter");
    }

    @Test
    void fifoSendWithoutDeduplicationIdOrContentBasedDeduplicationFailsTheWholeBatch() {
        assertWholeBatchFails("no-dedup", entry("one").id("no-dedup").messageGroupId("g"), "InvalidParameterValue");
    }

    /**
     * Sends {@code missing} after a valid entry to a new FIFO queue and asserts that the call failed as a whole and sent
     * nothing; a transport that deviates fails {@code missing} alone, with {@code entryCode}.
     */
    private void assertWholeBatchFails(String purpose, SendMessageBatchRequestEntry.Builder missing, String entryCode) {
        String url = fifoQueue(purpose, Map.of());
        SendMessageBatchRequestEntry bad = missing.build();
        CompletableFuture<SendMessageBatchResponse> call = transport().sendMessageBatch(b -> b.queueUrl(url).entries(
                entry("fine").id("fine").messageGroupId("g").messageDeduplicationId("d1").build(), bad));
        unlessItDeviates(Deviation.FIFO_ENTRY_WITHOUT_ID_FAILS_ALONE,
                () -> assertFailed(call.join(), entryCode, bad.id()));
        assertThat(failure(call)).isInstanceOfSatisfying(SqsException.class, error -> {
            assertThat(error.statusCode()).isEqualTo(400);
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
        });
        assertThat(count(url, "ApproximateNumberOfMessages")).as("nothing of the batch was sent").isZero();
    }

    @Test
    void fifoSendWithPerMessageDelayFails() {
        // AWS: FIFO queues support delay queues (per queue) but no per-message DelaySeconds.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-timers.html
        String url = fifoQueue("fifo-delay", Map.of());
        SendMessageBatchResponse response = sendBatch(url,
                entry("one").messageGroupId("g").messageDeduplicationId("d").delaySeconds(5));
        assertThat(response.failed()).singleElement().extracting(BatchResultErrorEntry::code)
                .isEqualTo("InvalidParameterValue");
    }

    @Test
    void deduplicationIdIsOneTo128AlphanumericOrPunctuationCharacters() {
        // AWS SendMessage, MessageDeduplicationId: "The maximum length of MessageDeduplicationId is 128 characters.
        // MessageDeduplicationId can contain alphanumeric characters (a-z, A-Z, 0-9) and punctuation
        // (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)." An empty one is invalid too: SQS answers "Value  for parameter
        // MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and
        // punctuation characters. 1 to 128 in length." (recorded from AWS in localstack/localstack
        // tests/aws/services/sqs/test_sqs.snapshot.json, test_message_deduplication_id_invalid).
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
        String url = fifoQueue("dedup-ids", Map.of("ContentBasedDeduplication", "true"));
        SendMessageBatchResponse response = sendBatch(url,
                entry("1").id("empty").messageGroupId("g").messageDeduplicationId(""),
                entry("2").id("long").messageGroupId("g").messageDeduplicationId("d".repeat(129)),
                entry("3").id("space").messageGroupId("g").messageDeduplicationId("with space"),
                entry("4").id("max").messageGroupId("g").messageDeduplicationId("d".repeat(128)),
                entry("5").id("punctuation").messageGroupId("g")
                        .messageDeduplicationId("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"));
        assertFailed(response, "InvalidParameterValue", "empty", "long", "space");
    }

    @Test
    void fifoQueueRejectsAnInvalidMessageGroupId() {
        // AWS, Amazon SQS message quotas, Message group ID: "MessageGroupId is required for FIFO queues. ... The length
        // of MessageGroupId is 128 characters. Valid values: alphanumeric characters and punctuation
        // (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)."
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
        String url = fifoQueue("group-ids", Map.of("ContentBasedDeduplication", "true"));
        SendMessageBatchResponse response = sendBatch(url,
                entry("1").id("empty").messageGroupId(""),
                entry("2").id("long").messageGroupId("g".repeat(129)),
                entry("3").id("space").messageGroupId("group 1"),
                entry("4").id("max").messageGroupId("g".repeat(128)));
        assertFailed(response, "InvalidParameterValue", "empty", "long", "space");
    }

    @Test
    void deduplicationIdOnAStandardQueueFails() {
        // AWS: SendMessage's MessageDeduplicationId applies only to FIFO queues.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
        String url = queue("standard-dedup", Map.of());
        SendMessageBatchResponse response = sendBatch(url, entry("one").messageDeduplicationId("d"));
        assertThat(response.failed()).singleElement().extracting(BatchResultErrorEntry::code)
                .isEqualTo("InvalidParameterValue");
    }

    // ---------------------------------------------------------------- FIFO system attributes and dead-letter queues

    @Test
    void fifoMessagesCarryGroupDeduplicationIdAndSequenceNumber() {
        // AWS: SendMessageBatchResultEntry.SequenceNumber is returned for FIFO queues.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchResultEntry.html
        String url = fifoQueue("fifo-attributes", Map.of());
        SendMessageBatchResultEntry sent = send(url, entry("one").messageGroupId("g1").messageDeduplicationId("d1"));
        Message message = receive(url, 1).get(0);
        assertThat(message.attributesAsStrings())
                .containsEntry("MessageGroupId", "g1")
                .containsEntry("MessageDeduplicationId", "d1")
                .containsKey("SequenceNumber");
        unlessItDeviates(Deviation.NO_SEQUENCE_NUMBER_ON_SEND, () -> assertThat(sent.sequenceNumber()).isNull());
        assertThat(sent.sequenceNumber()).isNotBlank().isEqualTo(message.attributesAsStrings().get("SequenceNumber"));
    }

    @Test
    void fifoQueueDeadLettersIntoItsFifoDeadLetterQueue() {
        String dlq = fifoQueue("fifo-dlq", Map.of());
        String url = fifoQueue("fifo-redriven", Map.of("RedrivePolicy", redrivePolicy(dlq, 1)));
        String id = send(url, entry("poison").messageGroupId("g").messageDeduplicationId("p")).messageId();
        receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0));
        assertThat(receiveNow(url, 10)).isEmpty();
        assertThat(receive(dlq, 1)).singleElement().satisfies(dead -> {
            assertThat(dead.messageId()).isEqualTo(id);
            assertThat(dead.attributesAsStrings()).containsEntry("MessageGroupId", "g");
        });
    }

    @Test
    void fifoDeadLetterQueueCountsRetentionFromTheMove() {
        // AWS, Setting-up dead-letter queue retention: "For FIFO queues, the enqueue timestamp resets when the message
        // is moved to a dead-letter queue."
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
        assumeTrue(slowCases(), "needs 95 s (the shortest retention is 60 s); -Dsluice.conformance.slow=true runs it");
        String dlq = fifoQueue("fifo-dlq-retention", Map.of("MessageRetentionPeriod", "60"));
        String url = fifoQueue("fifo-retention-source", Map.of("RedrivePolicy", redrivePolicy(dlq, 1)));
        String id = send(url, entry("poison").messageGroupId("g").messageDeduplicationId("p")).messageId();
        receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0));
        elapse(Duration.ofSeconds(30));
        assertThat(receiveNow(url, 10)).isEmpty(); // moves it, 30 s after its send
        elapse(Duration.ofSeconds(40)); // 70 s after the send, 40 s after the move
        assertThat(receive(dlq, b -> b.maxNumberOfMessages(1).visibilityTimeout(0))).singleElement()
                .extracting(Message::messageId).isEqualTo(id);
        elapse(Duration.ofSeconds(25)); // 65 s after the move
        List<Message> late = receive(dlq, b -> b.maxNumberOfMessages(10).visibilityTimeout(0).waitTimeSeconds(0));
        unlessItDeviates(Deviation.RETENTION_NOT_ENFORCED, () -> assertThat(late).hasSize(1));
        assertThat(late).isEmpty();
    }
}
