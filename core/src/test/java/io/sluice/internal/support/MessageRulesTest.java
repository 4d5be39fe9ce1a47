package io.sluice.internal.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.support.MessageRules.Kind;
import io.sluice.internal.support.MessageRules.Limits;
import io.sluice.internal.support.MessageRules.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

class MessageRulesTest {

    private static final Limits FIFO = new Limits(true, false, MessageRules.MAX_MESSAGE_SIZE);
    private static final Limits FIFO_BY_CONTENT = new Limits(true, true, MessageRules.MAX_MESSAGE_SIZE);

    private static SendMessageBatchRequestEntry.Builder entry(String body) {
        return SendMessageBatchRequestEntry.builder().id("e").messageBody(body);
    }

    private static SendMessageBatchRequestEntry fifo(String body) {
        return entry(body).messageGroupId("g").messageDeduplicationId("d").build();
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static MessageAttributeValue number(String value) {
        return MessageAttributeValue.builder().dataType("Number").stringValue(value).build();
    }

    private static Violation withAttribute(String name, MessageAttributeValue value) {
        return MessageRules.check(entry("body").messageAttributes(Map.of(name, value)).build(), Limits.STANDARD);
    }

    private static Violation withSystemAttribute(String name, String dataType, String value) {
        return MessageRules.check(entry("body").messageSystemAttributesWithStrings(Map.of(name,
                MessageSystemAttributeValue.builder().dataType(dataType).stringValue(value).build())).build(),
                Limits.STANDARD);
    }

    private static void assertInvalid(Violation violation, String... named) {
        assertThat(violation).isNotNull();
        assertThat(violation.code()).isEqualTo("InvalidParameterValue");
        assertThat(violation.failsBatch()).isFalse();
        assertThat(violation.message()).contains(named);
    }

    @Test
    void aPlainMessageIsTaken() {
        assertThat(MessageRules.check(entry("hello").build(), Limits.STANDARD)).isNull();
        assertThat(MessageRules.check(fifo("hello"), FIFO)).isNull();
        assertThat(MessageRules.check(entry("hello").messageGroupId("g").build(), FIFO_BY_CONTENT)).isNull();
    }

    @Test
    void bodyIsRequiredAndNotEmpty() {
        for (String body : new String[] {null, ""}) {
            Violation violation = MessageRules.check(entry(body).build(), Limits.STANDARD);
            assertThat(violation.kind()).isEqualTo(Kind.MISSING_PARAMETER);
            assertThat(violation.code()).isEqualTo("MissingParameter");
            assertThat(violation.message()).isEqualTo("The request must contain the parameter MessageBody.");
        }
    }

    @Test
    void bodyCharactersOutsideSqsSetAreInvalidMessageContentsNamingTheFirstWithoutTheBody() {
        String[] allowed = {"\t\n\r x", "\uD7FF\uE000\uFFFD", "😀 \uDBFF\uDFFF"};
        for (String body : allowed) {
            assertThat(MessageRules.check(entry(body).build(), Limits.STANDARD)).as(body).isNull();
        }
        String[] refused = {"secret \u0000", "secret \u001F", "secret \uFFFE", "secret \uFFFF", "secret \uD800",
            "secret \uDC00x", "secret \uD800x"};
        for (String body : refused) {
            Violation violation = MessageRules.check(entry(body).build(), Limits.STANDARD);
            assertThat(violation.kind()).as(body).isEqualTo(Kind.INVALID_MESSAGE_CONTENTS);
            assertThat(violation.code()).isEqualTo("InvalidMessageContents");
            assertThat(violation.message()).contains("MessageBody", "at index 7").doesNotContain("secret");
        }
    }

    @Test
    void sizeCountsUtf8BodyAndEachAttributesNameTypeAndValue() {
        assertThat(MessageRules.size("é😀", Map.of())).isEqualTo(2 + 4);
        assertThat(MessageRules.size("b", Map.of("name", string("vé")))).isEqualTo(1 + 4 + 6 + 3);
        assertThat(MessageRules.size("b", Map.of("bin", MessageAttributeValue.builder().dataType("Binary")
                .binaryValue(SdkBytes.fromByteArray(new byte[5])).build()))).isEqualTo(1 + 3 + 6 + 5);
        assertThat(MessageRules.size("bad \u0000", Map.of())).isEqualTo(-1);
        assertThat(MessageRules.size("b", Map.of("name", string("bad \u0000")))).isEqualTo(-1);
    }

    @Test
    void bodyAndAttributesTogetherMayFillTheQueuesMaximumMessageSizeAndNoMore() {
        Limits small = new Limits(false, false, 1024);
        assertThat(MessageRules.check(entry("é".repeat(512)).build(), small)).isNull();
        assertInvalid(MessageRules.check(entry("x".repeat(1025)).build(), small), "shorter than 1024 bytes");
        Map<String, MessageAttributeValue> attributes = Map.of("name", string("value")); // 4 + 6 + 5 bytes
        assertThat(MessageRules.check(entry("x".repeat(1024 - 15)).messageAttributes(attributes).build(), small))
                .isNull();
        assertInvalid(MessageRules.check(entry("x".repeat(1024 - 14)).messageAttributes(attributes).build(), small),
                "Message must be shorter than 1024 bytes.");
        assertThat(MessageRules.check(entry("x".repeat(MessageRules.MAX_MESSAGE_SIZE)).build(), Limits.STANDARD))
                .isNull();
        assertThat(MessageRules.check(entry("x".repeat(MessageRules.MAX_MESSAGE_SIZE + 1)).build(), Limits.STANDARD))
                .isNotNull();
    }

    @Test
    void atMostTenAttributes() {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            attributes.put("a" + i, string("v"));
        }
        assertThat(MessageRules.checkAttributes(attributes)).isNull();
        attributes.put("a10", string("v"));
        assertInvalid(MessageRules.checkAttributes(attributes), "[11]", "maximum [10]");
    }

