package io.sluice.testing;

import io.sluice.producer.OutgoingMessage;
import io.sluice.producer.SendFailedException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A message a test is about to send with a {@link SluiceTestKit}: an {@link OutgoingMessage} (payload, FIFO group and
 * deduplication id, message attributes, a delay or a due time) that {@link #sendTo(String)} sends through the kit's
 * {@link io.sluice.producer.SqsProducer}, as an application would. Made by {@link SluiceTestKit#message(Object)}.
 *
 * <pre>{@code
 * kit.message(new Payment("tx-9", "cust-1", 4200))
 *         .group("cust-1")               // FIFO message group (the customer)
 *         .deduplicationId("tx-9")       // FIFO deduplication id (the transaction)
 *         .attribute("tenant", "acme")
 *         .sendTo("payments.fifo");
 * kit.message("{\"order_id\": \"ord-1\"}").delay(Duration.ofSeconds(30)).sendTo("order-processing");  // raw JSON body
 * kit.message(reminder).delay(Duration.ofHours(2)).sendTo("reminders");    // scheduled delivery, on virtual time
 * }</pre>
 *
 * <p>What the kit adds for convenience, on a FIFO queue only: group {@code "default"} when none is given, and a fresh
 * deduplication id when none is given and the queue does not deduplicate by content (so sending the same payload twice
 * delivers it twice). Everything else is the producer's: the same checks before sending, the same error ({@link
 * SendFailedException}, naming the queue, the message and the limit).
 *
 * <p>Immutable: each method returns a new message, so one message can serve as a template for several sends.
 */
public final class TestMessage {

    private final SluiceTestKit kit;
    private final OutgoingMessage message;

    TestMessage(SluiceTestKit kit, OutgoingMessage message) {
        this.kit = kit;
        this.message = message;
    }

    /** The message group ({@code MessageGroupId}); see {@link OutgoingMessage#group}. */
    public TestMessage group(String group) {
        return new TestMessage(kit, message.group(group));
    }

    /** The FIFO deduplication id; see {@link OutgoingMessage#deduplicationId}. */
    public TestMessage deduplicationId(String deduplicationId) {
        return new TestMessage(kit, message.deduplicationId(deduplicationId));
    }

    /** Adds a {@code String} message attribute, as a handler reads with {@code @MessageAttribute("name")}. */
    public TestMessage attribute(String name, String value) {
        return new TestMessage(kit, message.attribute(name, value));
    }

    /** Adds a {@code Number} message attribute. */
    public TestMessage attribute(String name, Number value) {
        return new TestMessage(kit, message.attribute(name, value));
    }

    /** Adds each of {@code attributes} as a {@code String} attribute, in the map's order. */
    public TestMessage attributes(Map<String, String> attributes) {
        return new TestMessage(kit, message.attributes(attributes));
    }

    /**
     * Delivers the message {@code delay} after it is sent, on the kit's virtual clock: SQS's own delay up to 15
     * minutes, scheduled delivery beyond (standard queues).
     */
    public TestMessage delay(Duration delay) {
        return new TestMessage(kit, message.delay(delay));
    }

    /** Delivers the message at {@code deliverAt} on the kit's virtual clock; see {@link OutgoingMessage#deliverAt}. */
    public TestMessage deliverAt(Instant deliverAt) {
        return new TestMessage(kit, message.deliverAt(deliverAt));
    }

    /** The message as the producer sends it. */
    public OutgoingMessage message() {
        return message;
    }

    /**
     * Sends this message to {@code queue} through the kit's producer.
     *
     * @return the message id SQS gave it
     * @throws SendFailedException   when the producer or the queue refuses it (naming the queue, the message and the
     *                               limit), or the queue does not exist
     * @throws IllegalStateException when the kit is not running
     */
    public String sendTo(String queue) {
        return kit.send(Objects.requireNonNull(queue, "queue"), message);
    }

    @Override
    public String toString() {
        return message.toString();
    }
}
