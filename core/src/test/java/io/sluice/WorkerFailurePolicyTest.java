package io.sluice;

import static io.sluice.testutil.TestMessages.message;
import static io.sluice.testutil.TestMessages.receiptHandleOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.annotations.Redelivery;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.VirtualStop;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.testutil.RecordingListener;
import io.sluice.testutil.TestMessages;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** The failure policy end to end through a worker, on virtual time: classification, retry, back-off, dead-letter. */
class WorkerFailurePolicyTest {

    private final FakeSqsTransport transport = new FakeSqsTransport();
    private final VirtualTime time = new VirtualTime();
    private final RecordingListener listener = new RecordingListener();
    private final List<Worker> workers = new ArrayList<>();

    @AfterEach
    void stopWorkers() {
        workers.forEach(worker -> VirtualStop.stop(worker, time, Duration.ofSeconds(1)));
    }

    record Order(String id) {
    }

    static class ValidationException extends RuntimeException {
        ValidationException(String message) {
            super(message);
        }
    }

    /** Fails its first {@code failures} calls, then succeeds. */
    static class FlakyHandler {
        final AtomicInteger calls = new AtomicInteger();
        volatile int failures;
        final List<Instant> callTimes = new ArrayList<>();
        VirtualTime time;

        @SqsHandler(queue = "orders")
        public void handle(Order order) {
            callTimes.add(time.now());
            if (order.id().startsWith("invalid")) {
                throw new ValidationException("order " + order.id() + " has no items");
            }
            if (calls.incrementAndGet() <= failures) {
                throw new IllegalStateException("payments service unavailable");
            }
        }
    }

    static class DeclaringHandler {
        final AtomicInteger calls = new AtomicInteger();

        @SqsHandler(queue = "orders")
        @Retry(attempts = 2, delayMillis = 100, noRetryOn = ValidationException.class)
        @Redelivery(maxAttempts = 2, backoffSeconds = 10, maxBackoffSeconds = 60)
        public void handle(Order order) {
            calls.incrementAndGet();
            if (order.id().startsWith("invalid")) {
                throw new ValidationException("order " + order.id() + " has no items");
            }
            throw new IllegalStateException("still down");
        }
    }

    private Worker start(WorkerConfig config, Object handler) {
        Worker worker = Worker.builder()
                .transport(transport)
                .handlers(handler)
                .config(config)
                .scheduler(time)
                .executor(Runnable::run)
                .listener(listener)
                .random(new SplittableRandom(42)::nextLong)
                .build();
        workers.add(worker);
        return worker.start();
    }

    private FlakyHandler flaky(int failures) {
        FlakyHandler handler = new FlakyHandler();
        handler.failures = failures;
        handler.time = time;
        return handler;
    }

    @Test
    void transientFailureSucceedsOnInProcessRetryWithoutARedelivery() {
        transport.withRedrive("orders", "orders-dlq", 3, 30);
        FlakyHandler handler = flaky(2);
        start(WorkerConfig.defaults(), handler);

        transport.addMessages(message("m1", "{\"id\": \"o-1\"}"));
        assertThat(handler.calls).hasValue(1);
        time.advance(Duration.ofMillis(199));
        assertThat(handler.calls).as("the first retry waits 200 ms").hasValue(1);
        time.advance(Duration.ofMillis(1));
        assertThat(handler.calls).hasValue(2);
        time.advance(Duration.ofMillis(400));
        assertThat(handler.calls).as("the second retry waits 400 ms more").hasValue(3);
        time.advance(WorkerConfig.DEFAULT_DELETE_FLUSH_INTERVAL);

        assertThat(listener.retried).containsExactly("m1#1", "m1#2");
        assertThat(listener.handled).containsExactly("m1");
        assertThat(transport.deletedReceiptHandles()).containsExactly(receiptHandleOf("m1"));
        assertThat(transport.visibilityChanges()).as("no redelivery, no release").isEmpty();
        assertThat(transport.sendRequests()).isEmpty();
    }