    @Test
    void attributeNameOfUpTo256Characters() {
        assertThat(MessageRules.checkAttributeName("n".repeat(256))).isNull();
        Violation violation = MessageRules.checkAttributeName("n".repeat(257));
        assertInvalid(violation, "up to 256 characters", "(257 characters)");
        assertThat(violation.message()).doesNotContain("n".repeat(33));
        assertInvalid(MessageRules.checkAttributeName(""), "non-empty message attribute name");
    }

    @Test
    void attributeNamesStartingWithAwsOrAmazonInAnyCaseAreReserved() {
        for (String name : List.of("AWS.trace", "aws.x", "aWs.x", "Amazon.x", "AMAZON.x", "amazon.x")) {
            assertInvalid(MessageRules.checkAttributeName(name), "'" + name + "'", "'AWS.' or 'Amazon.'", "reserved");
        }
        for (String name : List.of("awsx", "AWS_x", "Amazonia", "my.aws.x", "aws-x")) {
            assertThat(MessageRules.checkAttributeName(name)).as(name).isNull();
        }
    }

    @Test
    void attributeNameCharactersAndPeriods() {
        for (String name : List.of("a_b-c.d", "A9", "attr.1øßä")) {
            assertThat(MessageRules.checkAttributeName(name)).as(name).isNull();
        }
        for (String name : List.of("a b", "a!b", "a\"b", "a§b", "a(b", "a?b", "a/b", "a\u0000b")) {
            assertInvalid(MessageRules.checkAttributeName(name), "is not a letter, a digit");
        }
        for (String name : List.of(".a", "a.", "a..b")) {
            assertInvalid(MessageRules.checkAttributeName(name), "'" + name + "'", "period");
        }
    }

    @Test
    void attributeDataTypeIsStringNumberOrBinaryWithAnOptionalLabelOfUpTo256Characters() {
        assertThat(withAttribute("a", MessageAttributeValue.builder().dataType("String." + "t".repeat(249))
                .stringValue("v").build())).isNull();
        assertInvalid(withAttribute("a", MessageAttributeValue.builder().dataType("String." + "t".repeat(250))
                .stringValue("v").build()), "'a'", "up to 256 characters");
        for (String type : List.of("string", "Integer", "Text.String")) {
            assertInvalid(withAttribute("a", MessageAttributeValue.builder().dataType(type).stringValue("v").build()),
                    "'a'", "Binary, Number, String");
        }
        assertInvalid(withAttribute("a", MessageAttributeValue.builder().dataType("String.\u0001").stringValue("v")
                .build()), "'a'", "U+0001");
        assertInvalid(withAttribute("a", MessageAttributeValue.builder().stringValue("v").build()),
                "'a' must contain non-empty message attribute type");
        assertInvalid(withAttribute("a", MessageAttributeValue.builder().dataType("").stringValue("v").build()),
                "non-empty message attribute type");
    }

    @Test
    void attributeValueIsNotEmpty() {
        assertInvalid(withAttribute("a", string("")), "'a' must contain a non-empty value of type 'String'");
        assertInvalid(withAttribute("a", MessageAttributeValue.builder().dataType("Number").build()), "'Number'");
        assertInvalid(withAttribute("a", MessageAttributeValue.builder().dataType("Binary.gif")
                .binaryValue(SdkBytes.fromByteArray(new byte[0])).build()), "'Binary'");
        assertThat(withAttribute("a", MessageAttributeValue.builder().dataType("Binary.gif")
                .binaryValue(SdkBytes.fromByteArray(new byte[] {0})).build())).isNull();
    }

