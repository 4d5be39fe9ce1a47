package io.sluice.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sluice.Batch;
import io.sluice.Worker;
import io.sluice.annotations.SqsHandler;
import io.sluice.producer.OutgoingMessage;
import io.sluice.producer.SqsProducer;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** A trace from the producer's send to the handler's call, on the in-memory transport and virtual time. */
class SluiceTracingTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();
    private final Tracer appTracer = openTelemetry.getTracer("the-application");
    private final SluiceTracing tracing = SluiceTracing.create(openTelemetry);
    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 11);

    @AfterEach
    void close() {
        world.close();
        openTelemetry.close();
    }

    /** What the handler saw of the trace while it ran. */
    record Seen(String traceId, String spanId, String mdcTraceId, String mdcSpanId) {
    }

    static final class Orders {
        final List<Seen> seen = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "orders")
        public void handle(String body) {
            var context = Span.current().getSpanContext();
            seen.add(new Seen(context.getTraceId(), context.getSpanId(), MDC.get("traceId"), MDC.get("spanId")));
            if (body.contains("fail")) {
                throw new IllegalStateException("payment declined");
            }
        }
    }

    private Worker start(Object handlers) {
        return world.start(Worker.builder().handlers(handlers).interceptor(tracing.interceptor()));
    }

    private SqsProducer producer() {
        return SqsProducer.builder().transport(world.sqs).scheduler(world.time).hook(tracing.sendHook()).build();
    }

    private SpanData only(SpanKind kind) {
        List<SpanData> ofKind = spans.getFinishedSpanItems().stream().filter(span -> span.getKind() == kind).toList();
        assertThat(ofKind).hasSize(1);
        return ofKind.get(0);
    }

    @Test
    void theHandlersSpanIsAChildOfTheProducersSpanInTheSendersTrace() {
        world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        Orders orders = new Orders();
        start(orders);
        SqsProducer producer = producer();

        Span checkout = appTracer.spanBuilder("checkout").startSpan();
        try (Scope ignored = checkout.makeCurrent()) {
            world.join(producer.sendAsync("orders", "{\"order_id\":\"o-1\"}"));
        } finally {
            checkout.end();
        }
        world.runUntil(() -> orders.seen.size() == 1, Duration.ofMillis(100), Duration.ofSeconds(30));

        SpanData create = only(SpanKind.PRODUCER);
        SpanData process = only(SpanKind.CONSUMER);
        assertThat(create.getName()).isEqualTo("orders create");
        assertThat(create.getParentSpanId()).isEqualTo(checkout.getSpanContext().getSpanId());
        assertThat(process.getName()).isEqualTo("orders process");
        assertThat(process.getTraceId()).isEqualTo(checkout.getSpanContext().getTraceId());
        assertThat(process.getParentSpanId()).as("the handler's span continues the producer's")
                .isEqualTo(create.getSpanId());
        assertThat(process.getParentSpanContext().isRemote()).isTrue();
        assertThat(process.getAttributes().asMap()).containsEntry(TraceAttributes.MESSAGING_SYSTEM, "aws_sqs")
                .containsEntry(TraceAttributes.DESTINATION, "orders")
                .containsEntry(TraceAttributes.HANDLER, "Orders.handle")
                .containsKey(TraceAttributes.MESSAGE_ID);
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        Seen seen = orders.seen.get(0);
        assertThat(seen.traceId()).isEqualTo(process.getTraceId());
        assertThat(seen.spanId()).as("the span is current in the handler").isEqualTo(process.getSpanId());
        assertThat(seen.mdcTraceId()).isEqualTo(process.getTraceId());
        assertThat(seen.mdcSpanId()).isEqualTo(process.getSpanId());
        assertThat(MDC.get("traceId")).as("cleared after the call").isNull();
    }

    @Test
    void withoutATraceTheSendAddsNothingAndTheHandlerStartsANewTrace() {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        Orders orders = new Orders();
        start(orders);

        world.join(producer().sendAsync("orders", "{}"));
        world.runUntil(() -> orders.seen.size() == 1, Duration.ofMillis(100), Duration.ofSeconds(30));

        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getKind).containsExactly(SpanKind.CONSUMER);
        assertThat(only(SpanKind.CONSUMER).getParentSpanContext().isValid()).isFalse();
        assertThat(url).isNotEmpty();
    }

    @Test
    void aMessageWithTenAttributesIsSentWithoutTraceContextNotRefused() {
        world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        Orders orders = new Orders();
        start(orders);
        OutgoingMessage message = OutgoingMessage.of("{}");
        for (int i = 0; i < 10; i++) {
            message = message.attribute("a" + i, "v");
        }

        Span checkout = appTracer.spanBuilder("checkout").startSpan();
        try (Scope ignored = checkout.makeCurrent()) {
            world.join(producer().sendAsync("orders", message));
        } finally {
            checkout.end();
        }
        world.runUntil(() -> orders.seen.size() == 1, Duration.ofMillis(100), Duration.ofSeconds(30));

        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getKind)
                .doesNotContain(SpanKind.PRODUCER);
        assertThat(only(SpanKind.CONSUMER).getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void awsTraceHeaderIsContinuedWhenThereIsNoTraceparent() {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        Orders orders = new Orders();
        start(orders);

        world.join(world.sqs.sendMessageBatch(batch -> batch.queueUrl(url).entries(SendMessageBatchRequestEntry.builder()
                .id("x").messageBody("{}").messageSystemAttributesWithStrings(Map.of("AWSTraceHeader",
                        MessageSystemAttributeValue.builder().dataType("String").stringValue(
                                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
                                .build())).build())));
        world.runUntil(() -> orders.seen.size() == 1, Duration.ofMillis(100), Duration.ofSeconds(30));

        SpanData process = only(SpanKind.CONSUMER);
        assertThat(process.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
        assertThat(process.getParentSpanId()).isEqualTo("53995c3f42cd8ad8");
    }

    @Test
    void aFailedCallEndsItsSpanAsAnErrorWithTheException() {
        world.queueWithDeadLetterQueue("orders", "orders-dlq", 1, Map.of());
        Orders orders = new Orders();
        start(orders);

        world.join(producer().sendAsync("orders", "fail"));
        world.runUntil(() -> !orders.seen.isEmpty() && spans.getFinishedSpanItems().size() >= 1,
                Duration.ofMillis(100), Duration.ofSeconds(30));

        SpanData process = spans.getFinishedSpanItems().get(0);
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(process.getStatus().getDescription()).isEqualTo("IllegalStateException");
        assertThat(process.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
    }

    static final class BatchOrders {
        final List<Integer> sizes = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "orders", maxBatchSize = 10, maxBatchWaitMillis = 100)
        public void handle(Batch<String> batch) {
            sizes.add(batch.items().size());
        }
    }

    @Test
    void aBatchCallHasOneSpanLinkedToEachMessagesContext() {
        world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        BatchOrders orders = new BatchOrders();
        SqsProducer producer = producer();
        Span checkout = appTracer.spanBuilder("checkout").startSpan();
        try (Scope ignored = checkout.makeCurrent()) {
            world.join(producer.sendAllAsync("orders", List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}")));
        } finally {
            checkout.end();
        }
        start(orders);
        world.runUntil(() -> orders.sizes.stream().mapToInt(Integer::intValue).sum() == 3, Duration.ofMillis(50),
                Duration.ofSeconds(30));

        List<SpanData> creates = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.PRODUCER).toList();
        List<SpanData> processes = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.CONSUMER).toList();
        assertThat(creates).hasSize(3);
        assertThat(processes).isNotEmpty().allSatisfy(process -> {
            assertThat(process.getParentSpanContext().isValid()).isFalse();
            assertThat(process.getAttributes().get(TraceAttributes.BATCH_SIZE)).isEqualTo(
                    (long) process.getLinks().size());
        });
        assertThat(processes.stream().flatMap(process -> process.getLinks().stream())
                .map(link -> link.getSpanContext().getSpanId()))
                .containsExactlyInAnyOrderElementsOf(creates.stream().map(SpanData::getSpanId).toList());
    }

    @Test
    void theHookLeavesATraceparentTheCallerWroteAlone() {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put("traceparent", MessageAttributeValue.builder().dataType("String")
                .stringValue("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build());
        Span checkout = appTracer.spanBuilder("checkout").startSpan();
        try (Scope ignored = checkout.makeCurrent()) {
            tracing.sendHook().beforeSend("https://sqs.us-east-1.amazonaws.com/123456789012/orders", attributes);
        } finally {
            checkout.end();
        }

        assertThat(attributes.get("traceparent").stringValue())
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("checkout");
    }

    static final class AsyncOrders {
        final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();

        @SqsHandler(queue = "orders")
        public java.util.concurrent.CompletionStage<Void> handle(String body) {
            return done;
        }
    }

    @Test
    void anAsynchronousCallsSpanEndsWhenItsStageCompletes() {
        world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        AsyncOrders orders = new AsyncOrders();
        start(orders);

        world.join(producer().sendAsync("orders", "{}"));
        world.settle();
        assertThat(spans.getFinishedSpanItems()).as("the call is still running").isEmpty();
        assertThat(MDC.get("traceId")).as("not left on the thread that started the call").isNull();

        orders.done.complete(null);
        world.settle();
        assertThat(only(SpanKind.CONSUMER).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }
}
