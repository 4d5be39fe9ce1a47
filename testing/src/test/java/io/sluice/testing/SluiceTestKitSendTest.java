package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.annotations.MessageAttribute;
import io.sluice.annotations.SqsHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** {@link SluiceTestKit#message}: FIFO group and deduplication id, attributes, delay, raw bodies, and their checks. */
class SluiceTestKitSendTest {

    public record Payment(String transaction, String customer, int cents) {
    }

    /** What a handler received: the payload and the SQS attributes the kit set. */
    public record Received(Payment payment, String group, String deduplicationId, String tenant) {
    }

    public static final class Handlers {
        final List<Received> payments = new CopyOnWriteArrayList<>();
        final List<String> notes = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "payments.fifo")
        public void pay(Payment payment, Message message, @MessageAttribute("tenant") String tenant) {
            payments.add(new Received(payment, message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID),
                    message.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID), tenant));
        }

        @SqsHandler(queue = "notes")
        public void note(String text, @MessageAttribute("tenant") String tenant) {
            notes.add(tenant + ":" + text);
        }
    }

    private final Handlers handlers = new Handlers();

    @RegisterExtension
    final SluiceTestKit kit = SluiceTestKit.forHandlers(handlers);

    @Test
    void fifoMessageCarriesTheGroupAndDeduplicationIdItWasSentWith() {
        kit.message(new Payment("tx-1", "cust-1", 100)).group("cust-1").deduplicationId("tx-1").sendTo("payments.fifo");
        kit.message(new Payment("tx-2", "cust-2", 200)).group("cust-2").deduplicationId("tx-2").sendTo("payments.fifo");
        kit.message(new Payment("tx-3", "cust-1", 300)).group("cust-1").deduplicationId("tx-3").sendTo("payments.fifo");

        kit.assertHandled("payments.fifo", Payment.class, p -> p.transaction().equals("tx-3"));
        kit.assertQueueEmpty("payments.fifo");

        assertThat(handlers.payments).hasSize(3).allSatisfy(received -> {
            assertThat(received.group()).isEqualTo(received.payment().customer());
            assertThat(received.deduplicationId()).isEqualTo(received.payment().transaction());
        });
        assertThat(handlers.payments).filteredOn(received -> received.group().equals("cust-1"))
                .extracting(received -> received.payment().transaction()).containsExactlyInAnyOrder("tx-1", "tx-3");
        assertThat(handlers.payments).filteredOn(received -> received.group().equals("cust-2"))
                .extracting(received -> received.payment().transaction()).containsExactly("tx-2");
    }

    @Test
    void secondMessageWithTheSameDeduplicationIdIsNotDelivered() {
        kit.message(new Payment("tx-9", "cust-1", 100)).group("cust-1").deduplicationId("tx-9").sendTo("payments.fifo");
        kit.message(new Payment("tx-9", "cust-1", 999)).group("cust-1").deduplicationId("tx-9").sendTo("payments.fifo");

        kit.assertHandled("payments.fifo", Payment.class, p -> p.transaction().equals("tx-9"));
        kit.assertQueueEmpty("payments.fifo");
        kit.advance(Duration.ofMinutes(1));

        assertThat(handlers.payments).extracting(received -> received.payment().cents()).containsExactly(100);
    }

    @Test
    void fifoMessageWithoutOptionsGoesToTheDefaultGroupWithAFreshDeduplicationId() {
        Payment payment = new Payment("tx-5", "cust-5", 500);
        kit.send("payments.fifo", payment);
        kit.send("payments.fifo", payment);

        kit.assertQueueEmpty("payments.fifo");

        assertThat(handlers.payments).as("the same payload twice is delivered twice").hasSize(2)
                .allSatisfy(received -> assertThat(received.group()).isEqualTo(SluiceTestKit.DEFAULT_GROUP));
        assertThat(handlers.payments.get(0).deduplicationId()).isNotEqualTo(handlers.payments.get(1).deduplicationId());
    }

    @Test
    void rawJsonBodyIsSentAsItIsWithItsOptions() {
        kit.message("{\"transaction\": \"tx-raw\", \"customer\": \"cust-7\", \"cents\": 7}")
                .group("cust-7").attribute("tenant", "acme").sendTo("payments.fifo");

        Payment payment = kit.assertHandled("payments.fifo", Payment.class, p -> p.transaction().equals("tx-raw"));

        assertThat(payment).isEqualTo(new Payment("tx-raw", "cust-7", 7));
        assertThat(handlers.payments).singleElement().satisfies(received -> {
            assertThat(received.group()).isEqualTo("cust-7");
            assertThat(received.tenant()).isEqualTo("acme");
        });
    }

    @Test
    void attributesReachTheHandler() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("tenant", "globex");
        attributes.put("trace-id", "abc");
        kit.message("hello").attributes(attributes).sendTo("notes");

        kit.assertHandled("notes", String.class, "hello"::equals);

        assertThat(handlers.notes).containsExactly("globex:hello");
    }

    @Test
    void delayedMessageIsNotDeliveredBeforeItsDelayPassedOnTheVirtualClock() {
        Instant sent = kit.time().now();
        kit.message("later").attribute("tenant", "acme").delay(Duration.ofSeconds(30)).sendTo("notes");

        kit.advance(Duration.ofSeconds(29));
        assertThat(handlers.notes).as("handled before its delay ended").isEmpty();

        kit.assertHandled("notes", String.class, "later"::equals);
        assertThat(Duration.between(sent, kit.time().now())).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(handlers.notes).containsExactly("acme:later");
    }

    @Test
    void messageIsATemplateThatItsOptionsDoNotChange() {
        OutgoingMessage base = kit.message(new Payment("tx-t", "cust-t", 1)).attribute("tenant", "initech");

        base.group("cust-a").sendTo("payments.fifo");
        base.sendTo("payments.fifo");

        kit.assertQueueEmpty("payments.fifo");
        assertThat(handlers.payments).extracting(Received::group)
                .containsExactlyInAnyOrder("cust-a", SluiceTestKit.DEFAULT_GROUP);
        assertThat(handlers.payments).extracting(Received::tenant).containsOnly("initech");
    }

    // ---- bad values fail at once, naming the value ----

    @Test
    void groupOutsideSqsRulesIsRejectedNamingIt() {
        OutgoingMessage message = kit.message("x");
        assertThatThrownBy(() -> message.group("cust 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group must be 1 to 128 characters")
                .hasMessageContaining("but was \"cust 1\"");
        assertThatThrownBy(() -> message.group("g".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(129 characters)");
        assertThatThrownBy(() -> message.group(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group must be")
                .hasMessageContaining("but was null");
    }

    @Test
    void emptyDeduplicationIdIsRejectedNamingIt() {
        assertThatThrownBy(() -> kit.message("x").deduplicationId(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deduplicationId must be 1 to 128 characters")
                .hasMessageContaining("but was \"\"");
        assertThatThrownBy(() -> kit.message("x").deduplicationId("tx\u00e9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was \"tx\u00e9\"");
    }

    @Test
    void badAttributesAreRejectedNamingThem() {
        assertThatThrownBy(() -> kit.message("x").attribute("aws.trace", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not start with 'AWS.'")
                .hasMessageContaining("but was \"aws.trace\"");
        assertThatThrownBy(() -> kit.message("x").attribute("tenant id", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was \"tenant id\"");
        assertThatThrownBy(() -> kit.message("x").attribute("a..b", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was \"a..b\"");
        assertThatThrownBy(() -> kit.message("x").attribute("tenant", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("message attribute 'tenant' must have a non-empty value, but was \"\"");
        OutgoingMessage ten = kit.message("x");
        for (int i = 1; i <= 10; i++) {
            ten = ten.attribute("a" + i, "v");
        }
        OutgoingMessage full = ten;
        assertThatThrownBy(() -> full.attribute("a11", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 10 message attributes, but attribute 'a11' would be the 11th");
        assertThat(full.attribute("a1", "replaced")).as("replacing one keeps ten").isNotNull();
    }

    @Test
    void delayOutsideSqsRulesIsRejectedNamingIt() {
        assertThatThrownBy(() -> kit.message("x").delay(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay must be whole seconds from 0s to 15m, but was 1500ms");
        assertThatThrownBy(() -> kit.message("x").delay(Duration.ofMinutes(16)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 16m");
        assertThatThrownBy(() -> kit.message("x").delay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was -1s");
    }

    @Test
    void delayOnAFifoQueueIsRejectedNamingTheQueueAndNothingIsSent() {
        OutgoingMessage delayed = kit.message(new Payment("tx-d", "cust-d", 1)).group("cust-d")
                .delay(Duration.ofSeconds(5));

        assertThatThrownBy(() -> delayed.sendTo("payments.fifo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue 'payments.fifo' is a FIFO queue, which takes no per-message delay")
                .hasMessageContaining("delay 5s");
        assertThat(kit.sqs().messages("payments.fifo")).isEmpty();
    }

    @Test
    void deduplicationIdOnAStandardQueueIsRejectedNamingTheQueueAndNothingIsSent() {
        assertThatThrownBy(() -> kit.message("x").deduplicationId("tx-9").sendTo("notes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue 'notes' is a standard queue")
                .hasMessageContaining("deduplicationId \"tx-9\"");
        assertThat(kit.sqs().messages("notes")).isEmpty();
    }
}