    @Test
    void persistentFailureBacksOffByReceiveCountAndIsDeadLetteredOnTheLastDelivery() {
        transport.withRedrive("orders", "orders-dlq", 3, 30);
        FlakyHandler handler = flaky(Integer.MAX_VALUE);
        start(WorkerConfig.defaults(), handler);

        transport.addMessages(message("m1", "{\"id\": \"o-1\"}", 1));
        time.advance(Duration.ofSeconds(1));
        transport.addMessages(message("m1", "{\"id\": \"o-1\"}", 2));
        time.advance(Duration.ofSeconds(1));
        assertThat(handler.calls).as("3 calls per delivery").hasValue(6);
        assertThat(transport.visibilityChanges()).extracting(entry -> entry.visibilityTimeout())
                .satisfiesExactly(
                        first -> assertThat(first).isBetween(3, 5),     // 5 s, jittered (half rounded up)
                        second -> assertThat(second).isBetween(5, 10)); // 10 s, jittered
        assertThat(transport.sendRequests()).isEmpty();

        transport.addMessages(message("m1", "{\"id\": \"o-1\"}", 3));
        time.advance(Duration.ofSeconds(1));

        assertThat(handler.calls).hasValue(9);
        assertThat(transport.sentTo("orders-dlq")).singleElement().satisfies(entry -> {
            assertThat(entry.messageBody()).isEqualTo("{\"id\": \"o-1\"}");
            Map<String, MessageAttributeValue> attributes = entry.messageAttributes();
            assertThat(attributes.get(DeadLetterReason.ERROR_CLASS).stringValue())
                    .isEqualTo(IllegalStateException.class.getName());
            assertThat(attributes.get(DeadLetterReason.ERROR_MESSAGE).stringValue())
                    .isEqualTo("payments service unavailable");
            assertThat(attributes.get(DeadLetterReason.HANDLER).stringValue()).isEqualTo("FlakyHandler.handle");
            assertThat(attributes.get(DeadLetterReason.ATTEMPTS).stringValue()).isEqualTo("3");
            assertThat(attributes.get(DeadLetterReason.SOURCE_QUEUE).stringValue()).isEqualTo("orders");
            assertThat(Instant.parse(attributes.get(DeadLetterReason.LAST_FAILURE).stringValue()))
                    .isAfterOrEqualTo(Instant.parse(attributes.get(DeadLetterReason.FIRST_FAILURE).stringValue()));
        });
        assertThat(listener.deadLettered).containsExactly("m1 -> orders-dlq");
        assertThat(transport.deletedReceiptHandles()).containsExactly(receiptHandleOf("m1"));
        assertThat(transport.visibilityChanges()).as("no back-off on the last delivery").hasSize(2);
    }

    @Test
    void poisonBodyIsDeadLetteredOnItsFirstReceiveWithTheReasonAndTheWorkerGoesOn() {
        transport.withRedrive("orders", "orders-dlq", 5, 30);
        FlakyHandler handler = flaky(0);
        start(WorkerConfig.defaults(), handler);

        transport.addMessages(message("poison", "{\"id\": "), message("m2", "{\"id\": \"o-2\"}"));
        time.advance(Duration.ofSeconds(1));

        assertThat(transport.sentTo("orders-dlq")).singleElement().satisfies(entry -> {
            assertThat(entry.messageBody()).isEqualTo("{\"id\": ");
            assertThat(entry.messageAttributes().get(DeadLetterReason.ERROR_CLASS).stringValue())
                    .isEqualTo(MessageBindingException.class.getName());
            assertThat(entry.messageAttributes().get(DeadLetterReason.ERROR_MESSAGE).stringValue())
                    .contains("poison").contains("orders").doesNotContain("{\"id\": ");
            assertThat(entry.messageAttributes().get(DeadLetterReason.ATTEMPTS).stringValue()).isEqualTo("1");
        });
        assertThat(listener.retried).as("poison is never retried").isEmpty();
        assertThat(listener.handled).containsExactly("m2");
        assertThat(transport.deletedReceiptHandles())
                .containsExactlyInAnyOrder(receiptHandleOf("poison"), receiptHandleOf("m2"));
    }

