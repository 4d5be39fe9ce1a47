package io.sluice.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.annotations.SqsHandler;
import io.sluice.it.ElasticMqServer;
import io.sluice.producer.SqsProducer;
import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The trace context crosses a real SQS server (ElasticMQ over HTTP): the handler's span is the sent span's child. */
class TracingOverSqsIT {

    static final class Orders {
        final List<String> traceIds = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "traced-orders")
        public void handle(String body) {
            traceIds.add(Span.current().getSpanContext().getTraceId());
        }
    }

    @Test
    void aTracedSendIsTheParentOfTheHandlersSpan() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (ElasticMqServer server = ElasticMqServer.start();
                OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider
                        .builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
                SqsTransport transport = SqsTransport.create(SqsClientConfig.builder().endpoint(server.endpoint())
                        .region("us-east-1").credentials("x", "x").build())) {
            SluiceTracing tracing = SluiceTracing.create(openTelemetry);
            Orders orders = new Orders();
            Worker worker = Worker.builder().transport(transport).handlers(orders).interceptor(tracing.interceptor())
                    .config(WorkerConfig.builder().createQueues(true).build()).build().start();
            try (SqsProducer producer = SqsProducer.builder().transport(transport).hook(tracing.sendHook()).build()) {
                Span checkout = openTelemetry.getTracer("the-application").spanBuilder("checkout").startSpan();
                try (Scope ignored = checkout.makeCurrent()) {
                    producer.send("traced-orders", Map.of("order_id", "o-1"));
                } finally {
                    checkout.end();
                }

                await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                        .anyMatch(span -> span.getKind() == SpanKind.CONSUMER));
                SpanData create = spans.getFinishedSpanItems().stream()
                        .filter(span -> span.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
                SpanData process = spans.getFinishedSpanItems().stream()
                        .filter(span -> span.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
                assertThat(process.getParentSpanId()).isEqualTo(create.getSpanId());
                assertThat(process.getTraceId()).isEqualTo(checkout.getSpanContext().getTraceId());
                assertThat(orders.traceIds).containsExactly(checkout.getSpanContext().getTraceId());
            } finally {
                worker.stop();
            }
        }
    }
}
