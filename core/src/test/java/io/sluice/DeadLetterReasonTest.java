package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class DeadLetterReasonTest {

    private static final DeadLetterReason REASON = new DeadLetterReason("java.lang.IllegalStateException",
            "ledger refused ord-1", "OrderProcessor.handle", 3, Instant.parse("2026-11-30T08:00:00Z"),
            Instant.parse("2026-11-30T08:01:00Z"), "order-processing");

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(DeadLetterReason.ERROR_CLASS, REASON.errorClass());
        fields.put(DeadLetterReason.ERROR_MESSAGE, REASON.errorMessage());
        fields.put(DeadLetterReason.HANDLER, REASON.handler());
        fields.put(DeadLetterReason.ATTEMPTS, "3");
        fields.put(DeadLetterReason.FIRST_FAILURE, "2026-11-30T08:00:00Z");
        fields.put(DeadLetterReason.LAST_FAILURE, "2026-11-30T08:01:00Z");
        fields.put(DeadLetterReason.SOURCE_QUEUE, REASON.sourceQueue());
        return fields;
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    @Test
    void readsTheReasonFromOneAttributePerField() {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        fields().forEach((name, value) -> attributes.put(name, string(value)));
        attributes.put("tenant", string("acme"));

        assertThat(DeadLetterReason.of(Message.builder().body("{}").messageAttributes(attributes).build()))
                .contains(REASON);
    }

    @Test
    void readsTheReasonPackedAsJsonWhenTheMessageLeftNoRoom() {
        StringBuilder json = new StringBuilder("{");
        fields().forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name)
                .append("\":\"").append(value).append('"'));
        json.append('}');

        assertThat(DeadLetterReason.of(Message.builder().body("{}").messageAttributes(Map.of(DeadLetterReason.ERROR,
                string(json.toString()))).build())).contains(REASON);
    }

    @Test
    void aMessageWithoutAReasonHasNone() {
        assertThat(DeadLetterReason.of(Message.builder().body("{}").build())).isEmpty();
        assertThat(DeadLetterReason.of(Message.builder().body("{}").messageAttributes(Map.of(DeadLetterReason.ERROR,
                string("not json"))).build())).isEmpty();
    }

    @Test
    void originalAttributesAreTheMessagesOwnInTheirOrderWithoutEitherFormOfTheReason() {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("tenant", string("acme"));
        fields().forEach((name, value) -> attributes.put(name, string(value)));
        attributes.put(DeadLetterReason.ERROR, string("{}"));
        attributes.put("trace", string("t-1"));

        assertThat(DeadLetterReason.originalAttributes(Message.builder().body("{}").messageAttributes(attributes)
                .build())).containsExactly(Map.entry("tenant", string("acme")), Map.entry("trace", string("t-1")));
    }
}