    @Test
    void handlerDeclaredValidationExceptionIsPoisonAndAnnotationsSetTheRedeliveryPolicy() {
        transport.withRedrive("orders", "orders-dlq", 5, 30);
        DeclaringHandler handler = new DeclaringHandler();
        start(WorkerConfig.defaults(), handler);

        transport.addMessages(message("invalid", "{\"id\": \"invalid-1\"}"));
        time.advance(Duration.ofSeconds(1));
        assertThat(handler.calls).as("not retried").hasValue(1);
        assertThat(listener.deadLettered).containsExactly("invalid -> orders-dlq");
        assertThat(transport.sentTo("orders-dlq").get(0).messageAttributes().get(DeadLetterReason.ERROR_CLASS)
                .stringValue()).isEqualTo(ValidationException.class.getName());

        transport.addMessages(message("m2", "{\"id\": \"o-2\"}", 1));
        time.advance(Duration.ofSeconds(1));
        assertThat(handler.calls).as("@Retry(attempts = 2)").hasValue(3);
        assertThat(transport.visibilityChanges()).singleElement()
                .satisfies(entry -> assertThat(entry.visibilityTimeout()).isBetween(5, 10));
        transport.addMessages(message("m2", "{\"id\": \"o-2\"}", 2));
        time.advance(Duration.ofSeconds(1));
        assertThat(listener.deadLettered).as("@Redelivery(maxAttempts = 2)")
                .containsExactly("invalid -> orders-dlq", "m2 -> orders-dlq");
    }

    @Test
    void externalConfigurationOverridesTheAnnotationsAndMaxAttemptsIsCappedByTheRedrivePolicy() {
        transport.withRedrive("orders", "orders-dlq", 2, 30);
        DeclaringHandler handler = new DeclaringHandler();
        start(WorkerConfig.builder()
                .queue("orders", QueueConfig.builder().retryAttempts(1).maxAttempts(5).build())
                .build(), handler);

        transport.addMessages(message("m1", "{\"id\": \"o-1\"}", 2));
        time.advance(Duration.ofSeconds(1));

        assertThat(handler.calls).as("retry attempts 1 from configuration").hasValue(1);
        assertThat(listener.deadLettered).as("maxAttempts 5 > maxReceiveCount 2: dead-lettered on delivery 2")
                .containsExactly("m1 -> orders-dlq");
    }

    @Test
    void externalConfigurationReclassifiesExceptions() {
        transport.withRedrive("orders", "orders-dlq", 3, 30);
        DeclaringHandler handler = new DeclaringHandler();
        // The annotation retries IllegalStateException ("still down"); configuration makes it poison instead.
        start(WorkerConfig.builder()
                .queue("orders", QueueConfig.builder().noRetryOn(IllegalStateException.class).build())
                .build(), handler);

        transport.addMessages(message("m1", "{\"id\": \"o-1\"}"));
        time.advance(Duration.ofSeconds(1));

        assertThat(handler.calls).as("not retried in process").hasValue(1);
        assertThat(listener.retried).isEmpty();
        assertThat(listener.deadLettered).as("poison: dead-lettered on its first receive")
                .containsExactly("m1 -> orders-dlq");
    }

    @Test
    void deleteHappensOnlyAfterTheDeadLetterSendSucceeded() {
        transport.withRedrive("orders", "orders-dlq", 1, 30);
        CompletableFuture<SendMessageBatchResponse> send = new CompletableFuture<>();
        transport.onSend(request -> send);
        start(WorkerConfig.defaults(), flaky(0));

        transport.addMessages(message("poison", "not json"));
        time.advance(Duration.ofSeconds(1));
        assertThat(transport.sendRequests()).hasSize(1);
        assertThat(transport.deleteRequests()).as("not before the DLQ has it").isEmpty();

        FakeSqsTransport.allSent(transport.sendRequests().get(0)).thenAccept(send::complete);
        time.advance(Duration.ofSeconds(1));
        assertThat(transport.deletedReceiptHandles()).containsExactly(receiptHandleOf("poison"));
    }

