package io.sluice.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

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

    @Test
    void standardQueueRejectsAnEmptyMessageGroupId() {
        // AWS SendMessage, MessageGroupId: "The maximum length of MessageGroupId is 128 characters. Valid values:
        // alphanumeric characters and punctuation". The SDK sends an empty one as given, and SQS answers it with
        // InvalidParameterValue "Value  for parameter MessageGroupId is invalid. Reason: MessageGroupId can only
        // include alphanumeric and punctuation characters. 1 to 128 in length." (recorded from AWS in
        // localstack/localstack tests/aws/services/sqs/test_sqs.snapshot.json,
        // test_send_message_to_standard_queue_with_invalid_message_group_id).
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
        String url = queue("fair-empty", Map.of());
        SendMessageBatchResponse response = sendBatch(url, entry("empty").id("empty").messageGroupId(""),
                entry("fine").id("fine").messageGroupId("t"));
        assertFailed(response, "InvalidParameterValue", "empty");
    }

    // ---------------------------------------------------------------- message attribute rules

    // AWS developer guide, Amazon SQS message attributes: "Name – The message attribute name can contain the following
    // characters: A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.). The following restrictions apply: Can be
    // up to 256 characters long; Can't start with AWS. or Amazon. (or any casing variations); Is case-sensitive; Must
    // be unique among all attribute names for the message; Must not start or end with a period; Must not have periods
    // in a sequence. Type – The message attribute data type. Supported types include String, Number, and Binary. ...
    // The data type has the same restrictions as the message body ... Can be up to 256 characters long; Is
    // case-sensitive." "The Name, Type, Value, and the message body must not be empty or null."
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html

    @Test
    void attributeNamesStartingWithAwsOrAmazonInAnyCaseAreRejected() {
        assertNamesRejected("reserved-names", Map.of("aws", "AWS.trace", "aws_lower", "aws.trace", "amazon", "Amazon.x",
                "amazon_upper", "AMAZON.x", "awsome", "awsome.x", "amazonian", "Amazonian"),
                "aws", "aws_lower", "amazon", "amazon_upper");
    }

    @Test
    void attributeNamesOfUpTo256CharactersAreAccepted() {
        assertNamesRejected("long-names", Map.of("max", "n".repeat(256), "over", "n".repeat(257)), "over");
    }

    @Test
    void attributeNamesWithOtherCharactersOrMisplacedPeriodsAreRejected() {
        assertNamesRejected("name-characters", Map.of("space", "a b", "bang", "a!b", "leading", ".a", "trailing", "a.",
                "double", "a..b", "fine", "A-z_0.9"), "space", "bang", "leading", "trailing", "double");
    }

    /**
     * Sends one entry per name of {@code names} (keyed by entry id), each with a String attribute of that name, and
     * asserts that the entries {@code rejected} failed with InvalidParameterValue and the others were sent.
     */
    private void assertNamesRejected(String purpose, Map<String, String> names, String... rejected) {
        String url = queue(purpose, Map.of());
        SendMessageBatchResponse response = sendBatch(url, names.entrySet().stream()
                .map(name -> attribute(name.getKey(), name.getValue(), stringAttribute("v")))
                .toArray(SendMessageBatchRequestEntry.Builder[]::new));
        unlessItDeviates(Deviation.ATTRIBUTE_NAME_NOT_CHECKED, () -> assertThat(response.failed()).isEmpty());
        assertFailed(response, "InvalidParameterValue", rejected);
    }

    @Test
    void attributeDataTypesWithALabelOfUpTo256CharactersAreAccepted() {
        String url = queue("data-type-length", Map.of());
        SendMessageBatchResponse response = sendBatch(url,
                attribute("max", "a", typed("String." + "t".repeat(249), "v")),
                attribute("over", "a", typed("String." + "t".repeat(250), "v")),
                attribute("labelled", "a", typed("Number.int", "1")));
        unlessItDeviates(Deviation.ATTRIBUTE_TYPE_LENGTH_NOT_CHECKED, () -> assertThat(response.failed()).isEmpty());
        assertFailed(response, "InvalidParameterValue", "over");
    }

    @Test
    void attributeDataTypesOtherThanStringNumberOrBinaryAreRejected() {
        String url = queue("data-types", Map.of());
        CompletableFuture<SendMessageBatchResponse> call = transport().sendMessageBatch(b -> b.queueUrl(url).entries(
                attribute("lower", "a", typed("string", "v")).build(),
                attribute("other", "a", typed("Integer", "1")).build(),
                attribute("fine", "a", MessageAttributeValue.builder()
                        .dataType("Binary.gif").binaryValue(SdkBytes.fromByteArray(new byte[] {1})).build()).build()));
        unlessItDeviates(Deviation.UNKNOWN_ATTRIBUTE_TYPE_FAILS_THE_BATCH, () -> assertThat(failure(call))
                .isInstanceOfSatisfying(SqsException.class, error -> assertThat(error.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidParameterValue")));
        assertFailed(call.join(), "InvalidParameterValue", "lower", "other");
    }

    @Test
    void attributesWithAnEmptyValueAreRejected() {
        String url = queue("empty-values", Map.of());
        SendMessageBatchResponse response = sendBatch(url,
                attribute("string", "a", stringAttribute("")),
                attribute("binary", "a", MessageAttributeValue.builder()
                        .dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[0])).build()),
                attribute("fine", "a", stringAttribute(" ")));
        unlessItDeviates(Deviation.EMPTY_BINARY_ATTRIBUTE_ACCEPTED,
                () -> assertThat(response.failed()).extracting(BatchResultErrorEntry::id).containsExactly("string"));
        unlessItDeviates(Deviation.ATTRIBUTE_VALUE_ERROR_IS_INVALID_ATTRIBUTE_VALUE,
                () -> assertFailed(response, "InvalidAttributeValue", "string", "binary"));
        assertFailed(response, "InvalidParameterValue", "string", "binary");
    }

    @Test
    void numberAttributesWithinSqsRangeAreAcceptedAndOthersRejected() {
        // AWS developer guide, message attribute data types: "Number – Number attributes can store positive or negative
        // numerical values. A number can have up to 38 digits of precision, and it can be between 10^-128 and
        // 10^+126." (leading and trailing zeroes are not digits of precision: 1E+126 has one).
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
        String url = queue("numbers", Map.of());
        SendMessageBatchResponse response = sendBatch(url,
                attribute("largest", "n", typed("Number", "1E+126")),
                attribute("smallest", "n", typed("Number", "-1E-128")),
                attribute("precise", "n", typed("Number", "1".repeat(38))),
                attribute("too_large", "n", typed("Number", "1E+127")),
                attribute("too_small", "n", typed("Number", "1E-129")),
                attribute("too_precise", "n", typed("Number", "1".repeat(39))),
                attribute("not_a_number", "n", typed("Number", "twelve")));
        unlessItDeviates(Deviation.NUMBER_RANGE_READ_AS_VALUES, () -> assertThat(response.failed())
                .extracting(BatchResultErrorEntry::id).containsExactlyInAnyOrder("too_large", "not_a_number"));
        unlessItDeviates(Deviation.ATTRIBUTE_VALUE_ERROR_IS_INVALID_ATTRIBUTE_VALUE, () -> assertFailed(response,
                "InvalidAttributeValue", "too_large", "too_small", "too_precise", "not_a_number"));
        assertFailed(response, "InvalidParameterValue", "too_large", "too_small", "too_precise", "not_a_number");
    }

    @Test
    void stringAttributeValuesWithCharactersOutsideTheAllowedSetAreRejected() {
        // AWS MessageAttributeValue: "For string data types, the Value attribute has the same restrictions on the
        // content as the message body." Which error code SQS answers is not documented: InvalidParameterValue according
        // to LocalStack, which follows AWS there (the in-memory transport answers that); InvalidMessageContents passes.
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageAttributeValue.html
        String url = queue("value-characters", Map.of());
        SendMessageBatchResponse response = sendBatch(url,
                attribute("control", "a", stringAttribute("bell \u0007")),
                attribute("fine", "a", stringAttribute("tab \t é 😀")));
        unlessItDeviates(Deviation.ATTRIBUTE_VALUE_ERROR_IS_INVALID_ATTRIBUTE_VALUE,
                () -> assertFailed(response, "InvalidAttributeValue", "control"));
        assertThat(response.failed()).singleElement().satisfies(failed -> {
            assertThat(failed.id()).isEqualTo("control");
            assertThat(failed.code()).isIn("InvalidParameterValue", "InvalidMessageContents");
        });
        assertThat(response.successful()).extracting(SendMessageBatchResultEntry::id).containsExactly("fine");
    }

    /** A send entry {@code id} with the one message attribute {@code name}. */
    private static SendMessageBatchRequestEntry.Builder attribute(String id, String name, MessageAttributeValue value) {
        return entry("body").id(id).messageAttributes(Map.of(name, value));
    }

    private static MessageAttributeValue typed(String dataType, String value) {
        return MessageAttributeValue.builder().dataType(dataType).stringValue(value).build();
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

    // AWS SendMessage, MessageSystemAttributes: "Currently, the only supported message system attribute is
    // AWSTraceHeader. Its type must be String and its value must be a correctly formatted X-Ray trace header string.
    // The size of a message system attribute doesn't count towards the total size of a message." ReceiveMessage,
    // MessageSystemAttributeNames: "AWSTraceHeader – Returns the AWS X-Ray trace header string." AWS X-Ray developer
    // guide, Amazon SQS and AWS X-Ray: "The trace header is excluded from both the Amazon SQS message size and message
    // attribute quotas."
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
    // https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html

    @Test
    void awsTraceHeaderIsKeptAndReturnedOnlyWhenAskedFor() throws Exception {
        String url = queue("trace-header", Map.of());
        String trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        SendMessageBatchResultEntry sent = send(url, entry("traced").messageSystemAttributesWithStrings(
                Map.of("AWSTraceHeader", MessageSystemAttributeValue.builder().dataType("String").stringValue(trace)
                        .build())));
        Message other = receive(url, b -> b.visibilityTimeout(0)
                .messageSystemAttributeNamesWithStrings("SentTimestamp")).get(0);
        assertThat(other.attributesAsStrings()).doesNotContainKey("AWSTraceHeader");
        for (String asked : List.of("AWSTraceHeader", "All")) {
            Message message = receive(url, b -> b.visibilityTimeout(0).messageSystemAttributeNamesWithStrings(asked))
                    .get(0);
            assertThat(message.attributesAsStrings()).as(asked).containsEntry("AWSTraceHeader", trace);
        }
        unlessItDeviates(Deviation.NO_MD5_OF_SYSTEM_ATTRIBUTES_ON_SEND,
                () -> assertThat(sent.md5OfMessageSystemAttributes()).isNull());
        assertThat(sent.md5OfMessageSystemAttributes()).as("encoded as MD5OfMessageAttributes")
                .isEqualTo(md5OfAttributes(Map.of("AWSTraceHeader", stringAttribute(trace))));
    }

    @Test
    void messageSystemAttributesOtherThanAwsTraceHeaderAreRejected() {
        String url = queue("system-names", Map.of());
        MessageSystemAttributeValue value = MessageSystemAttributeValue.builder().dataType("String")
                .stringValue("Root=1-5759e988-bd862e3fe1be46a994272793").build();
        SendMessageBatchResponse response = sendBatch(url,
                entry("body").id("unknown").messageSystemAttributesWithStrings(Map.of("SenderId", value)),
                entry("body").id("fine").messageSystemAttributesWithStrings(Map.of("AWSTraceHeader", value)));
        unlessItDeviates(Deviation.SYSTEM_ATTRIBUTE_NAME_NOT_CHECKED, () -> assertThat(response.failed()).isEmpty());
        assertFailed(response, "InvalidParameterValue", "unknown");
    }
}
