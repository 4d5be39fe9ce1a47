package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.annotations.MessageAttribute;
import io.sluice.annotations.SqsHandler;
import io.sluice.producer.SendFailedException;
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
        TestMessage base = kit.message(new Payment("tx-t", "cust-t", 1)).attribute("tenant", "initech");

        base.group("cust-a").sendTo("payments.fifo");
        base.sendTo("payments.fifo");

        kit.assertQueueEmpty("payments.fifo");
        assertThat(handlers.payments).extracting(Received::group)
                .containsExactlyInAnyOrder("cust-a", SluiceTestKit.DEFAULT_GROUP);
        assertThat(handlers.payments).extracting(Received::tenant).containsOnly("initech");
    }

    // ---- what SQS would refuse is refused before sending, by the producer's checks, naming it ----

    private void assertRefused(TestMessage message, String queue, String code, String... mentions) {
        assertThatThrownBy(() -> message.sendTo(queue))
                .isInstanceOfSatisfying(SendFailedException.class, error -> {
                    assertThat(error.beforeRequest()).isTrue();
                    assertThat(error.code()).isEqualTo(code);
                })
                .hasMessageContaining("to queue '" + queue + "' was refused before sending")
                .satisfies(error -> {
                    for (String mention : mentions) {
                        assertThat(error).hasMessageContaining(mention);
                    }
                });
    }

    @Test
    void groupOutsideSqsRulesIsRefusedNamingIt() {
        assertRefused(kit.message("x").group("cust 1"), "payments.fifo", "InvalidParameterValue", "MessageGroupId");
        assertRefused(kit.message("x").group("g".repeat(129)), "payments.fifo", "InvalidParameterValue",
                "MessageGroupId");
        assertThatThrownBy(() -> kit.message("x").group(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("groupId");
        assertThat(kit.sqs().messages("payments.fifo")).isEmpty();
    }

    @Test
    void badDeduplicationIdIsRefusedNamingIt() {
        assertRefused(kit.message("x").deduplicationId(""), "payments.fifo", "InvalidParameterValue",
                "MessageDeduplicationId");
        assertRefused(kit.message("x").deduplicationId("tx\u00e9"), "payments.fifo", "InvalidParameterValue",
                "MessageDeduplicationId");
    }

    @Test
    void badAttributesAreRefusedNamingThem() {
        assertRefused(kit.message("x").attribute("aws.trace", "1"), "notes", "InvalidParameterValue", "aws.trace");
        assertRefused(kit.message("x").attribute("tenant id", "1"), "notes", "InvalidParameterValue", "tenant id");
        assertRefused(kit.message("x").attribute("a..b", "1"), "notes", "InvalidParameterValue", "a..b");
        assertRefused(kit.message("x").attribute("tenant", ""), "notes", "InvalidParameterValue", "tenant");
        TestMessage eleven = kit.message("x");
        for (int i = 1; i <= 11; i++) {
            eleven = eleven.attribute("a" + i, "v");
        }
        assertRefused(eleven, "notes", "InvalidParameterValue", "11");
        assertThat(kit.sqs().messages("notes")).isEmpty();
    }

    @Test
    void aDelayIsRoundedUpToWholeSecondsAndANegativeOneIsRejectedAtOnce() {
        Instant sent = kit.time().now();
        kit.message("half").delay(Duration.ofMillis(1500)).sendTo("notes");

        kit.advance(Duration.ofSeconds(1));
        assertThat(handlers.notes).isEmpty();
        kit.assertHandled("notes", String.class, "half"::equals);
        assertThat(Duration.between(sent, kit.time().now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> kit.message("x").delay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void aDelayBeyondFifteenMinutesIsScheduledDeliveryOnVirtualTime() {
        Instant sent = kit.time().now();
        kit.message("in two hours").attribute("tenant", "acme").delay(Duration.ofHours(2)).sendTo("notes");

        kit.advance(Duration.ofMinutes(119));
        assertThat(handlers.notes).as("handled before it was due").isEmpty();
        kit.assertHandled("notes", String.class, "in two hours"::equals);
        assertThat(Duration.between(sent, kit.time().now())).isGreaterThanOrEqualTo(Duration.ofHours(2));
        assertThat(handlers.notes).containsExactly("acme:in two hours");
        assertThat(kit.deadLetters("notes")).isEmpty();
    }

    @Test
    void delayOnAFifoQueueIsRefusedNamingTheQueueAndNothingIsSent() {
        assertRefused(kit.message(new Payment("tx-d", "cust-d", 1)).group("cust-d").delay(Duration.ofSeconds(5)),
                "payments.fifo", "InvalidParameterValue", "DelaySeconds");
        assertThat(kit.sqs().messages("payments.fifo")).isEmpty();
    }

    @Test
    void deduplicationIdOnAStandardQueueIsRefusedNamingTheQueueAndNothingIsSent() {
        assertRefused(kit.message("x").deduplicationId("tx-9"), "notes", "InvalidParameterValue",
                "MessageDeduplicationId");
        assertThat(kit.sqs().messages("notes")).isEmpty();
    }

    @Test
    void theKitsProducerIsTheOneAnApplicationWouldUse() {
        kit.producer().sendAll("notes", List.of("one", "two"));

        kit.assertHandled("notes", String.class, "two"::equals);
        assertThat(handlers.notes).containsExactlyInAnyOrder("null:one", "null:two");
    }
}
