package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.Worker;
import io.sluice.annotations.SqsHandler;
import io.sluice.micrometer.SluiceMetrics;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's HTTP endpoints on a free loopback port: Prometheus metrics, liveness and readiness. */
class WorkerEndpointsTest {

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 5);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        world.close();
    }

    public static final class Orders {
        final List<String> handled = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "orders")
        public void handle(String body) {
            handled.add(body);
        }
    }

    private HttpResponse<String> get(WorkerEndpoints endpoints, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsAndHealthAndReportsAStoppingWorkerAsDown() throws Exception {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        Orders handler = new Orders();
        Worker worker = world.start(Worker.builder().handlers(handler));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SluiceMetrics.builder(worker).sampleInterval(Duration.ZERO).build().bindTo(registry);
        try (WorkerEndpoints endpoints = WorkerEndpoints.start(worker, registry, new InetSocketAddress("127.0.0.1",
                0))) {
            world.send(url, "{\"order_id\": \"ord-1\"}", Map.of());
            world.runUntil(() -> !handler.handled.isEmpty(), Duration.ofMillis(100), Duration.ofSeconds(5));
            world.runUntil(() -> false, Duration.ofMillis(100), Duration.ofSeconds(1)); // its delete

            HttpResponse<String> metrics = get(endpoints, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/plain"));
            assertThat(metrics.body()).contains("sluice_messages_handled_total{handler=\"Orders.handle\",queue=\"orders\"} 1.0")
                    .contains("sluice_messages_deleted_total{queue=\"orders\"} 1.0")
                    .contains("sluice_sqs_requests_total{action=\"ReceiveMessage\",queue=\"orders\"}")
                    .doesNotContain("ord-1");

            HttpResponse<String> ready = get(endpoints, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).startsWith("{\"status\":\"UP\",\"state\":\"RUNNING\",\"live\":true,\"ready\":true")
                    .contains("\"queue\":\"orders\"").contains("\"lastReceive\":\"20");
            assertThat(get(endpoints, "/health/live").statusCode()).isEqualTo(200);

            worker.stopAsync(Duration.ofSeconds(5));
            world.runUntil(() -> worker.health().state().equals("STOPPED"), Duration.ofMillis(100),
                    Duration.ofSeconds(30));
            HttpResponse<String> live = get(endpoints, "/health/live");
            assertThat(live.statusCode()).isEqualTo(503);
            assertThat(live.body()).contains("\"status\":\"DOWN\"").contains("\"reason\":\"the worker is stopped\"");
            assertThat(get(endpoints, "/health/ready").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void aPortInUseFailsNamingTheAddressAndTheSettings() {
        Worker worker = Worker.builder().transport(world.sqs).handlers(new Orders()).build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (WorkerEndpoints first = WorkerEndpoints.start(worker, registry, new InetSocketAddress("127.0.0.1", 0))) {
            assertThatThrownBy(() -> WorkerEndpoints.start(worker, registry, new InetSocketAddress("127.0.0.1",
                    first.port())))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("127.0.0.1:" + first.port())
                    .hasMessageContaining("sluice.http.host / sluice.http.port");
        }
    }

    @Test
    void settingsGiveTheAddressOrTurnTheEndpointsOff() {
        assertThat(SluiceSettings.of(Map.of()).httpAddress()).hasValue(new InetSocketAddress("127.0.0.1", 8080));
        assertThat(SluiceSettings.of(Map.of("sluice.http.host", "0.0.0.0", "sluice.http.port", "9090")).httpAddress())
                .hasValue(new InetSocketAddress("0.0.0.0", 9090));
        assertThat(SluiceSettings.of(Map.of("sluice.http.enabled", "false")).httpAddress()).isEmpty();
        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.http.port", "70000")).httpAddress())
                .hasMessage("sluice.http.port must be from 0 to 65535, but was 70000");
    }
}
