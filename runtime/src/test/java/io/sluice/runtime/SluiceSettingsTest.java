package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.AdaptiveConcurrencyPolicy;
import io.sluice.QueueConfig;
import io.sluice.WorkerConfig;
import io.sluice.producer.SqsProducer;
import io.sluice.testutil.CapturedLogs;
import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.memory.InMemorySqs;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SluiceSettingsTest {

    private static final List<String> QUEUES = List.of("order-processing", "payments.fifo");
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private static WorkerConfig apply(Map<String, String> properties) {
        return SluiceSettings.of(properties).applyTo(WorkerConfig.defaults(), QUEUES);
    }

    private static Properties properties(Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        return properties;
    }

    // ---- values ----

    @Test
    void parsesDurationsInEveryAcceptedForm() {
        WorkerConfig config = apply(Map.of(
                "sluice.delete-flush-interval", "500ms",
                "sluice.visibility-timeout", "30s",
                "sluice.shutdown-timeout", "5m",
                "sluice.wait-time", "PT15S",
                "sluice.startup-timeout", "45"));

        assertThat(config.deleteFlushInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.waitTime()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.startupTimeout()).as("bare seconds").isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void parsesHoursAndLowerCaseIsoDurations() {
        assertThat(SluiceSettings.parseDuration("k", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(SluiceSettings.parseDuration("k", "pt1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(SluiceSettings.parseDuration("k", " 250ms ")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void parsesBooleansAndInts() {
        WorkerConfig config = apply(Map.of(
                "sluice.create-queues", "TRUE",
                "sluice.concurrency", "50",
                "sluice.pollers", "3",
                "sluice.max-messages", "5"));

        assertThat(config.createQueues()).isTrue();
        assertThat(config.concurrency()).isEqualTo(50);
        assertThat(config.pollers()).isEqualTo(3);
        assertThat(config.maxMessagesPerReceive()).isEqualTo(5);
        assertThat(apply(Map.of("sluice.create-queues", "false")).createQueues()).isFalse();
    }

    @Test
    void keepsTheBaseConfigWhereNothingIsSet() {
        WorkerConfig base = WorkerConfig.builder().concurrency(7).createQueues(true)
                .queue("order-processing", QueueConfig.builder().pollers(2).build()).build();

        WorkerConfig config = SluiceSettings.of(Map.of("sluice.queues.order-processing.concurrency", "9"))
                .applyTo(base, QUEUES);

        assertThat(config.concurrency()).isEqualTo(7);
        assertThat(config.createQueues()).isTrue();
        assertThat(config.queue("order-processing").pollers()).as("kept from the base").hasValue(2);
        assertThat(config.queue("order-processing").concurrency()).hasValue(9);
        assertThat(config.queues()).as("untouched queues get no entry").doesNotContainKey("payments.fifo");
    }

    @Test
    void ignoresKeysOutsideTheSluicePrefix() {
        WorkerConfig config = apply(Map.of("java.version", "17", "other.concurrency", "3"));

        assertThat(config.concurrency()).isEqualTo(WorkerConfig.DEFAULT_CONCURRENCY);
    }

    @Test
    void exceptionClassificationComesFromSettingsForTheWorkerAndPerQueue() {
        WorkerConfig config = SluiceSettings.fromEnvironment(
                Map.of("SLUICE_QUEUES_ORDER_PROCESSING_RETRY_NO_RETRY_ON", "java.io.FileNotFoundException"),
                properties(Map.of(
                        "sluice.retry.no-retry-on",
                        "java.lang.IllegalArgumentException, java.lang.UnsupportedOperationException",
                        "sluice.queues.order-processing.retry.retry-on", "java.io.IOException")))
                .applyTo(WorkerConfig.defaults(), QUEUES);

        assertThat(config.retry().noRetryOn())
                .containsExactly(IllegalArgumentException.class, UnsupportedOperationException.class);
        assertThat(config.retry().retryOn()).isEmpty();
        QueueConfig orders = config.queue("order-processing");
        assertThat(orders.retryOn()).hasValue(List.of(java.io.IOException.class));
        assertThat(orders.noRetryOn()).hasValue(List.of(java.io.FileNotFoundException.class));
        assertThat(config.queue("payments.fifo").retryOn()).as("other queues inherit").isEmpty();
    }

    // ---- errors ----

    @Test
    void exceptionClassThatIsMissingOrNotAThrowableFailsNamingKeyAndClass() {
        assertThatThrownBy(() -> apply(Map.of("sluice.retry.retry-on", "java.io.IOException, com.example.Nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.retry.retry-on")
                .hasMessageContaining("'com.example.Nope' is not on the classpath");
        assertThatThrownBy(() -> apply(Map.of("sluice.queues.order-processing.retry.no-retry-on", "java.lang.String")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.queues.order-processing.retry.no-retry-on")
                .hasMessageContaining("'java.lang.String' is not an exception type");
        assertThatThrownBy(() -> apply(Map.of("sluice.retry.no-retry-on", " , ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.retry.no-retry-on")
                .hasMessageContaining("comma-separated exception class names");
    }

    @Test
    void unknownKeyFailsNamingIt() {
        assertThatThrownBy(() -> apply(Map.of("sluice.concurency", "5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown Sluice setting 'sluice.concurency'")
                .hasMessageContaining("sluice.concurrency");
    }

    @Test
    void keyForAQueueWithoutHandlerFailsNamingIt() {
        assertThatThrownBy(() -> apply(Map.of("sluice.queues.shipping.concurrency", "5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.queues.shipping.concurrency");
    }

    @Test
    void unknownKeyFromASystemPropertyFailsSuggestingTheClosestKnownKeyNotListingThemAll() {
        SluiceSettings settings = SluiceSettings.fromEnvironment(Map.of(),
                properties(Map.of("sluice.queues.order-procesing.concurency", "5")));

        assertThatThrownBy(() -> settings.applyTo(WorkerConfig.defaults(), QUEUES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown Sluice setting 'sluice.queues.order-procesing.concurency'; did you mean"
                        + " 'sluice.queues.order-processing.concurrency'?");
        assertThatThrownBy(() -> apply(Map.of("sluice.pollers-per-queue-please", "5")))
                .hasMessage("unknown Sluice setting 'sluice.pollers-per-queue-please'; see the Configuration section"
                        + " of the README (placeholder values go under sluice.names.*)");
    }

    @Test
    void unknownEnvironmentVariablesAreIgnoredWithOneWarningNamingThem() {
        // What Kubernetes injects for a Service named "sluice", and what deployment scripts set.
        SluiceSettings settings = SluiceSettings.fromEnvironment(Map.of(
                "SLUICE_SERVICE_HOST", "10.0.0.7", "SLUICE_PORT", "tcp://10.0.0.7:8080",
                "SLUICE_PORT_8080_TCP_ADDR", "10.0.0.7", "SLUICE_HOME", "/opt/sluice",
                "SLUICE_CONCURENCY", "5", "SLUICE_POLLERS", "2"), new Properties());

        try (CapturedLogs logs = CapturedLogs.of(SluiceSettings.class)) {
            WorkerConfig config = settings.applyTo(WorkerConfig.defaults(), QUEUES);
            settings.applyTo(WorkerConfig.defaults(), QUEUES);

            assertThat(config.pollers()).as("known variables still apply").isEqualTo(2);
            assertThat(config.concurrency()).isEqualTo(WorkerConfig.DEFAULT_CONCURRENCY);
            assertThat(logs.lines()).as("one warning, however often the settings are applied").hasSize(1);
            assertThat(logs.lines().get(0)).startsWith("WARN Ignoring environment variables that are not Sluice"
                            + " settings: ")
                    .contains("SLUICE_SERVICE_HOST", "SLUICE_PORT_8080_TCP_ADDR", "SLUICE_HOME")
                    // SLUICE_PORT itself, not only as the start of SLUICE_PORT_8080_TCP_ADDR; in any place of the
                    // list, which follows the environment map's order (Map.of's differs from one JVM to the next)
                    .containsPattern("SLUICE_PORT(,|$)")
                    .contains("SLUICE_CONCURENCY (did you mean SLUICE_CONCURRENCY?)")
                    .doesNotContain("10.0.0.7", "/opt/sluice");
        }
    }

    @Test
    void badValueFailsNamingKeyAndValue() {
        assertThatThrownBy(() -> apply(Map.of("sluice.concurrency", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.concurrency").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> apply(Map.of("sluice.wait-time", "soon")))
                .hasMessageContaining("sluice.wait-time").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> apply(Map.of("sluice.create-queues", "yes")))
                .hasMessageContaining("sluice.create-queues").hasMessageContaining("'yes'");
        assertThatThrownBy(() -> apply(Map.of("sluice.queues.order-processing.max-receive-count", "x")))
                .hasMessageContaining("sluice.queues.order-processing.max-receive-count").hasMessageContaining("'x'");
    }

    @Test
    void valueOutOfRangeFailsNamingKeyAndValue() {
        assertThatThrownBy(() -> apply(Map.of("sluice.concurrency", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.concurrency").hasMessageContaining("but was 0");
        assertThatThrownBy(() -> apply(Map.of("sluice.wait-time", "21s")))
                .hasMessageContaining("sluice.wait-time")
                .hasMessageEndingWith("waitTime must be between 0s and 20s, but was 21s"); // as written, not PT21S
        assertThatThrownBy(() -> apply(Map.of("sluice.queues.order-processing.visibility-timeout", "13h")))
                .hasMessageContaining("sluice.queues.order-processing.visibility-timeout")
                .hasMessageEndingWith("but was 13h");
    }

    // ---- queues ----

    @Test
    void queueOverridesApplyToTheirQueue() {
        WorkerConfig config = apply(Map.of(
                "sluice.queues.order-processing.concurrency", "50",
                "sluice.queues.order-processing.pollers", "4",
                "sluice.queues.order-processing.visibility-timeout", "2m",
                "sluice.queues.order-processing.dead-letter-queue", "orders-poison",
                "sluice.queues.order-processing.max-receive-count", "5",
                "sluice.queues.payments.fifo.dead-letter-queue", "none"));

        QueueConfig orders = config.queue("order-processing");
        assertThat(orders.concurrency()).hasValue(50);
        assertThat(orders.pollers()).hasValue(4);
        assertThat(orders.visibilityTimeout()).contains(Duration.ofMinutes(2));
        assertThat(orders.deadLetterQueue()).contains("orders-poison");
        assertThat(orders.maxReceiveCount()).hasValue(5);
        assertThat(config.queue("payments.fifo").deadLetterQueueDisabled()).isTrue();
    }

    @Test
    void resiliencePolicyKeysSetTheDefaultsAndEachQueuesOverrides() {
        WorkerConfig config = apply(Map.of(
                "sluice.max-attempts", "4",
                "sluice.retry.attempts", "2",
                "sluice.retry.delay", "100ms",
                "sluice.redelivery.backoff", "10s",
                "sluice.redelivery.max-backoff", "5m",
                "sluice.max-processing-time", "2m",
                "sluice.queues.order-processing.max-attempts", "3",
                "sluice.queues.order-processing.retry.attempts", "1",
                "sluice.queues.order-processing.max-processing-time", "30s",
                "sluice.queues.order-processing.circuit-breaker.name", "payments"));

        assertThat(config.retry().maxAttempts()).hasValue(4);
        assertThat(config.retry().attempts()).isEqualTo(2);
        assertThat(config.retry().delay()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.retry().backoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.retry().maxBackoff()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.maxProcessingTime()).isEqualTo(Duration.ofMinutes(2));
        QueueConfig orders = config.queue("order-processing");
        assertThat(orders.maxAttempts()).hasValue(3);
        assertThat(orders.retryAttempts()).hasValue(1);
        assertThat(orders.maxProcessingTime()).contains(Duration.ofSeconds(30));
        assertThat(orders.circuitBreaker()).hasValueSatisfying(breaker -> {
            assertThat(breaker.name()).contains("payments");
            assertThat(breaker.failureRateThreshold()).isEqualTo(io.sluice.BreakerPolicy.DEFAULT_FAILURE_RATE_THRESHOLD);
        });
        assertThat(config.queue("payments.fifo").circuitBreaker()).isEmpty();
    }

    @Test
    void circuitBreakerKeysComeFromTheEnvironmentAndBadValuesNameTheKey() {
        SluiceSettings settings = SluiceSettings.fromEnvironment(Map.of(
                "SLUICE_QUEUES_ORDER_PROCESSING_CIRCUIT_BREAKER_WAIT_IN_OPEN", "5s",
                "SLUICE_QUEUES_ORDER_PROCESSING_CIRCUIT_BREAKER_MINIMUM_CALLS", "4"), new Properties());
        WorkerConfig config = settings.applyTo(WorkerConfig.defaults(), QUEUES);
        assertThat(config.queue("order-processing").circuitBreaker()).hasValueSatisfying(breaker -> {
            assertThat(breaker.waitInOpen()).isEqualTo(Duration.ofSeconds(5));
            assertThat(breaker.minimumCalls()).hasValue(4);
        });

        assertThatThrownBy(() -> apply(Map.of("sluice.queues.order-processing.circuit-breaker.failure-rate-threshold",
                "150")))
                .hasMessage("sluice.queues.order-processing.circuit-breaker.failure-rate-threshold: "
                        + "failureRateThreshold must be between 1 and 100, but was 150");
        assertThatThrownBy(() -> apply(Map.of("sluice.retry.attempts", "0")))
                .hasMessage("sluice.retry.attempts: retry attempts must be between 1 and 10, but was 0");
    }

    @Test
    void environmentVariablesMatchQueueNames() {
        SluiceSettings settings = SluiceSettings.fromEnvironment(Map.of(
                "SLUICE_QUEUES_ORDER_PROCESSING_CONCURRENCY", "50",
                "SLUICE_QUEUES_PAYMENTS_FIFO_MAX_RECEIVE_COUNT", "2",
                "SLUICE_CREATE_QUEUES", "true",
                "SLUICE_DELETE_FLUSH_INTERVAL", "20ms",
                "PATH", "/usr/bin"), new Properties());

        WorkerConfig config = settings.applyTo(WorkerConfig.defaults(), QUEUES);

        assertThat(config.queue("order-processing").concurrency()).hasValue(50);
        assertThat(config.queue("payments.fifo").maxReceiveCount()).hasValue(2);
        assertThat(config.createQueues()).isTrue();
        assertThat(config.deleteFlushInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(settings.get("sluice.queues.order-processing.concurrency")).isEqualTo("50");
    }

    @Test
    void systemPropertiesWinOverEnvironmentVariables() {
        SluiceSettings settings = SluiceSettings.fromEnvironment(
                Map.of("SLUICE_CONCURRENCY", "5", "SLUICE_QUEUES_ORDER_PROCESSING_CONCURRENCY", "6",
                        "SLUICE_POLLERS", "2"),
                properties(Map.of("sluice.concurrency", "7", "sluice.queues.order-processing.concurrency", "8",
                        "user.home", "/home/x")));

        WorkerConfig config = settings.applyTo(WorkerConfig.defaults(), QUEUES);

        assertThat(config.concurrency()).isEqualTo(7);
        assertThat(config.queue("order-processing").concurrency()).hasValue(8);
        assertThat(config.pollers()).as("from the environment where no property is set").isEqualTo(2);
    }

    @Test
    void modulesAreReadCommaSeparated() {
        SluiceSettings settings = SluiceSettings.of(Map.of("sluice.modules", "com.example.A, com.example.B,,"));

        assertThat(settings.modules()).containsExactly("com.example.A", "com.example.B");
        assertThat(SluiceSettings.fromEnvironment(Map.of("SLUICE_MODULES", "com.example.C"), new Properties())
                .modules()).containsExactly("com.example.C");
    }

    // ---- placeholders ----

    @Test
    void placeholdersTakeTheirValuesFromTheSettingsThenFromTheConfig() {
        WorkerConfig base = WorkerConfig.builder().placeholders(key -> Optional.of("from-config")).build();

        WorkerConfig config = SluiceSettings.of(Map.of("orders.queue", "orders-dev", "sluice.names.payments",
                "payments-dev", "sluice.concurrency", "5")).applyTo(base, QUEUES);

        assertThat(config.placeholders().apply("orders.queue")).hasValue("orders-dev");
        assertThat(config.placeholders().apply("sluice.names.payments")).as("reserved, not an unknown setting")
                .hasValue("payments-dev");
        assertThat(config.placeholders().apply("sluice.concurrency")).hasValue("5");
        assertThat(config.placeholders().apply("shipping.queue")).hasValue("from-config");
    }

    @Test
    void placeholderValuesComeFromSystemPropertiesThenTheEnvironmentWithoutWarnings() {
        SluiceSettings settings = SluiceSettings.fromEnvironment(Map.of("ORDERS_QUEUE", "orders-env",
                "PAYMENTS_QUEUE", "payments-env", "SLUICE_NAMES_SHIPPING", "shipping-env"),
                properties(Map.of("orders.queue", "orders-property")));

        try (CapturedLogs logs = CapturedLogs.of(SluiceSettings.class)) {
            WorkerConfig config = settings.applyTo(WorkerConfig.defaults(), QUEUES);

            assertThat(config.placeholders().apply("orders.queue")).hasValue("orders-property");
            assertThat(config.placeholders().apply("payments.queue")).hasValue("payments-env");
            assertThat(config.placeholders().apply("sluice.names.shipping")).hasValue("shipping-env");
            assertThat(logs.lines()).as("SLUICE_NAMES_* are not unknown settings").isEmpty();
        }
        assertThat(settings.toString()).as("only Sluice's own keys are shown").contains("SLUICE_NAMES_SHIPPING")
                .doesNotContain("orders-property", "payments-env");
    }

    @Test
    void aSluiceKeyOutsideTheNamesIsStillCheckedAsASetting() {
        assertThatThrownBy(() -> apply(Map.of("sluice.queue-names.orders", "orders-dev")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown Sluice setting 'sluice.queue-names.orders'");
    }

    // ---- client ----

    @Test
    void clientConfigTakesEndpointRegionAndCredentials() {
        SluiceSettings settings = SluiceSettings.of(Map.of(
                "sluice.endpoint", "http://localhost:9324",
                "sluice.region", "eu-west-1",
                "sluice.access-key-id", "AKIAEXAMPLE",
                "sluice.secret-access-key", SECRET,
                "sluice.max-connections", "32"));

        SqsClientConfig client = settings.clientConfig();

        assertThat(client.endpoint()).isEqualTo(URI.create("http://localhost:9324"));
        assertThat(client.region()).isEqualTo("eu-west-1");
        assertThat(client.hasStaticCredentials()).isTrue();
        assertThat(client.maxConnections()).isEqualTo(32);
        assertThat(client.toString()).doesNotContain(SECRET).contains("static");
        assertThat(settings.toString()).doesNotContain(SECRET).doesNotContain("AKIAEXAMPLE")
                .contains("http://localhost:9324");
    }

    @Test
    void secretFromTheEnvironmentIsNeverShown() {
        SluiceSettings settings = SluiceSettings.fromEnvironment(Map.of(
                "SLUICE_ACCESS_KEY_ID", "AKIAEXAMPLE", "SLUICE_SECRET_ACCESS_KEY", SECRET), new Properties());

        assertThat(settings.clientConfig().hasStaticCredentials()).isTrue();
        assertThat(settings.toString()).doesNotContain(SECRET).doesNotContain("AKIAEXAMPLE");
        assertThat(settings.clientConfig().toString()).doesNotContain(SECRET);
    }

    @Test
    void incompleteCredentialsFailWithoutShowingTheSecret() {
        SluiceSettings settings = SluiceSettings.of(Map.of("sluice.secret-access-key", SECRET));

        assertThatThrownBy(settings::clientConfig)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.access-key-id")
                .hasMessageContaining("access key id")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void badEndpointFailsNamingKeyAndValue() {
        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.endpoint", "localhost")).clientConfig())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.endpoint")
                .hasMessageContaining("localhost");
    }

    @Test
    void overridesWinOverSystemPropertiesAndTheEnvironmentAndANullOverridesNothing() {
        Properties properties = new Properties();
        properties.setProperty("sluice.endpoint", "http://localhost:9324");
        SluiceSettings settings = SluiceSettings.fromEnvironment(Map.of("SLUICE_REGION", "eu-west-1",
                "SLUICE_PROFILE", "ops"), properties);
        Map<String, String> overrides = new java.util.HashMap<>();
        overrides.put("sluice.endpoint", "http://127.0.0.1:9999");
        overrides.put("sluice.region", "us-east-2");
        overrides.put("sluice.profile", null);

        SqsClientConfig client = settings.with(overrides).clientConfig();

        assertThat(client.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9999"));
        assertThat(client.region()).isEqualTo("us-east-2");
        assertThat(client.profile()).isEqualTo("ops");
        assertThat(settings.clientConfig().region()).as("the original is unchanged").isEqualTo("eu-west-1");
    }

    @Test
    void clientConfigWithoutSettingsLeavesEverythingToTheSdk() {
        SqsClientConfig client = SluiceSettings.of(Map.of()).clientConfig();

        assertThat(client.endpoint()).isNull();
        assertThat(client.region()).isNull();
        assertThat(client.hasStaticCredentials()).isFalse();
        assertThat(client.maxConnections()).isEqualTo(SqsClientConfig.DEFAULT_MAX_CONNECTIONS);
    }

    @Test
    void producerSettingsReachTheProducerAndABadOneNamesItsKey() {
        InMemorySqs sqs = InMemorySqs.builder().build();
        sqs.createQueue(b -> b.queueName("orders-prod")).join();
        SluiceSettings settings = SluiceSettings.of(Map.of("sluice.producer.batch-window", "20ms",
                "sluice.producer.max-calls-in-flight", "4", "sluice.producer.max-attempts", "5",
                "orders.queue", "orders-prod"));

        SqsProducer producer = settings.applyTo(SqsProducer.builder()
                .transport(sqs).batchWindow(Duration.ZERO)).build();
        producer.send("${orders.queue}", "placed"); // the placeholder comes from the settings

        assertThat(sqs.messages("orders-prod")).extracting(message -> message.body()).containsExactly("placed");
        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.producer.batch-window", "5s"))
                .applyTo(SqsProducer.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sluice.producer.batch-window: batchWindow must be from 0 to 1s, but was PT5S");
        producer.close();
        sqs.close();
    }

    @Test
    void aQueuesRateComesFromItsRateKeyAndABadOneNamesIt() {
        WorkerConfig config = SluiceSettings.of(Map.of("sluice.queues.orders.rate", "12.5"))
                .applyTo(WorkerConfig.defaults(), List.of("orders"));
        assertThat(config.queue("orders").maxMessagesPerSecond()).hasValue(12.5);

        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.queues.orders.rate", "fast"))
                .applyTo(WorkerConfig.defaults(), List.of("orders")))
                .hasMessage("sluice.queues.orders.rate must be a number of messages per second (50, 0.5), but was"
                        + " 'fast'");
        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.queues.orders.rate", "0"))
                .applyTo(WorkerConfig.defaults(), List.of("orders")))
                .hasMessageContaining("sluice.queues.orders.rate")
                .hasMessageContaining("maxMessagesPerSecond must be more than 0 and at most 100000, but was 0.0");
    }

    @Test
    void anyAdaptiveConcurrencyKeyGivesTheQueueAnAdaptiveLimitAndPrefetchHasItsKey() {
        WorkerConfig config = SluiceSettings.of(Map.of("sluice.queues.orders.adaptive-concurrency.algorithm",
                "Gradient", "sluice.queues.orders.adaptive-concurrency.max", "64",
                "sluice.queues.orders.prefetch", "8", "sluice.queues.payments.adaptive-concurrency.min", "2"))
                .applyTo(WorkerConfig.defaults(), List.of("orders", "payments"));

        assertThat(config.queue("orders").adaptiveConcurrency()).hasValue(AdaptiveConcurrencyPolicy.builder()
                .algorithm(AdaptiveConcurrencyPolicy.Algorithm.GRADIENT).max(64).build());
        assertThat(config.queue("orders").prefetch()).hasValue(8);
        assertThat(config.queue("payments").adaptiveConcurrency()).hasValue(AdaptiveConcurrencyPolicy.builder()
                .min(2).build());
        assertThat(config.queue("payments").prefetch()).isEmpty();

        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.queues.orders.adaptive-concurrency.algorithm",
                "aimd")).applyTo(WorkerConfig.defaults(), List.of("orders")))
                .hasMessageContaining("sluice.queues.orders.adaptive-concurrency.algorithm")
                .hasMessageContaining("vegas or gradient, but was 'aimd'");
        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.queues.orders.adaptive-concurrency.min", "9",
                "sluice.queues.orders.adaptive-concurrency.max", "4")).applyTo(WorkerConfig.defaults(),
                List.of("orders")))
                .hasMessageContaining("adaptive concurrency min 9 is above its max 4");
        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.queues.orders.prefetch", "-1"))
                .applyTo(WorkerConfig.defaults(), List.of("orders")))
                .hasMessageContaining("sluice.queues.orders.prefetch")
                .hasMessageContaining("prefetch must be between 0 and 10000, but was -1");
    }

    @Test
    void theHttpClientIsChosenByNameAndABadOneIsNamed() {
        assertThat(SluiceSettings.of(Map.of("sluice.http-client", "crt")).clientConfig().httpClient())
                .isEqualTo(SqsClientConfig.HttpClient.CRT);
        assertThat(SluiceSettings.of(Map.of()).clientConfig().httpClient()).isEqualTo(SqsClientConfig.HttpClient.NETTY);
        assertThatThrownBy(() -> SluiceSettings.of(Map.of("sluice.http-client", "apache")).clientConfig())
                .hasMessage("sluice.http-client must be netty or crt, but was 'apache'");
    }
}
