package io.sluice.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends.AWS_TRACE_HEADER;

import io.sluice.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** How a message received before its due time goes back: a visibility hop, or a re-send with a fresh delay. */
class PostponementTest {

    private static final Instant DUE = Instant.parse("2026-12-01T09:00:00Z");

    private static Delivery received(int receiveCount) {
        return new Delivery("reminders", "m1", "Reminders.handle", receiveCount, Instant.EPOCH);
    }

    @Test
    void theLastFifteenMinutesAreAResendSoTheHandledDeliveryStartsFromReceiveCountOne() {
        assertThat(Postponement.of(received(1), DUE, Duration.ofMinutes(15), 3))
                .isEqualTo(new Postponement(DUE, Duration.ofMinutes(15), true));
        assertThat(Postponement.of(received(1), DUE, Duration.ofMillis(2500), null))
                .isEqualTo(new Postponement(DUE, Duration.ofSeconds(3), true));
    }

    @Test
    void aLongerWaitIsAVisibilityHopThatEndsFifteenMinutesBeforeTheDueTime() {
        assertThat(Postponement.of(received(1), DUE, Duration.ofMinutes(45), 3))
                .isEqualTo(new Postponement(DUE, Duration.ofMinutes(30).plusSeconds(1), false));
    }

    @Test
    void aHopNeverExceedsTwelveHoursPerReceive() {
        assertThat(Postponement.of(received(1), DUE, Duration.ofDays(3), null))
                .isEqualTo(new Postponement(DUE, Duration.ofHours(12).minusMinutes(1), false));
    }

    @Test
    void whenTheNextReceiveWouldReachTheRedriveThresholdTheMessageIsSentAgainInstead() {
        assertThat(Postponement.of(received(2), DUE, Duration.ofHours(5), 3))
                .isEqualTo(new Postponement(DUE, Duration.ofMinutes(15), true));
        assertThat(Postponement.of(received(1), DUE, Duration.ofHours(5), 2))
                .isEqualTo(new Postponement(DUE, Duration.ofMinutes(15), true));
        assertThat(Postponement.of(received(7), DUE, Duration.ofHours(5), null)).extracting(Postponement::resend)
                .isEqualTo(false); // no RedrivePolicy: SQS moves nothing, and the last stretch resets the count
    }

    @Test
    void theCopySentAgainKeepsTheBodyAttributesAndTraceHeaderWithTheHoldAsItsDelay() {
        String trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";
        Map<String, MessageAttributeValue> attributes = Map.of("due",
                MessageAttributeValue.builder().dataType("String").stringValue(DUE.toString()).build());
        Message message = Message.builder().messageId("m1").body("remind me").messageAttributes(attributes)
                .attributesWithStrings(Map.of("AWSTraceHeader", trace, "SentTimestamp", "1")).build();
        SendMessageBatchRequestEntry copy = new Postponement(DUE, Duration.ofMinutes(15), true)
                .copyOf(message, received(1)).entry();
        assertThat(copy.messageBody()).isEqualTo("remind me");
        assertThat(copy.messageAttributes()).isEqualTo(attributes);
        assertThat(copy.delaySeconds()).isEqualTo(900);
        assertThat(copy.messageSystemAttributes()).containsOnlyKeys(AWS_TRACE_HEADER);
        assertThat(copy.messageSystemAttributes().get(AWS_TRACE_HEADER)).satisfies(value -> {
            assertThat(value.dataType()).isEqualTo("String");
            assertThat(value.stringValue()).isEqualTo(trace);
        });

        Message untraced = message.toBuilder().attributesWithStrings(Map.of()).build();
        assertThat(new Postponement(DUE, Duration.ofMinutes(15), true).copyOf(untraced, received(1)).entry()
                .messageSystemAttributes()).isEmpty();
    }
}
