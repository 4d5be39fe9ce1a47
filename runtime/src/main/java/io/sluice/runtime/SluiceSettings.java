package io.sluice.runtime;

import io.sluice.BreakerPolicy;
import io.sluice.QueueConfig;
import io.sluice.RetryPolicy;
import io.sluice.WorkerConfig;
import io.sluice.time.Durations;
import io.sluice.transport.SqsClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>sluice.endpoint, sluice.region, sluice.profile</td><td>override the AWS SDK's own resolution</td></tr>
 *   <tr><td>sluice.access-key-id, sluice.secret-access-key</td><td>static credentials (never logged)</td></tr>
 *   <tr><td>sluice.concurrency, sluice.pollers, sluice.wait-time, sluice.max-messages, sluice.visibility-timeout,
 *   sluice.delete-flush-interval, sluice.shutdown-timeout, sluice.startup-timeout, sluice.create-queues</td>
 *   <td>worker defaults (durations as {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601)</td></tr>
 *   <tr><td>sluice.max-attempts, sluice.retry.attempts, sluice.retry.delay, sluice.redelivery.backoff,
 *   sluice.redelivery.max-backoff, sluice.max-processing-time, sluice.retry.retry-on, sluice.retry.no-retry-on
 *   (comma-separated exception class names)</td><td>the default failure policy ({@link RetryPolicy})</td></tr>
 *   <tr><td>sluice.queues.NAME.concurrency | pollers | visibility-timeout | dead-letter-queue | max-receive-count |
 *   max-attempts | retry.attempts | retry.retry-on | retry.no-retry-on | max-processing-time |
 *   max-concurrency-per-group | max-batch-size | max-batch-wait</td><td>one queue's overrides</td></tr>
 *   <tr><td>sluice.queues.NAME.circuit-breaker.name | failure-rate-threshold | minimum-calls | wait-in-open |
 *   permitted-in-half-open</td><td>guards the queue's handler with a circuit breaker ({@link BreakerPolicy})</td></tr>
 *   <tr><td>sluice.modules</td><td>comma-separated Guice module classes, for the worker main</td></tr>
 * </table>
 */
public final class SluiceSettings {

    private static final String PREFIX = "sluice.";
    private static final List<String> GLOBAL_KEYS = List.of("endpoint", "region", "profile", "access-key-id",
            "secret-access-key", "concurrency", "pollers", "wait-time", "max-messages", "visibility-timeout",
            "delete-flush-interval", "shutdown-timeout", "startup-timeout", "create-queues", "modules",
            "max-connections", "max-attempts", "retry.attempts", "retry.delay", "redelivery.backoff",
            "redelivery.max-backoff", "max-processing-time", "retry.retry-on", "retry.no-retry-on");
    private static final List<String> QUEUE_KEYS = List.of("concurrency", "pollers", "visibility-timeout",
            "dead-letter-queue", "max-receive-count", "max-attempts", "retry.attempts", "max-processing-time",
            "retry.retry-on", "retry.no-retry-on", "max-concurrency-per-group", "max-batch-size", "max-batch-wait",
            "circuit-breaker.name", "circuit-breaker.failure-rate-threshold", "circuit-breaker.minimum-calls",
            "circuit-breaker.wait-in-open", "circuit-breaker.permitted-in-half-open");

    private static final Logger LOG = LoggerFactory.getLogger(SluiceSettings.class);

    private final Map<String, String> values;
    private final AtomicBoolean unknownVariablesLogged = new AtomicBoolean();

    private SluiceSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Settings from {@code sluice.*} keys of the given map only. */
    public static SluiceSettings of(Map<String, String> properties) {
        Map<String, String> values = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(PREFIX) && value != null) {
                values.put(key, value.trim());
            }
        });
        return new SluiceSettings(values);
    }

    /** Settings from the environment and system properties (system properties win). */
    public static SluiceSettings fromEnvironment() {
        return fromEnvironment(System.getenv(), System.getProperties());
    }

    static SluiceSettings fromEnvironment(Map<String, String> environment, java.util.Properties properties) {
        Map<String, String> values = new LinkedHashMap<>();
        environment.forEach((key, value) -> {
            if (key.startsWith("SLUICE_")) {
                values.put(PREFIX + ENV_MARKER + key.substring("SLUICE_".length()), value);
            }
        });
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                values.put(key, properties.getProperty(key));
            }
        }
        return of(values);
    }

    /** Marks keys that came from environment variables, whose queue part must be matched against queue names. */
    private static final String ENV_MARKER = "env:";

    /** The raw value of {@code key} (with the {@code sluice.} prefix), or {@code null}. */
    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            value = values.get(PREFIX + ENV_MARKER + envName(key.substring(PREFIX.length())));
        }
        return value == null || value.isEmpty() ? null : value;
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

    /** The client settings: what is not set here comes from the AWS SDK's standard configuration. */
    public SqsClientConfig clientConfig() {
        SqsClientConfig.Builder builder = SqsClientConfig.builder();
        apply("sluice.endpoint", value -> builder.endpoint(value));
        apply("sluice.region", value -> builder.region(value));
        apply("sluice.profile", value -> builder.profile(value));
        apply("sluice.max-connections", value -> builder.maxConnections(parseInt("sluice.max-connections", value)));
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
     * {@code base} with every setting given here applied on top.
     *
     * @param queueNames the queues the worker consumes, to match environment-variable keys against
     * @throws IllegalArgumentException for an unknown key or a bad value, naming both
     */
    public WorkerConfig applyTo(WorkerConfig base, List<String> queueNames) {
        checkKeys(queueNames);
        WorkerConfig.Builder builder = base.toBuilder();
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
     * pod of a namespace with a Service named {@code sluice}; deployment scripts set {@code SLUICE_HOME}).
     */
    private void checkKeys(List<String> queueNames) {
        List<String> known = new ArrayList<>();
        GLOBAL_KEYS.forEach(key -> known.add(PREFIX + key));
        for (String queue : queueNames) {
            QUEUE_KEYS.forEach(key -> known.add(PREFIX + "queues." + queue + "." + key));
        }
        List<String> knownEnv = known.stream().map(SluiceSettings::environmentVariable).toList();
        List<String> problems = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String key : values.keySet()) {
            if (key.startsWith(PREFIX + ENV_MARKER)) {
                String variable = "SLUICE_" + key.substring((PREFIX + ENV_MARKER).length());
                if (!knownEnv.contains(variable)) {
                    ignored.add(variable + KeySuggestions.closest(variable, knownEnv)
                            .map(suggestion -> " (did you mean " + suggestion + "?)").orElse(""));
                }
            } else if (!known.contains(key)) {
                problems.add("unknown Sluice setting '" + key + "'" + KeySuggestions.closest(key, known)
                        .map(suggestion -> "; did you mean '" + suggestion + "'?")
                        .orElse(key.startsWith(PREFIX + "queues.") ? "; queue settings apply to the queues "
                                + queueNames + " only" : "; see the Configuration section of the README"));
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

    /** {@code sluice.queues.orders.concurrency} → {@code SLUICE_QUEUES_ORDERS_CONCURRENCY}. */
    private static String environmentVariable(String key) {
        return "SLUICE_" + envName(key.substring(PREFIX.length()));
    }

    private void apply(String key, java.util.function.Consumer<String> setter) {
        String value = get(key);
        if (value != null) {
            try {
                setter.accept(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        }
    }

    private void applyQueue(String key, boolean[] changed, java.util.function.Consumer<String> setter) {
        if (get(key) != null) {
            changed[0] = true;
            apply(key, setter);
        }
    }

    /** {@code queues.order-processing.concurrency} → {@code QUEUES_ORDER_PROCESSING_CONCURRENCY}. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
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

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((key, value) -> shown.put(key, key.contains("secret") || key.contains("SECRET")
                || key.contains("access-key") || key.contains("ACCESS_KEY") ? "****" : value));
        return "SluiceSettings" + shown;
    }
}