    @Test
    void awsTraceHeaderIsTheOnlySystemAttributeAStringAndNotEmpty() {
        assertThat(withSystemAttribute("AWSTraceHeader", "String", "Root=1-5759e988-bd862e3fe1be46a994272793"))
                .isNull();
        assertInvalid(withSystemAttribute("SenderId", "String", "v"), "Message system attribute name 'SenderId'");
        assertInvalid(withSystemAttribute("awstraceheader", "String", "v"), "'awstraceheader' is invalid");
        assertInvalid(withSystemAttribute("AWSTraceHeader", "Number", "1"), "The type must be 'String'");
        assertInvalid(withSystemAttribute("AWSTraceHeader", "String.x", "v"), "The type must be 'String'");
        assertInvalid(withSystemAttribute("AWSTraceHeader", "String", ""), "non-empty value");
    }

    @Test
    void systemAttributesDoNotCountTowardsTheMessageSize() {
        Limits small = new Limits(false, false, 1024);
        SendMessageBatchRequestEntry full = entry("x".repeat(1024)).messageSystemAttributesWithStrings(Map.of(
                "AWSTraceHeader", MessageSystemAttributeValue.builder().dataType("String").stringValue("Root=1")
                        .build())).build();
        assertThat(MessageRules.check(full, small)).isNull();
    }

    @Test
    void stringValueHoldsABodysCharactersAndIsNotShownWhenItDoesNot() {
        assertThat(withAttribute("a", string("😀 \t ok"))).isNull();
        Violation violation = withAttribute("a", string("secret \u0008"));
        assertInvalid(violation, "'a'", "U+0008 at index 7");
        assertThat(violation.message()).doesNotContain("secret");
    }

    @Test
    void numberHasUpTo38DigitsOfPrecision() {
        assertThat(withAttribute("n", number("1".repeat(38)))).isNull();
        assertThat(withAttribute("n", number("-1234567890123456789012345678901234567.8"))).isNull();
        assertThat(withAttribute("n", number("1" + "0".repeat(60)))).as("trailing zeroes are trimmed").isNull();
        assertThat(withAttribute("n", number("0.000" + "1".repeat(38)))).as("leading zeroes too").isNull();
        assertInvalid(withAttribute("n", number("1".repeat(39))), "'n'", "39 digits", "up to 38");
        assertInvalid(withAttribute("n", number("1." + "0".repeat(37) + "1")), "39 digits");
    }

    @Test
    void numberIsBetween10PowerMinus128And10Power126InMagnitude() {
        for (String within : List.of("1E+126", "-1E+126", "1E-128", "-1E-128", "0", "0.0", "-0", "12.5", "1e5")) {
            assertThat(withAttribute("n", number(within))).as(within).isNull();
        }
        for (String beyond : List.of("1E+127", "-1E+127", "1.1E+126", "1E-129", "9.9E-129")) {
            assertInvalid(withAttribute("n", number(beyond)), "'n'", "between 10^-128 and 10^+126");
        }
        assertInvalid(withAttribute("n", MessageAttributeValue.builder().dataType("Number.int").stringValue("1E+127")
                .build()), "10^+126");
    }

    @Test
    void numberMustParse() {
        for (String text : List.of("twelve", "1,5", "NaN", "Infinity", "0x10", "1E99999999999")) {
            assertInvalid(withAttribute("n", number(text)), "Can't cast the value of message (user) attribute 'n'");
        }
    }

    @Test
    void delayIsZeroTo900Seconds() {
        assertThat(MessageRules.check(entry("b").delaySeconds(0).build(), Limits.STANDARD)).isNull();
        assertThat(MessageRules.check(entry("b").delaySeconds(900).build(), Limits.STANDARD)).isNull();
        assertInvalid(MessageRules.check(entry("b").delaySeconds(901).build(), Limits.STANDARD),
                "Value 901 for parameter DelaySeconds is invalid", "between 0 and 900");
        assertInvalid(MessageRules.check(entry("b").delaySeconds(-1).build(), Limits.STANDARD), "Value -1");
    }

    @Test
    void fifoMessageHasNoDelayOfItsOwn() {
        assertThat(MessageRules.check(entry("b").messageGroupId("g").messageDeduplicationId("d").delaySeconds(0)
                .build(), FIFO)).isNull();
        assertInvalid(MessageRules.check(entry("b").messageGroupId("g").messageDeduplicationId("d").delaySeconds(5)
                .build(), FIFO), "DelaySeconds", "not valid for this queue type");
    }

    @Test
    void fifoMessageWithoutGroupIdFailsTheWholeBatch() {
        Violation violation = MessageRules.check(entry("b").messageDeduplicationId("d").build(), FIFO_BY_CONTENT);
        assertThat(violation.code()).isEqualTo("InvalidParameterValue");
        assertThat(violation.message()).isEqualTo("The request must contain the parameter MessageGroupId.");
        assertThat(violation.failsBatch()).isTrue();
    }

