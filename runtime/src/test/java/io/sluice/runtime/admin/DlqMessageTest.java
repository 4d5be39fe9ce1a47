package io.sluice.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.DeadLetterReason;
import io.sluice.producer.OutgoingMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class DlqMessageTest {

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static Message message(Map<String, MessageAttributeValue> attributes, String group) {
        Map<MessageSystemAttributeName, String> system = new LinkedHashMap<>();
        system.put(MessageSystemAttributeName.SENT_TIMESTAMP, "1796025600000");
        system.put(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
        if (group != null) {
            system.put(MessageSystemAttributeName.MESSAGE_GROUP_ID, group);
        }
        return Message.builder().messageId("11111111-2222-3333-4444-555555555555").receiptHandle("handle")
                .body("{\"order\": 1}").attributes(system).messageAttributes(attributes).build();
    }

    private static Map<String, MessageAttributeValue> separateReason() {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("tenant", string("acme"));
        attributes.put(DeadLetterReason.ERROR_CLASS, string("com.shop.PaymentDeclinedException"));
        attributes.put(DeadLetterReason.ERROR_MESSAGE, string("card declined"));
        attributes.put(DeadLetterReason.HANDLER, string("PaymentHandler.handle"));
        attributes.put(DeadLetterReason.ATTEMPTS, string("3"));
        attributes.put(DeadLetterReason.FIRST_FAILURE, string("2026-11-30T08:00:00Z"));
        attributes.put(DeadLetterReason.LAST_FAILURE, string("2026-11-30T08:01:00Z"));
        attributes.put(DeadLetterReason.SOURCE_QUEUE, string("payments"));
        return attributes;
    }

    @Test
    void readsTheReasonWrittenOneAttributePerField() {
        DlqMessage message = DlqMessage.of(message(separateReason(), null));

        assertThat(message.sentAt()).isEqualTo(Instant.ofEpochMilli(1796025600000L));
        assertThat(message.receiveCount()).isEqualTo(2);
        assertThat(message.reason()).hasValueSatisfying(reason -> {
            assertThat(reason.errorClass()).isEqualTo("com.shop.PaymentDeclinedException");
            assertThat(reason.handler()).isEqualTo("PaymentHandler.handle");
            assertThat(reason.attempts()).isEqualTo(3);
            assertThat(reason.lastFailure()).isEqualTo(Instant.parse("2026-11-30T08:01:00Z"));
        });
        assertThat(message.sourceQueue()).hasValue("payments");
    }

    @Test
    void readsTheReasonPackedInOneJsonAttribute() {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("tenant", string("acme"));
        attributes.put(DeadLetterReason.ERROR, string("{\"sluice.error.class\": \"java.lang.IllegalStateException\","
                + " \"sluice.error.message\": \"boom\", \"sluice.attempts\": \"1\","
                + " \"sluice.source-queue\": \"orders\"}"));

        DlqMessage message = DlqMessage.of(message(attributes, null));

        assertThat(message.reason()).hasValueSatisfying(reason -> {
            assertThat(reason.errorClass()).isEqualTo("java.lang.IllegalStateException");
            assertThat(reason.errorMessage()).isEqualTo("boom");
            assertThat(reason.attempts()).isEqualTo(1);
        });
        assertThat(message.sourceQueue()).hasValue("orders");
        assertThat(message.ownAttributes()).containsOnlyKeys("tenant");
    }

    @Test
    void anAttributeSluiceMovedIntoThePackedReasonIsPutBackForTheCopy() {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("tenant", string("acme"));
        attributes.put(DeadLetterReason.ERROR, string("{\"sluice.error.class\": \"java.lang.IllegalStateException\","
                + " \"attributes\": {\"region\": {\"DataType\": \"String\", \"StringValue\": \"eu\"}}}"));

        DlqMessage message = DlqMessage.of(message(attributes, null));

        assertThat(message.ownAttributes()).containsExactly(Map.entry("tenant", string("acme")),
                Map.entry("region", string("eu")));
        assertThat(ClientMove.copy(message, new QueueRef("orders", "http://sqs/orders")).attributes())
                .containsOnlyKeys("tenant", "region");
    }

    @Test
    void matchesAnExceptionByClassNameOrBySimpleNameWithoutAPackage() {
        DlqMessage message = DlqMessage.of(message(separateReason(), null));

        assertThat(message.failedWith("com.shop.PaymentDeclinedException")).isTrue();
        assertThat(message.failedWith("PaymentDeclinedException")).isTrue();
        assertThat(message.failedWith("shop.PaymentDeclinedException")).isFalse();
        assertThat(message.failedWith("DeclinedException")).isFalse();
        assertThat(DlqMessage.of(message(Map.of(), null)).failedWith("PaymentDeclinedException"))
                .as("no reason, no match").isFalse();
    }

    @Test
    void theCopyMovedBackHasItsOwnAttributesAndGroupAndOnAFifoQueueANewStableDeduplicationId() {
        DlqMessage message = DlqMessage.of(message(separateReason(), "customer-7"));

        OutgoingMessage fifo = ClientMove.copy(message, new QueueRef("payments.fifo", "http://sqs/payments.fifo"));
        OutgoingMessage standard = ClientMove.copy(message, new QueueRef("payments", "http://sqs/payments"));

        assertThat(fifo.payload()).isEqualTo("{\"order\": 1}");
        assertThat(fifo.attributes()).containsOnlyKeys("tenant");
        assertThat(fifo.groupId()).isEqualTo("customer-7");
        assertThat(fifo.deduplicationId()).isEqualTo("redrive-11111111-2222-3333-4444-555555555555")
                .isEqualTo(message.redriveDeduplicationId());
        assertThat(standard.groupId()).as("a fair queue's tenant").isEqualTo("customer-7");
        assertThat(standard.deduplicationId()).isNull();
    }

    @Test
    void jsonShowsTheBodyOnlyWhenAskedFor() {
        DlqMessage message = DlqMessage.of(message(separateReason(), null));

        assertThat(message.toJson(false)).doesNotContainKey("body")
                .containsEntry("attributes", Map.of("tenant", "acme"));
        assertThat(message.toJson(true)).containsEntry("body", "{\"order\": 1}");
    }
}
