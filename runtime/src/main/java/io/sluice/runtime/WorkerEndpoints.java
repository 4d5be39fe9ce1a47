package io.sluice.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.SluiceJson;
import io.sluice.Worker;
import io.sluice.WorkerHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's HTTP endpoints, on the JDK's built-in server (no web framework): {@code GET /metrics} (Prometheus text
 * format), {@code GET /health/live} and {@code GET /health/ready} (200 or 503, with a small JSON body: the state, why
 * not, and each queue's breaker, in flight, handlers running and last receive). Loopback by default: they tell anyone
 * who can reach them how the worker is doing, so bind them wider only on purpose. Never a message body.
 */
public final class WorkerEndpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerEndpoints.class);
    private static final ObjectMapper JSON = SluiceJson.defaultMapper()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final HttpServer server;
    private final ExecutorService threads;

    private WorkerEndpoints(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Serves {@code worker}'s health and {@code registry}'s metrics on {@code address} (port 0: a free port, logged).
     *
     * @throws UncheckedIOException naming the address when it cannot be bound (in use, say)
     */
    public static WorkerEndpoints start(Worker worker, PrometheusMeterRegistry registry, InetSocketAddress address) {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(registry, "registry");
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the worker's HTTP endpoints on " + address.getHostString()
                    + ":" + address.getPort() + " (sluice.http.host / sluice.http.port): " + e.getMessage(), e);
        }
        ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "sluice-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", exchange -> health(exchange, worker, WorkerHealth::live));
        server.createContext("/health/ready", exchange -> health(exchange, worker, WorkerHealth::ready));
        server.start();
        WorkerEndpoints endpoints = new WorkerEndpoints(server, threads);
        LOG.info("Sluice worker endpoints on http://{}:{} (/metrics, /health/live, /health/ready)",
                address.getHostString(), endpoints.port());
        return endpoints;
    }

    /** The port served (the one picked, when asked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void health(HttpExchange exchange, Worker worker, Predicate<WorkerHealth> up) throws IOException {
        WorkerHealth health = worker.health();
        boolean ok = up.test(health);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? "UP" : "DOWN");
        body.put("state", health.state());
        body.put("live", health.live());
        body.put("ready", health.ready());
        if (health.reason() != null) {
            body.put("reason", health.reason());
        }
        body.put("queues", health.queues());
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            json = "{\"status\":\"" + (ok ? "UP" : "DOWN") + "\"}";
        }
        respond(exchange, ok ? 200 : 503, "application/json", json);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
