package io.sluice.runtime;

import io.sluice.AdaptiveConcurrencyPolicy;
import io.sluice.BreakerPolicy;
import io.sluice.QueueConfig;
import io.sluice.RetryPolicy;
import io.sluice.WorkerConfig;
import io.sluice.micrometer.SluiceMetrics;
import io.sluice.producer.SqsProducer;
import io.sluice.time.Durations;
import io.sluice.transport.SqsClientConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sluice's external configuration: flat {@code sluice.*} keys, read from Java system properties and from environment
 * variables ({@code SLUICE_CREATE_QUEUES} is {@code sluice.create-queues}; system properties win). Queue keys use the
 * queue's name: {@code sluice.queues.order-processing.concurrency=50}, or in the environment
 * {@code SLUICE_QUEUES_ORDER_PROCESSING_CONCURRENCY=50} (matched against the handlers' queue names).
 *
 * <p>Every key is validated: an unknown {@code sluice.*} key fails startup, naming it and the closest known key; a bad
 * value fails naming the key and the value. An unknown {@code SLUICE_*} environment variable is ignored with one
 * warning naming it (orchestrators and scripts set variables such as {@code SLUICE_SERVICE_HOST} or {@code
 * SLUICE_HOME} that are not settings).
 *
 * <p>The same sources give the values of {@code ${key}} placeholders in {@code @SqsHandler} queues: {@code
 * ${orders.queue}} is the system property {@code orders.queue} (or the key of {@link #of}'s map), else the environment
 * variable {@code ORDERS_QUEUE}; then the base config's own {@link WorkerConfig#placeholders()}. Keys under {@code
 * sluice.names.} ({@code ${sluice.names.orders}}, {@code SLUICE_NAMES_ORDERS}) are reserved for placeholders and never
 * checked as settings; other keys outside {@code sluice.*} are not settings at all. Queue keys name the resolved queue.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>sluice.endpoint, sluice.region, sluice.profile</td><td>override the AWS SDK's own resolution</td></tr>
 *   <tr><td>sluice.access-key-id, sluice.secret-access-key</td><td>static credentials (never logged)</td></tr>
 *   <tr><td>sluice.max-connections, sluice.http-client</td><td>the SQS client's connections (256) and HTTP client
 *   ({@code netty}, or {@code crt} with {@code aws-crt-client} on the class path)</td></tr>
 *   <tr><td>sluice.concurrency, sluice.pollers, sluice.wait-time, sluice.max-messages, sluice.visibility-timeout,
 *   sluice.delete-flush-interval, sluice.shutdown-timeout, sluice.startup-timeout, sluice.create-queues</td>
 *   <td>worker defaults (durations as {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601)</td></tr>
 *   <tr><td>sluice.max-attempts, sluice.retry.attempts, sluice.retry.delay, sluice.redelivery.backoff,
 *   sluice.redelivery.max-backoff, sluice.max-processing-time, sluice.retry.retry-on, sluice.retry.no-retry-on
 *   (comma-separated exception class names)</td><td>the default failure policy ({@link RetryPolicy})</td></tr>
 *   <tr><td>sluice.queues.NAME.concurrency | pollers | visibility-timeout | dead-letter-queue | max-receive-count |
 *   max-attempts | retry.attempts | retry.retry-on | retry.no-retry-on | max-processing-time |
 *   max-concurrency-per-group | max-batch-size | max-batch-wait | rate (most messages received per second) |
 *   prefetch</td><td>one queue's overrides</td></tr>
 *   <tr><td>sluice.queues.NAME.adaptive-concurrency.algorithm (vegas, gradient) | min | max | initial</td><td>runs
 *   the queue's handler under an adaptive concurrency limit ({@link AdaptiveConcurrencyPolicy})</td></tr>
 *   <tr><td>sluice.queues.NAME.circuit-breaker.name | failure-rate-threshold | minimum-calls | wait-in-open |
 *   permitted-in-half-open</td><td>guards the queue's handler with a circuit breaker ({@link BreakerPolicy})</td></tr>
 *   <tr><td>sluice.producer.batch-window, sluice.producer.max-calls-in-flight, sluice.producer.max-attempts</td>
 *   <td>the {@link SqsProducer} that {@link SluiceModule} binds</td></tr>
 *   <tr><td>sluice.http.enabled, sluice.http.host, sluice.http.port</td><td>the worker main's HTTP endpoints ({@code
 *   true}, {@code 127.0.0.1}, {@code 8080}; port 0 picks a free one)</td></tr>
 *   <tr><td>sluice.metrics.depth-interval, sluice.metrics.percentiles, sluice.metrics.histograms</td><td>the
 *   worker's meters ({@link SluiceMetrics}): how often each queue's depth is read from SQS ({@code 60s}; {@code 0}
 *   turns it off), client-side percentiles ({@code 0.5,0.99}; none by default), histograms ({@code false})</td></tr>
 *   <tr><td>sluice.modules</td><td>comma-separated Guice module classes, for the worker main</td></tr>
 *   <tr><td>sluice.names.*</td><td>free for placeholder values ({@code ${sluice.names.orders}})</td></tr>
 * </table>
 */
public final class SluiceSettings {

    private static final String PREFIX = "sluice.";
    /** Keys that only placeholders read: not settings, so never checked. */
    private static final String NAMES = PREFIX + "names.";
    private static final List<String> GLOBAL_KEYS = List.of("endpoint", "region", "profile", "access-key-id",
            "secret-access-key", "concurrency", "pollers", "wait-time", "max-messages", "visibility-timeout",
            "delete-flush-interval", "shutdown-timeout", "startup-timeout", "create-queues", "modules",
            "max-connections", "http-client", "max-attempts", "retry.attempts", "retry.delay", "redelivery.backoff",
            "redelivery.max-backoff", "max-processing-time", "retry.retry-on", "retry.no-retry-on",
            "producer.batch-window", "producer.max-calls-in-flight", "producer.max-attempts", "http.enabled",
            "http.host", "http.port", "metrics.depth-interval", "metrics.percentiles", "metrics.histograms");
    private static final List<String> QUEUE_KEYS = List.of("concurrency", "pollers", "visibility-timeout",
            "dead-letter-queue", "max-receive-count", "max-attempts", "retry.attempts", "max-processing-time",
            "retry.retry-on", "retry.no-retry-on", "max-concurrency-per-group", "max-batch-size", "max-batch-wait",
            "circuit-breaker.name", "circuit-breaker.failure-rate-threshold", "circuit-breaker.minimum-calls",
            "circuit-breaker.wait-in-open", "circuit-breaker.permitted-in-half-open", "rate", "prefetch",
            "adaptive-concurrency.algorithm", "adaptive-concurrency.min", "adaptive-concurrency.max",
            "adaptive-concurrency.initial");

    private static final Logger LOG = LoggerFactory.getLogger(SluiceSettings.class);

    /** Every key given: the system properties, or {@link #of}'s map; values trimmed. */
    private final Map<String, String> properties;
    /** Every environment variable (none for {@link #of}); values trimmed. */
    private final Map<String, String> environment;
    private final AtomicBoolean unknownVariablesLogged = new AtomicBoolean();

    private SluiceSettings(Map<String, String> properties, Map<String, String> environment) {
        this.properties = trimmed(properties);
        this.environment = trimmed(environment);
    }

    private static Map<String, String> trimmed(Map<String, String> values) {
        Map<String, String> trimmed = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key != null && value != null) {
                trimmed.put(key, value.trim());
            }
        });
        return Collections.unmodifiableMap(trimmed);
    }

    /** Settings from the {@code sluice.*} keys of the given map only; its other keys are placeholder values. */
    public static SluiceSettings of(Map<String, String> properties) {
        return new SluiceSettings(properties, Map.of());
    }

    /** Settings from the environment and system properties (system properties win). */
    public static SluiceSettings fromEnvironment() {
        return fromEnvironment(System.getenv(), System.getProperties());
    }

    static SluiceSettings fromEnvironment(Map<String, String> environment, java.util.Properties properties) {
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key));
        }
        return new SluiceSettings(values, environment);
    }

    /**
     * These settings with {@code overrides} on top, as if given as system properties (they win over every other
     * source); a {@code null} value overrides nothing. For command-line options such as the admin CLI's {@code
     * --endpoint}, which stands for {@code sluice.endpoint}.
     */
    public SluiceSettings with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(properties);
        overrides.forEach((key, value) -> {
            if (value != null) {
                merged.put(key, value);
            }
        });
        return new SluiceSettings(merged, environment);
    }

    /**
     * The raw value of {@code key} ({@code sluice.concurrency}, or a placeholder's key): the property, else its {@link
     * WorkerConfig#environmentVariable(String) environment variable}; {@code null} when neither is set or not empty.
     */
    public String get(String key) {
        String value = properties.get(key);
        if (value == null || value.isEmpty()) {
            value = environment.get(WorkerConfig.environmentVariable(key));
        }
        return value == null || value.isEmpty() ? null : value;
    }

    /** {@code base} whose placeholders take their values from these settings first, then from its own. */
    WorkerConfig placeholdersOver(WorkerConfig base) {
        return base.toBuilder().placeholders(placeholders(base.placeholders())).build();
    }

    /** Placeholder values from these settings first, then from {@code fallback}. */
    Function<String, Optional<String>> placeholders(Function<String, Optional<String>> fallback) {
        return key -> Optional.ofNullable(get(key)).or(() -> fallback.apply(key));
    }

    /** The Guice modules named by {@code sluice.modules}. */
    public List<String> modules() {
        String modules = get("sluice.modules");
        List<String> names = new ArrayList<>();
        if (modules != null) {
            for (String name : modules.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }

    /**
     * {@code producer} with the {@code sluice.producer.*} settings applied, and placeholders in queue names taking their
     * values from these settings first.
     *
     * @throws IllegalArgumentException naming a bad value and its key
     */
    public SqsProducer.Builder applyTo(SqsProducer.Builder producer) {
        apply("sluice.producer.batch-window",
                value -> producer.batchWindow(parseDuration("sluice.producer.batch-window", value)));
        apply("sluice.producer.max-calls-in-flight", value -> producer.maxCallsInFlight(
                parseInt("sluice.producer.max-calls-in-flight", value)));
        apply("sluice.producer.max-attempts",
                value -> producer.maxAttempts(parseInt("sluice.producer.max-attempts", value)));
        return producer.placeholders(placeholders(WorkerConfig.defaults().placeholders()));
    }

    /**
     * {@code metrics} with the {@code sluice.metrics.*} settings applied: the depth sampling interval ({@code 0} turns
     * it off), percentiles and histograms.
     *
     * @throws IllegalArgumentException naming a bad value and its key
     */
    public SluiceMetrics.Builder applyTo(SluiceMetrics.Builder metrics) {
        apply("sluice.metrics.depth-interval",
                value -> metrics.sampleInterval(parseDuration("sluice.metrics.depth-interval", value)));
        apply("sluice.metrics.percentiles", value -> metrics.percentiles(parsePercentiles(value)));
        apply("sluice.metrics.histograms",
                value -> metrics.histograms(parseBoolean("sluice.metrics.histograms", value)));
        return metrics;
    }

    private static double[] parsePercentiles(String value) {
        String[] parts = value.split(",");
        double[] percentiles = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                percentiles[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sluice.metrics.percentiles must be comma-separated numbers"
                        + " between 0 and 1 (0.5,0.99), but was '" + value + "'");
            }
            if (!(percentiles[i] > 0 && percentiles[i] < 1)) {
                throw new IllegalArgumentException("sluice.metrics.percentiles must be between 0 and 1 (0.5,0.99),"
                        + " but was '" + value + "'");
            }
        }
        return percentiles;
    }

    /**
     * Where the worker main serves its HTTP endpoints ({@link WorkerEndpoints}): {@code sluice.http.host} (default
     * {@code 127.0.0.1}) and {@code sluice.http.port} (default 8080, 0 for a free port); empty when {@code
     * sluice.http.enabled} is {@code false}.
     *
     * @throws IllegalArgumentException naming a bad value and its key
     */
    public Optional<InetSocketAddress> httpAddress() {
        String enabled = get("sluice.http.enabled");
        if (enabled != null && !parseBoolean("sluice.http.enabled", enabled)) {
            return Optional.empty();
        }
        String host = Optional.ofNullable(get("sluice.http.host")).orElse("127.0.0.1");
        String portText = get("sluice.http.port");
        int port = portText == null ? 8080 : parseInt("sluice.http.port", portText);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sluice.http.port must be from 0 to 65535, but was " + port);
        }
        return Optional.of(new InetSocketAddress(host, port));
    }

    /** The client settings: what is not set here comes from the AWS SDK's standard configuration. */
    public SqsClientConfig clientConfig() {
        SqsClientConfig.Builder builder = SqsClientConfig.builder();
        apply("sluice.endpoint", value -> builder.endpoint(value));
        apply("sluice.region", value -> builder.region(value));
        apply("sluice.profile", value -> builder.profile(value));
        apply("sluice.max-connections", value -> builder.maxConnections(parseInt("sluice.max-connections", value)));
        apply("sluice.http-client", value -> builder.httpClient(parseHttpClient(value)));
        String accessKey = get("sluice.access-key-id");
        String secretKey = get("sluice.secret-access-key");
        if (accessKey != null || secretKey != null) {
            try {
                builder.credentials(accessKey, secretKey);
                return builder.build();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sluice.access-key-id / sluice.secret-access-key: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /**
     * {@code base} with every setting given here applied on top, and its placeholders taking their values from here
     * first.
     *
     * @param queueNames the queues the worker consumes, placeholders resolved ({@link
     *                   io.sluice.SqsHandlers#queueNames(java.util.Collection, WorkerConfig)}), to match keys against
     * @throws IllegalArgumentException for an unknown key or a bad value, naming both
     */
    public WorkerConfig applyTo(WorkerConfig base, List<String> queueNames) {
        checkKeys(queueNames);
        WorkerConfig.Builder builder = placeholdersOver(base).toBuilder();
        apply("sluice.concurrency", value -> builder.concurrency(parseInt("sluice.concurrency", value)));
        apply("sluice.pollers", value -> builder.pollers(parseInt("sluice.pollers", value)));
        apply("sluice.wait-time", value -> builder.waitTime(parseDuration("sluice.wait-time", value)));
        apply("sluice.max-messages", value -> builder.maxMessagesPerReceive(parseInt("sluice.max-messages", value)));
        apply("sluice.visibility-timeout", value -> builder.visibilityTimeout(parseDuration("sluice.visibility-timeout", value)));
        apply("sluice.delete-flush-interval", value -> builder.deleteFlushInterval(parseDuration("sluice.delete-flush-interval", value)));
        apply("sluice.shutdown-timeout", value -> builder.shutdownTimeout(parseDuration("sluice.shutdown-timeout", value)));
        apply("sluice.startup-timeout", value -> builder.startupTimeout(parseDuration("sluice.startup-timeout", value)));
        apply("sluice.create-queues", value -> builder.createQueues(parseBoolean("sluice.create-queues", value)));
        apply("sluice.max-processing-time",
                value -> builder.maxProcessingTime(parseDuration("sluice.max-processing-time", value)));
        RetryPolicy.Builder retry = base.retry().toBuilder();
        apply("sluice.max-attempts", value -> retry.maxAttempts(parseInt("sluice.max-attempts", value)));
        apply("sluice.retry.attempts", value -> retry.attempts(parseInt("sluice.retry.attempts", value)));
        apply("sluice.retry.delay", value -> retry.delay(parseDuration("sluice.retry.delay", value)));
        apply("sluice.redelivery.backoff", value -> retry.backoff(parseDuration("sluice.redelivery.backoff", value)));
        apply("sluice.redelivery.max-backoff",
                value -> retry.maxBackoff(parseDuration("sluice.redelivery.max-backoff", value)));
        apply("sluice.retry.retry-on", value -> retry.retryOn(parseExceptionTypes(value)));
        apply("sluice.retry.no-retry-on", value -> retry.noRetryOn(parseExceptionTypes(value)));
        try {
            builder.retry(retry.build());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sluice.redelivery.backoff / sluice.redelivery.max-backoff: "
                    + e.getMessage(), e);
        }
        for (String queue : queueNames) {
            String prefix = "sluice.queues." + queue + ".";
            QueueConfig.Builder queueConfig = base.queue(queue).toBuilder();
            boolean[] changed = {false};
            applyQueue(prefix + "concurrency", changed, value -> queueConfig.concurrency(parseInt(prefix + "concurrency", value)));
            applyQueue(prefix + "pollers", changed, value -> queueConfig.pollers(parseInt(prefix + "pollers", value)));
            applyQueue(prefix + "visibility-timeout", changed,
                    value -> queueConfig.visibilityTimeout(parseDuration(prefix + "visibility-timeout", value)));
            applyQueue(prefix + "dead-letter-queue", changed, value -> {
                if (value.equalsIgnoreCase("none")) {
                    queueConfig.noDeadLetterQueue();
                } else {
                    queueConfig.deadLetterQueue(value);
                }
            });
            applyQueue(prefix + "max-receive-count", changed,
                    value -> queueConfig.maxReceiveCount(parseInt(prefix + "max-receive-count", value)));
            applyQueue(prefix + "max-attempts", changed,
                    value -> queueConfig.maxAttempts(parseInt(prefix + "max-attempts", value)));
            applyQueue(prefix + "retry.attempts", changed,
                    value -> queueConfig.retryAttempts(parseInt(prefix + "retry.attempts", value)));
            applyQueue(prefix + "retry.retry-on", changed, value -> queueConfig.retryOn(parseExceptionTypes(value)));
            applyQueue(prefix + "retry.no-retry-on", changed,
                    value -> queueConfig.noRetryOn(parseExceptionTypes(value)));
            applyQueue(prefix + "max-processing-time", changed,
                    value -> queueConfig.maxProcessingTime(parseDuration(prefix + "max-processing-time", value)));
            applyQueue(prefix + "max-concurrency-per-group", changed, value -> queueConfig.maxConcurrencyPerGroup(
                    parseInt(prefix + "max-concurrency-per-group", value)));
            applyQueue(prefix + "max-batch-size", changed,
                    value -> queueConfig.maxBatchSize(parseInt(prefix + "max-batch-size", value)));
            applyQueue(prefix + "max-batch-wait", changed,
                    value -> queueConfig.maxBatchWait(parseDuration(prefix + "max-batch-wait", value)));
            applyQueue(prefix + "rate", changed,
                    value -> queueConfig.maxMessagesPerSecond(parseRate(prefix + "rate", value)));
            applyQueue(prefix + "prefetch", changed,
                    value -> queueConfig.prefetch(parseInt(prefix + "prefetch", value)));
            // Any adaptive-concurrency key gives the queue an adaptive limit (the other values default).
            String adaptivePrefix = prefix + "adaptive-concurrency.";
            AdaptiveConcurrencyPolicy.Builder adaptive = base.queue(queue).adaptiveConcurrency()
                    .map(AdaptiveConcurrencyPolicy::toBuilder).orElse(AdaptiveConcurrencyPolicy.builder());
            boolean[] adaptiveChanged = {false};
            applyQueue(adaptivePrefix + "algorithm", adaptiveChanged,
                    value -> adaptive.algorithm(AdaptiveConcurrencyPolicy.Algorithm.parse(value)));
            applyQueue(adaptivePrefix + "min", adaptiveChanged,
                    value -> adaptive.min(parseInt(adaptivePrefix + "min", value)));
            applyQueue(adaptivePrefix + "max", adaptiveChanged,
                    value -> adaptive.max(parseInt(adaptivePrefix + "max", value)));
            applyQueue(adaptivePrefix + "initial", adaptiveChanged,
                    value -> adaptive.initial(parseInt(adaptivePrefix + "initial", value)));
            if (adaptiveChanged[0]) {
                queueConfig.adaptiveConcurrency(adaptive.build());
                changed[0] = true;
            }
            // Any circuit-breaker key gives the queue a breaker (the other values default).
            String breakerPrefix = prefix + "circuit-breaker.";
            BreakerPolicy.Builder breaker = base.queue(queue).circuitBreaker().map(BreakerPolicy::toBuilder)
                    .orElse(BreakerPolicy.builder());
            boolean[] breakerChanged = {false};
            applyQueue(breakerPrefix + "name", breakerChanged, breaker::name);
            applyQueue(breakerPrefix + "failure-rate-threshold", breakerChanged, value -> breaker.failureRateThreshold(
                    parseInt(breakerPrefix + "failure-rate-threshold", value)));
            applyQueue(breakerPrefix + "minimum-calls", breakerChanged,
                    value -> breaker.minimumCalls(parseInt(breakerPrefix + "minimum-calls", value)));
            applyQueue(breakerPrefix + "wait-in-open", breakerChanged,
                    value -> breaker.waitInOpen(parseDuration(breakerPrefix + "wait-in-open", value)));
            applyQueue(breakerPrefix + "permitted-in-half-open", breakerChanged, value -> breaker.permittedInHalfOpen(
                    parseInt(breakerPrefix + "permitted-in-half-open", value)));
            if (breakerChanged[0]) {
                queueConfig.circuitBreaker(breaker.build());
                changed[0] = true;
            }
            if (changed[0]) {
                builder.queue(queue, queueConfig.build());
            }
        }
        return builder.build();
    }

    /**
     * An unknown {@code sluice.*} key (a system property, or a key given to {@link #of}) fails, suggesting the closest
     * known key. An unknown {@code SLUICE_*} environment variable is only logged, once: the environment also holds
     * variables that are not settings (Kubernetes injects {@code SLUICE_SERVICE_HOST} and {@code SLUICE_PORT} into every
     * pod of a namespace with a Service named {@code sluice}; deployment scripts set {@code SLUICE_HOME}). Placeholder
     * values under {@code sluice.names.} are not settings and pass.
     */
    private void checkKeys(List<String> queueNames) {
        List<String> known = new ArrayList<>();
        GLOBAL_KEYS.forEach(key -> known.add(PREFIX + key));
        for (String queue : queueNames) {
            QUEUE_KEYS.forEach(key -> known.add(PREFIX + "queues." + queue + "." + key));
        }
        List<String> knownEnv = known.stream().map(WorkerConfig::environmentVariable).toList();
        List<String> problems = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String variable : environment.keySet()) {
            if (isSetting(variable, WorkerConfig.environmentVariable(PREFIX), WorkerConfig.environmentVariable(NAMES))
                    && !knownEnv.contains(variable)) {
                ignored.add(variable + KeySuggestions.closest(variable, knownEnv)
                        .map(suggestion -> " (did you mean " + suggestion + "?)").orElse(""));
            }
        }
        for (String key : properties.keySet()) {
            if (isSetting(key, PREFIX, NAMES) && !known.contains(key)) {
                problems.add("unknown Sluice setting '" + key + "'" + KeySuggestions.closest(key, known)
                        .map(suggestion -> "; did you mean '" + suggestion + "'?")
                        .orElse(key.startsWith(PREFIX + "queues.") ? "; queue settings apply to the queues "
                                + queueNames + " only" : "; see the Configuration section of the README (placeholder"
                                + " values go under " + NAMES + "*)"));
            }
        }
        ignored.sort(null);
        if (!ignored.isEmpty() && unknownVariablesLogged.compareAndSet(false, true)) {
            LOG.warn("Ignoring environment variables that are not Sluice settings: {}", String.join(", ", ignored));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Whether {@code key} is meant as a setting: it has Sluice's prefix, outside the placeholders' {@code names}. */
    private static boolean isSetting(String key, String prefix, String names) {
        return key.startsWith(prefix) && !key.startsWith(names);
    }

    private void apply(String key, java.util.function.Consumer<String> setter) {
        String value = get(key);
        if (value != null) {
            try {
                setter.accept(value);
            } catch (IllegalArgumentException e) {
                String message = String.valueOf(e.getMessage());
                throw message.startsWith(key) ? e : new IllegalArgumentException(key + ": " + message, e);
            }
        }
    }

    private void applyQueue(String key, boolean[] changed, java.util.function.Consumer<String> setter) {
        if (get(key) != null) {
            changed[0] = true;
            apply(key, setter);
        }
    }

    private static SqsClientConfig.HttpClient parseHttpClient(String value) {
        try {
            return SqsClientConfig.HttpClient.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sluice.http-client must be netty or crt, but was '" + value + "'");
        }
    }

    private static double parseRate(String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number of messages per second (50, 0.5), but was '"
                    + value + "'");
        }
    }

    static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, but was '" + value + "'");
        }
    }

    /**
     * Comma-separated exception class names, loaded with the context class loader: {@code
     * java.io.IOException, com.example.PaymentDeclinedException}. Fails naming the bad name: not found, or not a
     * {@link Throwable}.
     */
    @SuppressWarnings("unchecked")
    static Class<? extends Throwable>[] parseExceptionTypes(String value) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : SluiceSettings.class.getClassLoader();
        List<Class<? extends Throwable>> types = new ArrayList<>();
        for (String part : value.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException("exception class '" + name + "' is not on the classpath");
            }
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("'" + name + "' is not an exception type (not a Throwable)");
            }
            types.add((Class<? extends Throwable>) type);
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("expected comma-separated exception class names, but was '" + value
                    + "'");
        }
        return types.toArray(new Class[0]);
    }

    static boolean parseBoolean(String key, String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + " must be true or false, but was '" + value + "'");
    }

    /**
     * Parses a duration as every {@code sluice.*} setting writes it: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h},
     * a bare number of seconds, or ISO-8601 ({@code PT30S}).
     *
     * @param key named in the error
     * @throws IllegalArgumentException naming {@code key} and {@code value} when it is not a duration
     */
    public static Duration parseDuration(String key, String value) {
        return Durations.parse(key, value);
    }

    /** The {@code sluice.*} properties and {@code SLUICE_*} variables, credentials masked; nothing else is shown. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach((key, value) -> show(shown, key, value, PREFIX));
        environment.forEach((key, value) -> show(shown, key, value, WorkerConfig.environmentVariable(PREFIX)));
        return "SluiceSettings" + shown;
    }

    private static void show(Map<String, String> shown, String key, String value, String prefix) {
        if (key.startsWith(prefix)) {
            shown.put(key, key.contains("secret") || key.contains("SECRET") || key.contains("access-key")
                    || key.contains("ACCESS_KEY") ? "****" : value);
        }
    }
}
