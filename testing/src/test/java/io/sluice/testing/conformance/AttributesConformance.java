package io.sluice.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * The attribute cases of the conformance suite: system attributes and when they are returned, message attributes and
 * their selection on receive (names, prefixes, All), their MD5s, and a fair queue's MessageGroupId. Run through {@link
 * TransportConformance}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AttributesConformance extends ConformanceSupport {

    // ---------------------------------------------------------------- system attributes

    @Test
    void approximateReceiveCountGrowsWithEachReceive() {
        String url = queue("count", Map.of());
        send(url, "one");
        for (int expected = 1; expected <= 3; expected++) {
            Message message = receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0)).get(0);
            assertThat(message.attributesAsStrings()).containsEntry("ApproximateReceiveCount",
                    Integer.toString(expected));
        }
    }

    @Test
    void timestampsRecordTheSendAndTheFirstReceive() {
        String url = queue("timestamps", Map.of());
        long before = nowMillis();
        send(url, "one");
        Message first = receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0)).get(0);
        elapse(Duration.ofMillis(1100));
        Message second = receive(url, b -> b.maxNumberOfMessages(1).visibilityTimeout(0)).get(0);
        long sent = Long.parseLong(first.attributesAsStrings().get("SentTimestamp"));
        long firstReceive = Long.parseLong(first.attributesAsStrings().get("ApproximateFirstReceiveTimestamp"));
        assertThat(sent).isBetween(before - 1000, nowMillis() + 1000);
        assertThat(firstReceive).isGreaterThanOrEqualTo(sent);
        assertThat(second.attributesAsStrings())
                .containsEntry("ApproximateFirstReceiveTimestamp", Long.toString(firstReceive))
                .containsEntry("SentTimestamp", Long.toString(sent));
    }

    @Test
    void systemAttributesAreReturnedOnlyWhenAskedFor() {
        String url = queue("no-attributes", Map.of());
        send(url, "one");
        Message message = transport().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(pollWait())).join()
                .messages().get(0);
        assertThat(message.attributesAsStrings()).doesNotContainKey("ApproximateReceiveCount");
        assertThat(message.messageAttributes()).isEmpty();
    }

    // ---------------------------------------------------------------- fair queues

    @Test
    void standardQueueTakesAMessageGroupIdAsATenantAndReturnsIt() {
        // AWS SendMessage, MessageGroupId: "In standard queues, using MessageGroupId enables fair queues. It is used to
        // identify the tenant a message belongs to ... Unlike FIFO queues, messages with the same MessageGroupId can be
        // processed in parallel". ReceiveMessage, MessageSystemAttributeNames: "MessageGroupId – Returns the value
        // provided by the producer that calls the SendMessage action."
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
        String url = queue("fair", Map.of());
        send(url, entry("first").messageGroupId("tenant-a"));
        send(url, entry("second").messageGroupId("tenant-a"));
        Message one = receive(url, 1).get(0);
        Message other = receive(url, 1).get(0); // the first is in flight: a standard queue does not hold the group
        assertThat(List.of(one.body(), other.body())).containsExactlyInAnyOrder("first", "second");
        assertThat(List.of(one, other)).allSatisfy(message -> assertThat(message.attributesAsStrings())
                .containsEntry("MessageGroupId", "tenant-a")
                .doesNotContainKeys("MessageDeduplicationId", "SequenceNumber"));
    }

    @Test
    void standardQueueRejectsAnInvalidMessageGroupId() {
        // AWS SendMessage, MessageGroupId: "The maximum length of MessageGroupId is 128 characters. Valid values:
        // alphanumeric characters and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)."
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
        String url = queue("fair-invalid", Map.of());
        SendMessageBatchResponse response = sendBatch(url, entry("space").id("space").messageGroupId("tenant a"),
                entry("long").id("long").messageGroupId("t".repeat(129)),
                entry("fine").id("fine").messageGroupId("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" + "t".repeat(96)));
        assertThat(response.successful()).extracting(SendMessageBatchResultEntry::id).containsExactly("fine");
        assertThat(response.failed()).extracting(BatchResultErrorEntry::id).containsExactlyInAnyOrder("space", "long");
        assertThat(response.failed()).extracting(BatchResultErrorEntry::code).containsOnly("InvalidParameterValue");
    }

    // ---------------------------------------------------------------- content

    @Test
    void messageAttributesRoundTripWithTheirMd5() throws Exception {
        String url = queue("attributes", Map.of());
        Map<String, MessageAttributeValue> attributes = Map.of(
                "text", stringAttribute("héllo"),
                "amount", MessageAttributeValue.builder().dataType("Number").stringValue("12.5").build(),
                "blob", MessageAttributeValue.builder().dataType("Binary")
                        .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3})).build(),
                "custom", MessageAttributeValue.builder().dataType("String.Custom").stringValue("x").build());
        SendMessageBatchResultEntry sent = send(url, entry("with attributes").messageAttributes(attributes));
        String expectedMd5 = md5OfAttributes(attributes);
        assertThat(sent.md5OfMessageAttributes()).isEqualTo(expectedMd5);
        Message message = receive(url, 1).get(0);
        assertThat(message.messageAttributes()).isEqualTo(attributes);
        assertThat(message.md5OfMessageAttributes()).isEqualTo(expectedMd5);
    }

    @Test
    void onlyTheRequestedMessageAttributesAreReturned() {
        String url = queue("some-attributes", Map.of());
        send(url, entry("one").messageAttributes(Map.of("wanted", stringAttribute("1"), "other", stringAttribute("2"))));
        Message message = transport().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(pollWait())
                .messageAttributeNames("wanted")).join().messages().get(0);
        assertThat(message.messageAttributes()).containsOnlyKeys("wanted");
    }

    @Test
    void md5OfBodyIsTheMd5OfTheUtf8Body() throws Exception {
        String url = queue("md5", Map.of());
        String body = "{\"order\": \"ünïcödé ✓ 😀\"}";
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(send(url, body).md5OfMessageBody()).isEqualTo(expected);
        Message message = receive(url, 1).get(0);
        assertThat(message.body()).isEqualTo(body);
        assertThat(message.md5OfBody()).isEqualTo(expected);
    }

    @Test
    void messageAttributesStartingWithARequestedPrefixAreReturned() throws Exception {
        // AWS ReceiveMessage, MessageAttributeNames: "When using ReceiveMessage, you can send a list of attribute names
        // to receive, or you can return all of the attributes by specifying All or .* in your request. You can also use
        // all message attributes starting with a prefix, for example bar.*."
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
        String url = queue("prefix-attributes", Map.of());
        Map<String, MessageAttributeValue> attributes = Map.of("Order.id", stringAttribute("42"),
                "Order.total", stringAttribute("9.90"), "Order", stringAttribute("whole"),
                "Orderly", stringAttribute("no"), "other", stringAttribute("no"));
        send(url, entry("one").messageAttributes(attributes));
        Message message = receive(url, b -> b.visibilityTimeout(0).messageAttributeNames("Order.*")).get(0);
        unlessItDeviates(Deviation.ATTRIBUTE_PREFIX_NOT_SUPPORTED,
                () -> assertThat(message.messageAttributes()).doesNotContainKeys("Order.id", "Order.total"));
        assertThat(message.messageAttributes()).containsOnlyKeys("Order.id", "Order.total");
        assertThat(message.md5OfMessageAttributes()).as("the MD5 of the attributes returned")
                .isEqualTo(md5OfAttributes(message.messageAttributes()));
    }

    @Test
    void allMessageAttributesAreReturnedForAllOrDotStar() {
        // AWS ReceiveMessage, MessageAttributeNames: "... you can return all of the attributes by specifying All or .*"
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
        String url = queue("all-attributes", Map.of());
        Map<String, MessageAttributeValue> attributes = Map.of("a", stringAttribute("1"), "b.c", stringAttribute("2"));
        String md5 = send(url, entry("one").messageAttributes(attributes)).md5OfMessageAttributes();
        for (String all : List.of("All", ".*")) {
            Message message = receive(url, b -> b.visibilityTimeout(0).messageAttributeNames(all)).get(0);
            assertThat(message.messageAttributes()).as(all).isEqualTo(attributes);
            assertThat(message.md5OfMessageAttributes()).as(all).isEqualTo(md5);
        }
    }

    @Test
    void systemAttributesAreSelectedByNameOrAll() {
        // AWS ReceiveMessage, MessageSystemAttributeNames: "A list of attributes that need to be returned along with
        // each message. These attributes include: All – Returns all values. ApproximateFirstReceiveTimestamp ...
        // ApproximateReceiveCount ... SenderId ... SentTimestamp ..."
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
        String url = queue("system-selection", Map.of());
        send(url, "one");
        Message some = receive(url, b -> b.visibilityTimeout(0)
                .messageSystemAttributeNamesWithStrings("SentTimestamp", "ApproximateReceiveCount")).get(0);
        assertThat(some.attributesAsStrings()).containsOnlyKeys("SentTimestamp", "ApproximateReceiveCount");
        Message all = receive(url, b -> b.visibilityTimeout(0).messageSystemAttributeNamesWithStrings("All")).get(0);
        assertThat(all.attributesAsStrings()).containsKeys("SentTimestamp", "ApproximateReceiveCount",
                "ApproximateFirstReceiveTimestamp", "SenderId");
    }
}