    @Test
    void aFailedDeadLetterSendLeavesTheMessageOnItsQueue() {
        transport.withRedrive("orders", "orders-dlq", 1, 30);
        transport.onSend(request -> CompletableFuture.completedFuture(SendMessageBatchResponse.builder()
                .successful(List.of())
                .failed(BatchResultErrorEntry.builder().id("0").code("InternalError").senderFault(false).build())
                .build()));
        Worker worker = start(WorkerConfig.defaults(), flaky(0));

        transport.addMessages(message("poison", "not json"));
        time.advance(Duration.ofSeconds(5));

        assertThat(transport.sendRequests()).as("three sends, 200 ms and 400 ms apart").hasSize(3);
        assertThat(transport.deleteRequests()).isEmpty();
        assertThat(transport.visibilityChanges()).isEmpty();
        assertThat(listener.deadLettered).isEmpty();
        assertThat(worker.inFlight()).isZero();
    }

    @Test
    void aDeadLetterSendThatFailsOnceIsTriedAgainBeforeTheMessageIsGivenUp() {
        transport.withRedrive("orders", "orders-dlq", 1, 30);
        AtomicInteger sends = new AtomicInteger();
        transport.onSend(request -> sends.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(SdkClientException.create("connection reset"))
                : FakeSqsTransport.allSent(request));
        start(WorkerConfig.defaults(), flaky(0));

        transport.addMessages(message("poison", "not json"));
        time.advance(Duration.ofMillis(199));
        assertThat(transport.sendRequests()).hasSize(1);
        time.advance(Duration.ofMillis(1));
        time.advance(WorkerConfig.DEFAULT_DELETE_FLUSH_INTERVAL);

        assertThat(transport.sendRequests()).hasSize(2);
        assertThat(listener.deadLettered).containsExactly("poison -> orders-dlq");
        assertThat(transport.deletedReceiptHandles()).containsExactly(receiptHandleOf("poison"));
    }

    @Test
    void aDeadLetterSendRefusedForTheSendersFaultIsNotTriedAgain() {
        transport.withRedrive("orders", "orders-dlq", 1, 30);
        transport.onSend(request -> CompletableFuture.completedFuture(SendMessageBatchResponse.builder()
                .successful(List.of())
                .failed(BatchResultErrorEntry.builder().id("0").code("InvalidMessageContents").senderFault(true)
                        .build())
                .build()));
        start(WorkerConfig.defaults(), flaky(0));

        transport.addMessages(message("poison", "not json"));
        time.advance(Duration.ofSeconds(5));

        assertThat(transport.sendRequests()).hasSize(1);
        assertThat(listener.deadLettered).isEmpty();
        assertThat(transport.deleteRequests()).as("left on its queue").isEmpty();
    }

    @Test
    void withoutAnyDeadLetterQueueExhaustedMessagesAreLeftForSqs() {
        transport.withQueue("orders");
        start(WorkerConfig.defaults(), flaky(0));

        transport.addMessages(message("poison", "not json"));
        time.advance(Duration.ofSeconds(5));

        assertThat(transport.sendRequests()).isEmpty();
        assertThat(transport.deleteRequests()).isEmpty();
    }

    @Test
    void configuredDeadLetterQueueIsUsedWhenTheQueueHasNoRedrivePolicy() {
        transport.withQueue("orders").withQueue("orders-poison");
        start(WorkerConfig.builder()
                .queue("orders", QueueConfig.builder().deadLetterQueue("orders-poison").build()).build(), flaky(0));

        transport.addMessages(message("poison", "not json"));
        time.advance(Duration.ofSeconds(1));

        assertThat(listener.deadLettered).containsExactly("poison -> orders-poison");
    }

    @Test
    void aMissingConfiguredDeadLetterQueueFailsStartup() {
        transport.withQueue("orders");
        Worker worker = Worker.builder().transport(transport).handlers(flaky(0)).scheduler(time)
                .config(WorkerConfig.builder()
                        .queue("orders", QueueConfig.builder().deadLetterQueue("nowhere").build()).build())
                .build();
        workers.add(worker);
        assertThatThrownBy(worker::start).isInstanceOf(HandlerDefinitionException.class)
                .hasMessageContaining("'nowhere'").hasMessageContaining("'orders'");
    }