    @Test
    void fifoMessageWithoutDeduplicationIdFailsTheWholeBatchUnlessTheQueueDeduplicatesByContent() {
        Violation violation = MessageRules.check(entry("b").messageGroupId("g").build(), FIFO);
        assertThat(violation.code()).isEqualTo("InvalidParameterValue");
        assertThat(violation.message()).contains("ContentBasedDeduplication", "MessageDeduplicationId");
        assertThat(violation.failsBatch()).isTrue();
        assertThat(MessageRules.check(entry("b").messageGroupId("g").build(), FIFO_BY_CONTENT)).isNull();
    }

    @Test
    void deduplicationIdIsOneTo128AlphanumericOrPunctuationCharacters() {
        String punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        for (String id : List.of("d", "a".repeat(128), punctuation + "a".repeat(96))) {
            assertThat(MessageRules.check(entry("b").messageGroupId("g").messageDeduplicationId(id).build(), FIFO))
                    .as(id).isNull();
        }
        for (String id : List.of("", "a".repeat(129), "with space", "tab\t", "é")) {
            Violation violation = MessageRules.check(entry("b").messageGroupId("g").messageDeduplicationId(id)
                    .build(), FIFO_BY_CONTENT);
            assertInvalid(violation, "parameter MessageDeduplicationId is invalid", "1 to 128 in length");
        }
        assertThat(MessageRules.check(entry("b").messageGroupId("g").messageDeduplicationId("a".repeat(129)).build(),
                FIFO).message()).as("a long id is cut short").contains("(129 characters)")
                .doesNotContain("a".repeat(33));
    }

    @Test
    void groupIdIsOneTo128AlphanumericOrPunctuationCharactersOnEitherQueueType() {
        for (Limits limits : List.of(Limits.STANDARD, FIFO_BY_CONTENT)) {
            assertThat(MessageRules.check(entry("b").messageGroupId("g".repeat(128)).build(), limits)).isNull();
            for (String id : List.of("", "g".repeat(129), "tenant a")) {
                assertInvalid(MessageRules.check(entry("b").messageGroupId(id).build(), limits),
                        "parameter MessageGroupId is invalid", "1 to 128 in length");
            }
        }
        assertThat(MessageRules.check(entry("b").messageGroupId("").build(), Limits.STANDARD).message())
                .startsWith("Value '' for parameter MessageGroupId");
    }

    @Test
    void deduplicationIdIsForFifoQueuesOnly() {
        for (String id : List.of("d", "")) {
            assertInvalid(MessageRules.check(entry("b").messageDeduplicationId(id).build(), Limits.STANDARD),
                    "MessageDeduplicationId", "not valid for this queue type");
        }
    }

    @Test
    void receiveRequestAttemptIdFollowsTheSameTokenRule() {
        assertThat(MessageRules.checkToken("ReceiveRequestAttemptId", "attempt-1")).isNull();
        assertInvalid(MessageRules.checkToken("ReceiveRequestAttemptId", "with space"),
                "Value 'with space' for parameter ReceiveRequestAttemptId is invalid");
    }

    @Test
    void batchOfUpTo1MiBTogether() {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            entries.add(entry("x".repeat(128 * 1024)).id("e" + i).build());
        }
        assertThat(MessageRules.checkBatchSize(entries)).isNull();
        entries.add(entry("x").id("over").build());
        Violation violation = MessageRules.checkBatchSize(entries);
        assertThat(violation.kind()).isEqualTo(Kind.BATCH_REQUEST_TOO_LONG);
        assertThat(violation.code()).isEqualTo("AWS.SimpleQueueService.BatchRequestTooLong");
        assertThat(violation.failsBatch()).isTrue();
        assertThat(violation.message()).isEqualTo("Batch requests cannot be longer than 1048576 bytes. You have sent"
                + " 1048577 bytes.");
    }

    @Test
    void limitsComeFromTheQueuesAttributesWithSqsDefaults() {
        assertThat(Limits.of(Map.of())).isEqualTo(Limits.STANDARD);
        assertThat(Limits.of(Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true",
                "MaximumMessageSize", "2048"))).isEqualTo(new Limits(true, true, 2048));
        assertThatThrownBy(() -> Limits.of(Map.of("MaximumMessageSize", "big")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'big'");
        assertThatThrownBy(() -> new Limits(false, false, MessageRules.MAX_MESSAGE_SIZE + 1))
                .hasMessageContaining("1048577");
        assertThatThrownBy(() -> new Limits(false, true, 1024)).hasMessageContaining("FIFO queues only");
    }
}
