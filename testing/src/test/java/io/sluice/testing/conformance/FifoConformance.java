package io.sluice.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * The FIFO cases of the conformance suite: order within a group, which messages of a group a receive may take,
 * deduplication, and the parameters only FIFO queues accept. Run through {@link TransportConformance}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FifoConformance extends ConformanceSupport {

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
    void fifoGroupIsLockedWhileOneOfItsMessagesIsInFlight() {
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

    @Test
    void fifoSendWithoutMessageGroupIdFails() {
        String url = fifoQueue("no-group", Map.of());
        SendMessageBatchResponse response = sendBatch(url, entry("one").messageDeduplicationId("d"));
        assertThat(response.failed()).singleElement().extracting(BatchResultErrorEntry::code)
                .isEqualTo("MissingParameter");
    }

    @Test
    void fifoSendWithoutDeduplicationIdOrContentBasedDeduplicationFails() {
        String url = fifoQueue("no-dedup", Map.of());
        SendMessageBatchResponse response = sendBatch(url, entry("one").messageGroupId("g"));
        assertThat(response.failed()).singleElement().extracting(BatchResultErrorEntry::code)
                .isEqualTo("InvalidParameterValue");
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