    @Test
    void fifoDeadLetterKeepsTheGroupAndDeduplicatesByTheSourceMessageId() {
        transport.withRedrive("payments.fifo", "payments-dlq.fifo", 3, 30);
        Object handler = new Object() {
            @SqsHandler(queue = "payments.fifo")
            public void handle(Order order) {
            }
        };
        start(WorkerConfig.defaults(), handler);
        Message poison = message("p1", "nope").toBuilder()
                .attributesWithStrings(Map.of("ApproximateReceiveCount", "1", "MessageGroupId", "customer-7"))
                .build();
        transport.addMessages(poison);
        time.advance(Duration.ofSeconds(1));

        assertThat(transport.sentTo("payments-dlq.fifo")).singleElement().satisfies(entry -> {
            assertThat(entry.messageGroupId()).isEqualTo("customer-7");
            assertThat(entry.messageDeduplicationId()).isEqualTo("p1");
        });
    }

    @Test
    void theDeadLetterCopyCarriesTheAwsTraceHeader() {
        transport.withRedrive("orders", "orders-dlq", 5, 30);
        start(WorkerConfig.defaults(), flaky(0));
        String trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";
        Message traced = message("poison", "not json");
        traced = traced.toBuilder().attributesWithStrings(Map.of("ApproximateReceiveCount", "1",
                "AWSTraceHeader", trace)).build();
        transport.addMessages(traced, message("untraced", "not json"));
        time.advance(Duration.ofSeconds(1));

        List<SendMessageBatchRequestEntry> sent = transport.sentTo("orders-dlq");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).messageSystemAttributesAsStrings()).containsOnlyKeys("AWSTraceHeader");
        assertThat(sent.get(0).messageSystemAttributesAsStrings().get("AWSTraceHeader").stringValue())
                .isEqualTo(trace);
        assertThat(sent.get(1).messageSystemAttributes()).isEmpty();
    }

    @Test
    void originalAttributesAreKeptAndTheReasonIsPackedWhenTheyLeaveTooLittleRoom() throws Exception {
        transport.withRedrive("orders", "orders-dlq", 1, 30);
        start(WorkerConfig.defaults(), flaky(0));
        Map<String, String> original = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            original.put("attr" + i, "v" + i);
        }
        transport.addMessages(TestMessages.withAttributes(message("poison", "not json"), original),
                TestMessages.withAttributes(message("poison2", "not json"), Map.of("trace", "t-1")));
        time.advance(Duration.ofSeconds(1));

        List<SendMessageBatchRequestEntry> sent = transport.sentTo("orders-dlq");
        assertThat(sent).hasSize(2);
        SendMessageBatchRequestEntry packed = sent.get(0);
        assertThat(packed.messageAttributes()).hasSize(6).containsKeys("attr1", "attr5", DeadLetterReason.ERROR);
        JsonNode reason = new ObjectMapper().readTree(packed.messageAttributes().get(DeadLetterReason.ERROR).stringValue());
        assertThat(reason.get(DeadLetterReason.ERROR_CLASS).asText()).isEqualTo(MessageBindingException.class.getName());
        assertThat(reason.get(DeadLetterReason.SOURCE_QUEUE).asText()).isEqualTo("orders");
        assertThat(sent.get(1).messageAttributes()).hasSize(8).containsKeys("trace", DeadLetterReason.ERROR_CLASS);
    }

    @Test
    void aMessageWithTenAttributesCarriesItsReasonWithItsLastAttributeMovedIntoItAndNothingDropped() {
        transport.withRedrive("orders", "orders-dlq", 1, 30);
        start(WorkerConfig.defaults(), flaky(0));
        Map<String, String> nine = new LinkedHashMap<>();
        for (int i = 1; i <= 9; i++) {
            nine.put("attr" + i, "v" + i);
        }
        Map<String, MessageAttributeValue> ten = new LinkedHashMap<>(TestMessages.withAttributes(
                message("full", "not json"), nine).messageAttributes());
        ten.put("blob", MessageAttributeValue.builder().dataType("Binary.gz")
                .binaryValue(software.amazon.awssdk.core.SdkBytes.fromByteArray(new byte[] {1, 2, 3})).build());
        Message full = message("full", "not json").toBuilder().messageAttributes(ten).build();
        Message nineOnly = TestMessages.withAttributes(message("nine", "not json"), nine);
        transport.addMessages(full, nineOnly);
        time.advance(Duration.ofSeconds(1));

        List<SendMessageBatchRequestEntry> sent = transport.sentTo("orders-dlq");
        assertThat(sent).hasSize(2);
        SendMessageBatchRequestEntry tenCopy = sent.get(0);
        assertThat(tenCopy.messageAttributes()).as("SQS's limit kept").hasSize(10)
                .containsKeys("attr1", "attr9", DeadLetterReason.ERROR).doesNotContainKey("blob");
        Message received = Message.builder().body(tenCopy.messageBody()).messageAttributes(tenCopy.messageAttributes())
                .build();
        assertThat(DeadLetterReason.of(received)).hasValueSatisfying(reason -> {
            assertThat(reason.errorClass()).isEqualTo(MessageBindingException.class.getName());
            assertThat(reason.sourceQueue()).isEqualTo("orders");
        });
        assertThat(DeadLetterReason.originalAttributes(received)).as("what a redrive sends: the original ten")
                .isEqualTo(full.messageAttributes());
        assertThat(sent.get(1).messageAttributes()).as("nine: the reason packed in the one free slot").hasSize(10)
                .containsKeys("attr9", DeadLetterReason.ERROR);
    }

    @Test
    void aMessageDeadLetteredAgainCarriesOnlyTheNewReasonInTheRoomTheOldOneTook() {
        // Moved back from its DLQ with every attribute (StartMessageMoveTask keeps them): its own three and the old
        // reason's seven fill SQS's ten; the old reason goes, and the new one fits as separate attributes.
        transport.withRedrive("orders", "orders-dlq", 1, 30);
        start(WorkerConfig.defaults(), flaky(0));
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            attributes.put("attr" + i, "v" + i);
        }
        for (String name : DeadLetterReason.ATTRIBUTE_NAMES) {
            if (!name.equals(DeadLetterReason.ERROR)) {
                attributes.put(name, "old");
            }
        }
        transport.addMessages(TestMessages.withAttributes(message("redriven", "not json"), attributes));
        time.advance(Duration.ofSeconds(1));

        SendMessageBatchRequestEntry sent = transport.sentTo("orders-dlq").get(0);
        assertThat(sent.messageAttributes()).hasSize(10).containsKeys("attr1", "attr2", "attr3")
                .doesNotContainKey(DeadLetterReason.ERROR);
        assertThat(sent.messageAttributes().get(DeadLetterReason.ERROR_CLASS).stringValue())
                .isEqualTo(MessageBindingException.class.getName());
        assertThat(sent.messageAttributes().get(DeadLetterReason.SOURCE_QUEUE).stringValue()).isEqualTo("orders");
    }

    @Test
    void aMessageNearTheSizeLimitKeepsAShortenedReasonOrNoneRatherThanBeingRefused() {
        transport.withRedrive("orders", "orders-dlq", 1, 30);
        Object handler = new Object() {
            @SqsHandler(queue = "orders")
            public void handle(String body) {
                throw new IllegalStateException("x".repeat(5000));
            }
        };
        start(WorkerConfig.builder().retry(RetryPolicy.builder().attempts(1).build()).build(), handler);
        String nearLimit = "y".repeat(1_048_576 - 700);
        String atLimit = "z".repeat(1_048_576 - 10);
        transport.addMessages(message("near", nearLimit), message("full", atLimit));
        time.advance(Duration.ofSeconds(1));

        List<SendMessageBatchRequestEntry> sent = transport.sentTo("orders-dlq");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).messageAttributes().get(DeadLetterReason.ERROR_MESSAGE).stringValue())
                .as("shortened to fit").hasSizeLessThanOrEqualTo(64);
        assertThat(sent.get(0).messageAttributes()).containsKey(DeadLetterReason.ERROR_CLASS);
        assertThat(sent.get(1).messageAttributes()).as("no room at all: the reason is only logged").isEmpty();
        assertThat(transport.deletedReceiptHandles()).hasSize(2);
    }
}
