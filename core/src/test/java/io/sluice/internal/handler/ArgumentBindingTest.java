package io.sluice.internal.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.MessageBindingException;
import io.sluice.annotations.MessageAttribute;
import io.sluice.annotations.MessageAttributes;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.ReceiveCount;
import io.sluice.annotations.SqsHandler;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class ArgumentBindingTest {

    private static final String SECRET = "s3cr3t-card-4111111111111111";

    record OrderItem(String sku, int quantity) {
    }

    /** The article's order, as a Python producer writes it: snake_case keys and isoformat() timestamps. */
    record OrderPlaced(
            @JsonProperty("order_id") String orderId,
            @JsonProperty("customer_email") String customerEmail,
            @JsonProperty("placed_at") LocalDateTime placedAt,
            BigDecimal total,
            List<OrderItem> items) {
    }

    public static class Shipment {
        private String trackingNumber;

        public String getTrackingNumber() {
            return trackingNumber;
        }

        public void setTrackingNumber(String trackingNumber) {
            this.trackingNumber = trackingNumber;
        }
    }

    static class Captor {
        final AtomicReference<Object[]> arguments = new AtomicReference<>();

        void capture(Object... arguments) {
            this.arguments.set(arguments);
        }

        Object argument(int index) {
            assertThat(arguments.get()).as("the handler was called").isNotNull();
            return arguments.get()[index];
        }
    }

    private static Message message(String body) {
        return Message.builder()
                .messageId("msg-1")
                .receiptHandle("rh-1")
                .body(body)
                .attributesWithStrings(Map.of("ApproximateReceiveCount", "3"))
                .build();
    }

    private static HandlerMethod handlerOf(Object bean) {
        return new HandlerScanner(io.sluice.SluiceJson.defaultMapper(), key -> Optional.empty()).scan(List.of(bean))
                .get(0);
    }

    private static Throwable failureOf(CompletionStage<?> stage) {
        CompletableFuture<?> future = stage.toCompletableFuture();
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("not failed");
    }

    // ---- payloads ----

    static class OrderHandler extends Captor {
        @SqsHandler(queue = "orders")
        public void handle(OrderPlaced order) {
            capture(order);
        }
    }

    @Test
    void bindsRecordPayloadFromSnakeCaseJsonWithPythonIsoTimestamp() {
        OrderHandler handler = new OrderHandler();
        String body = """
                {"order_id": "o-42", "customer_email": "ada@example.com",
                 "placed_at": "2026-11-25T01:22:29.123456", "total": 19.90,
                 "items": [{"sku": "book", "quantity": 2}]}""";

        CompletionStage<?> outcome = handlerOf(handler).invoke(message(body));

        assertThat(outcome.toCompletableFuture()).isCompleted().isNotCompletedExceptionally();
        assertThat(handler.argument(0)).isEqualTo(new OrderPlaced("o-42", "ada@example.com",
                LocalDateTime.of(2026, 11, 25, 1, 22, 29, 123_456_000), new BigDecimal("19.90"),
                List.of(new OrderItem("book", 2))));
    }

    @Test
    void ignoresUnknownJsonProperties() {
        OrderHandler handler = new OrderHandler();
        String body = """
                {"order_id": "o-7", "schema_version": 3, "items": [], "extra": {"nested": true}}""";

        handlerOf(handler).invoke(message(body)).toCompletableFuture().join();

        OrderPlaced order = (OrderPlaced) handler.argument(0);
        assertThat(order.orderId()).isEqualTo("o-7");
        assertThat(order.items()).isEmpty();
        assertThat(order.placedAt()).isNull();
    }

    static class ShipmentHandler extends Captor {
        @SqsHandler(queue = "shipments")
        public void handle(Shipment shipment) {
            capture(shipment);
        }
    }

    @Test
    void bindsJavaBeanPayload() {
        ShipmentHandler handler = new ShipmentHandler();

        handlerOf(handler).invoke(message("{\"trackingNumber\": \"TRK-1\"}")).toCompletableFuture().join();

        assertThat(((Shipment) handler.argument(0)).getTrackingNumber()).isEqualTo("TRK-1");
    }

    static class RawBodyHandler extends Captor {
        @SqsHandler(queue = "raw")
        public void handle(String body) {
            capture(body);
        }
    }

    @Test
    void stringPayloadReceivesRawBodyUnparsed() {
        RawBodyHandler handler = new RawBodyHandler();

        handlerOf(handler).invoke(message("not { json")).toCompletableFuture().join();

        assertThat(handler.argument(0)).isEqualTo("not { json");
    }

    // ---- message parts ----

    static class PartsHandler extends Captor {
        @SqsHandler(queue = "parts")
        public void handle(@MessageId String id, @ReceiveCount int count, @ReceiveCount long countAsLong,
                @ReceiveCount Integer boxed, Message raw) {
            capture(id, count, countAsLong, boxed, raw);
        }
    }

    @Test
    void bindsMessageIdReceiveCountAndRawMessage() {
        PartsHandler handler = new PartsHandler();
        Message message = message("{}");

        handlerOf(handler).invoke(message).toCompletableFuture().join();

        assertThat(handler.argument(0)).isEqualTo("msg-1");
        assertThat(handler.argument(1)).isEqualTo(3);
        assertThat(handler.argument(2)).isEqualTo(3L);
        assertThat(handler.argument(3)).isEqualTo(3);
        assertThat(handler.argument(4)).isSameAs(message);
    }

    @Test
    void receiveCountIsZeroWhenTheMessageDoesNotCarryIt() {
        PartsHandler handler = new PartsHandler();

        handlerOf(handler).invoke(Message.builder().messageId("m").body("{}").build()).toCompletableFuture().join();

        assertThat(handler.argument(1)).isEqualTo(0);
        assertThat(HandlerMethod.receiveCount(message("{}"))).isEqualTo(3);
    }

    static class AttributeHandler extends Captor {
        @SqsHandler(queue = "attributes")
        public void handle(String body, @MessageAttribute("tenant") String tenant,
                @MessageAttribute("tenant") MessageAttributeValue tenantValue,
                @MessageAttribute("trace") String missing, @MessageAttributes Map<String, String> all,
                @MessageAttributes Map<String, MessageAttributeValue> allValues) {
            capture(body, tenant, tenantValue, missing, all, allValues);
        }
    }

    @Test
    void bindsMessageAttributes() {
        AttributeHandler handler = new AttributeHandler();
        MessageAttributeValue tenant = MessageAttributeValue.builder().dataType("String").stringValue("acme").build();
        MessageAttributeValue priority = MessageAttributeValue.builder().dataType("Number").stringValue("5").build();
        MessageAttributeValue blob = MessageAttributeValue.builder().dataType("Binary")
                .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3})).build();
        Message message = message("body").toBuilder()
                .messageAttributes(Map.of("tenant", tenant, "priority", priority, "blob", blob))
                .build();

        handlerOf(handler).invoke(message).toCompletableFuture().join();

        assertThat(handler.argument(1)).isEqualTo("acme");
        assertThat(handler.argument(2)).isEqualTo(tenant);
        assertThat(handler.argument(3)).as("absent optional attribute").isNull();
        assertThat(handler.argument(4)).isEqualTo(Map.of("tenant", "acme", "priority", "5", "blob", "AQID"));
        assertThat(handler.argument(5)).isEqualTo(message.messageAttributes());
    }

    static class RequiredAttributeHandler extends Captor {
        @SqsHandler(queue = "tenants")
        public void handle(String body, @MessageAttribute(value = "tenant", required = true) String tenant) {
            capture(body, tenant);
        }
    }

    @Test
    void missingRequiredAttributeFailsNamingQueueMessageHandlerAndParameter() {
        RequiredAttributeHandler handler = new RequiredAttributeHandler();

        Throwable failure = failureOf(handlerOf(handler).invoke(message("body")));

        assertThat(failure).isInstanceOf(MessageBindingException.class)
                .hasMessageContaining("queue 'tenants'")
                .hasMessageContaining("msg-1")
                .hasMessageContaining("RequiredAttributeHandler.handle")
                .hasMessageContaining("'tenant'")
                .hasMessageContaining("parameter #2");
        MessageBindingException binding = (MessageBindingException) failure;
        assertThat(binding.queue()).isEqualTo("tenants");
        assertThat(binding.messageId()).isEqualTo("msg-1");
        assertThat(binding.handler()).isEqualTo("RequiredAttributeHandler.handle");
        assertThat(handler.arguments.get()).as("the handler was not called").isNull();
    }

    // ---- poison messages ----

    @Test
    void malformedJsonFailsWithoutRevealingTheBody() {
        OrderHandler handler = new OrderHandler();
        String body = "{\"order_id\": \"o-1\", \"card\": " + SECRET + "}";

        Throwable failure = failureOf(handlerOf(handler).invoke(message(body)));

        assertThat(failure).isInstanceOf(MessageBindingException.class)
                .hasMessageContaining("queue 'orders'")
                .hasMessageContaining("msg-1")
                .hasMessageContaining("OrderHandler.handle")
                .hasMessageContaining("parameter #1")
                .hasMessageContaining("OrderPlaced")
                .hasMessageContaining("malformed JSON at line 1");
        assertThat(failure.getMessage()).doesNotContain(SECRET).doesNotContain("s3cr3t");
        assertThat(handler.arguments.get()).isNull();
    }

    @Test
    void wrongJsonShapeFailsWithoutRevealingTheBody() {
        OrderHandler handler = new OrderHandler();
        String body = "{\"order_id\": \"o-1\", \"items\": \"" + SECRET + "\"}";

        Throwable failure = failureOf(handlerOf(handler).invoke(message(body)));

        assertThat(failure).isInstanceOf(MessageBindingException.class)
                .hasMessageContaining("queue 'orders'")
                .hasMessageContaining("msg-1")
                .hasMessageContaining("OrderHandler.handle")
                .hasMessageContaining("parameter #1")
                .hasMessageContaining("wrong JSON type")
                .hasMessageContaining("$.items");
        assertThat(failure.getMessage()).doesNotContain(SECRET).doesNotContain("s3cr3t");
    }

    @Test
    void unparsableValueFailsWithoutRevealingTheBody() {
        OrderHandler handler = new OrderHandler();
        String body = "{\"order_id\": \"o-1\", \"placed_at\": \"" + SECRET + "\"}";

        Throwable failure = failureOf(handlerOf(handler).invoke(message(body)));

        assertThat(failure).isInstanceOf(MessageBindingException.class)
                .hasMessageContaining("msg-1")
                .hasMessageContaining("LocalDateTime")
                .hasMessageContaining("$.placed_at");
        assertThat(failure.getMessage()).doesNotContain(SECRET).doesNotContain("s3cr3t");
    }

    @Test
    void emptyAndNullBodiesFailBinding() {
        HandlerMethod method = handlerOf(new OrderHandler());

        assertThat(failureOf(method.invoke(message("")))).isInstanceOf(MessageBindingException.class)
                .hasMessageContaining("empty");
        assertThat(failureOf(method.invoke(message("null")))).isInstanceOf(MessageBindingException.class)
                .hasMessageContaining("JSON null");
    }

    // ---- outcomes ----

    static class FailingHandler {
        static final IllegalStateException BOOM = new IllegalStateException("payment service down");

        @SqsHandler(queue = "failing")
        public void handle(String body) {
            throw BOOM;
        }
    }

    @Test
    void handlerExceptionBecomesTheFailedStagesCause() {
        Throwable failure = failureOf(handlerOf(new FailingHandler()).invoke(message("x")));

        assertThat(failure).isSameAs(FailingHandler.BOOM);
    }

    static class AsyncHandler {
        final CompletableFuture<String> result = new CompletableFuture<>();

        @SqsHandler(queue = "async")
        public CompletableFuture<String> handle(String body) {
            return result;
        }
    }

    @Test
    void asyncHandlerStagePropagates() {
        AsyncHandler handler = new AsyncHandler();
        HandlerMethod method = handlerOf(handler);

        CompletableFuture<?> outcome = method.invoke(message("x")).toCompletableFuture();
        assertThat(outcome).isNotDone();
        handler.result.complete("done");

        assertThat(outcome).isCompleted();
        assertThat((Object) outcome.join()).isEqualTo("done");
    }

    @Test
    void asyncHandlerFailurePropagates() {
        AsyncHandler handler = new AsyncHandler();
        CompletableFuture<?> outcome = handlerOf(handler).invoke(message("x")).toCompletableFuture();
        RuntimeException error = new RuntimeException("downstream timeout");

        handler.result.completeExceptionally(error);

        assertThat(failureOf(outcome)).isSameAs(error);
    }

    static class NullStageHandler {
        @SqsHandler(queue = "null-stage")
        public CompletionStage<Void> handle(String body) {
            return null;
        }
    }

    @Test
    void asyncHandlerReturningNullFails() {
        Throwable failure = failureOf(handlerOf(new NullStageHandler()).invoke(message("x")));

        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NullStageHandler.handle")
                .hasMessageContaining("null");
    }

    static class SyncHandler {
        int calls;

        @SqsHandler(queue = "sync")
        public void handle(String body) {
            calls++;
        }
    }

    @Test
    void syncHandlerStageIsCompleteWhenInvokeReturns() {
        SyncHandler handler = new SyncHandler();

        CompletableFuture<?> outcome = handlerOf(handler).invoke(message("x")).toCompletableFuture();

        assertThat(outcome).isCompleted().isNotCompletedExceptionally();
        assertThat(handler.calls).isEqualTo(1);
    }
}
