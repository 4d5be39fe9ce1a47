package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.DeadLetterReason;
import io.sluice.Worker;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * A thousand seeded bad bodies through one worker (issue 12): each is handled or dead-lettered with its reason, as its
 * kind says; nothing is left in the queue; the worker keeps running throughout.
 */
class BadInputFuzzTest {

    private static final long SEED = 20261130L;
    private static final int BODIES = 1000;

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, SEED);

    @AfterEach
    void close() {
        world.close();
    }

    record Order(@JsonProperty("order_id") String orderId, int quantity) {
    }

    static final class InvalidOrderException extends RuntimeException {
        InvalidOrderException(String message) {
            super(message);
        }
    }

    static final class Orders {
        final Set<String> handled = ConcurrentHashMap.newKeySet();

        @SqsHandler(queue = "orders")
        @Retry(attempts = 1, noRetryOn = InvalidOrderException.class)
        public void handle(Order order, @MessageId String messageId) {
            if (order.orderId() == null) {
                throw new InvalidOrderException("an order needs an order_id");
            }
            handled.add(messageId);
        }
    }

    @Test
    void everyBadBodyIsHandledOrDeadLetteredWithItsReasonAndTheWorkerKeepsRunning() {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        String dlq = world.join(world.sqs.getQueueUrl(b -> b.queueName("orders-dlq"))).queueUrl();
        Orders orders = new Orders();
        Worker worker = world.start(Worker.builder().handlers(orders));
        List<BodyFuzzer.Body> bodies = new BodyFuzzer(SEED).bodies(BODIES);
        Map<String, BodyFuzzer.Body> byMessageId = new HashMap<>();
        for (BodyFuzzer.Body body : bodies) {
            byMessageId.put(world.send(url, body.text(), Map.of()), body);
        }

        // A dead-lettered copy has a new message id: it is matched to its kind by its body (equal bodies are of one kind).
        Map<String, BodyFuzzer.Body> byText = new HashMap<>();
        bodies.forEach(body -> byText.put(body.text(), body));
        Map<String, DeadLetterReason> deadLettered = new HashMap<>();
        Map<String, String> deadBodies = new HashMap<>();
        world.runUntil(() -> {
            drain(dlq, deadLettered, deadBodies);
            return orders.handled.size() + deadLettered.size() >= BODIES;
        }, Duration.ofMillis(200), Duration.ofMinutes(10));

        Map<String, Integer> expected = new TreeMap<>();
        Map<String, Integer> actual = new TreeMap<>();
        bodies.forEach(body -> expected.merge(body.kind() + " " + body.expect(), 1, Integer::sum));
        orders.handled.forEach(id -> actual.merge(byMessageId.get(id).kind() + " " + BodyFuzzer.Expect.HANDLED, 1,
                Integer::sum));
        deadBodies.values().forEach(text -> actual.merge(byText.get(text).kind() + " "
                + BodyFuzzer.Expect.DEAD_LETTERED, 1, Integer::sum));
        assertThat(actual).as("outcomes by kind").isEqualTo(expected);
        assertThat(expected.keySet()).as("every kind of bad input was generated").hasSizeGreaterThanOrEqualTo(17);
        assertThat(deadLettered.values()).allSatisfy(reason -> {
            assertThat(reason.handler()).isEqualTo("Orders.handle");
            assertThat(reason.errorClass()).isNotBlank();
            assertThat(reason.errorMessage()).isNotBlank();
            assertThat(reason.attempts()).isEqualTo(1);
        });
        assertThat(deadLettered.values()).extracting(DeadLetterReason::errorClass)
                .contains("io.sluice.MessageBindingException", InvalidOrderException.class.getName());
        assertThat(deadLettered.values()).extracting(DeadLetterReason::errorMessage)
                .anySatisfy(message -> assertThat(message).contains("exceeds a reading bound: Document nesting depth"))
                .anySatisfy(message -> assertThat(message).contains("a field is given twice"))
                .anySatisfy(message -> assertThat(message).contains("the body is JSON null"))
                .allSatisfy(message -> assertThat(message).doesNotContain("nnnnnnnn").doesNotContainPattern("o-\\d+-[0-9a-f]+"));
        assertThat(worker.isRunning()).isTrue();
        assertThat(worker.inFlight()).isZero();
        assertThat(world.join(world.sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))).attributesAsStrings())
                .containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
    }

    /** Takes every message off the dead-letter queue, keeping each one's reason by its original message id. */
    private void drain(String dlq, Map<String, DeadLetterReason> deadLettered, Map<String, String> bodies) {
        while (true) {
            ReceiveMessageResponse response = world.join(world.sqs.receiveMessage(b -> b.queueUrl(dlq)
                    .maxNumberOfMessages(10).messageAttributeNames("All").visibilityTimeout(600)));
            if (response.messages().isEmpty()) {
                return;
            }
            for (Message message : response.messages()) {
                DeadLetterReason reason = DeadLetterReason.of(message).orElseThrow(() -> new AssertionError(
                        "dead-lettered without a reason: " + message.messageId()));
                deadLettered.put(message.messageId(), reason);
                bodies.put(message.messageId(), message.body());
            }
        }
    }

    /** A class a gadget body names; records whether it was ever built. */
    public static final class Gadget {
        static volatile boolean created;

        public Gadget() {
            created = true;
        }
    }

    /** A payload type that lets the body name a class: the default mapper still refuses every class name. */
    public static final class Envelope {
        @com.fasterxml.jackson.annotation.JsonTypeInfo(use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.CLASS)
        public Object payload;
    }

    static final class Envelopes {
        final Set<String> handled = ConcurrentHashMap.newKeySet();

        @SqsHandler(queue = "orders")
        public void handle(Envelope envelope, @MessageId String messageId) {
            handled.add(messageId);
        }
    }

    @Test
    void aGadgetPayloadIsRejectedAndDeadLetteredWithoutBuildingTheClass() {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        String dlq = world.join(world.sqs.getQueueUrl(b -> b.queueName("orders-dlq"))).queueUrl();
        Envelopes envelopes = new Envelopes();
        world.start(Worker.builder().handlers(envelopes));
        Gadget.created = false;

        world.send(url, "{\"payload\":[\"" + Gadget.class.getName() + "\",{}]}", Map.of());
        world.send(url, "{\"payload\":[\"java.lang.ProcessBuilder\",{\"command\":[\"touch\",\"/tmp/x\"]}]}",
                Map.of());
        Map<String, DeadLetterReason> deadLettered = new HashMap<>();
        world.runUntil(() -> {
            drain(dlq, deadLettered, new HashMap<>());
            return deadLettered.size() == 2;
        }, Duration.ofMillis(200), Duration.ofMinutes(1));

        assertThat(envelopes.handled).isEmpty();
        assertThat(Gadget.created).isFalse();
        assertThat(deadLettered.values()).hasSize(2).allSatisfy(reason -> {
            assertThat(reason.errorClass()).isEqualTo("io.sluice.MessageBindingException");
            assertThat(reason.errorMessage()).contains("a type id that is not allowed").contains("Envelopes.handle");
            assertThat(reason.attempts()).isEqualTo(1);
        });
    }
}
