package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runtime.SluiceSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Command-line handling and how the app chooses its mode, without starting anything. */
class OrderProcessingAppTest {

    private final StringWriter errors = new StringWriter();

    private OrderProcessingApp app(Map<String, String> environment, Properties properties, Map<String, String> settings,
            String... args) {
        OrderProcessingApp app = new OrderProcessingApp(environment, properties, SluiceSettings.of(settings))
                .errorsTo(new PrintWriter(errors, true));
        new CommandLine(app).parseArgs(args);
        return app;
    }

    private static Optional<String> sourceOf(OrderProcessingApp app) {
        return app.configuredEndpoint().map(OrderProcessingApp.ConfiguredEndpoint::source);
    }

    @Test
    void noEndpointAnywhereMeansEmbeddedMode() {
        assertThat(app(Map.of("AWS_REGION", "us-east-1"), new Properties(), Map.of()).configuredEndpoint()).isEmpty();
    }

    @Test
    void theSdksEnvironmentVariablesSelectWorkerMode() {
        assertThat(sourceOf(app(Map.of("AWS_ENDPOINT_URL", "http://b:2"), new Properties(), Map.of())))
                .contains("AWS_ENDPOINT_URL");
        OrderProcessingApp app = app(Map.of("AWS_ENDPOINT_URL", "http://b:2", "AWS_ENDPOINT_URL_SQS", "http://a:1"),
                new Properties(), Map.of());
        assertThat(app.configuredEndpoint()).contains(
                new OrderProcessingApp.ConfiguredEndpoint("http://a:1", "AWS_ENDPOINT_URL_SQS"));
    }

    @Test
    void systemPropertiesSluiceSettingsAndTheFlagWinInThatOrder() {
        Properties properties = new Properties();
        properties.setProperty("aws.endpointUrl", "http://p:1");
        Map<String, String> environment = Map.of("AWS_ENDPOINT_URL_SQS", "http://e:1");
        assertThat(sourceOf(app(environment, properties, Map.of()))).contains("system property aws.endpointUrl");
        properties.setProperty("aws.endpointUrlSqs", "http://p:2");
        assertThat(sourceOf(app(environment, properties, Map.of()))).contains("system property aws.endpointUrlSqs");
        assertThat(sourceOf(app(environment, properties, Map.of("sluice.endpoint", "http://s:1"))))
                .contains("sluice.endpoint / SLUICE_ENDPOINT");
        assertThat(app(environment, properties, Map.of("sluice.endpoint", "http://s:1"), "--endpoint", "http://f:1")
                .configuredEndpoint()).contains(new OrderProcessingApp.ConfiguredEndpoint("http://f:1", "--endpoint"));
    }

    @Test
    void defaults() {
        OrderProcessingApp app = app(Map.of(), new Properties(), Map.of());

        assertThat(app.orders).as("--orders is unset unless given").isNull();
        assertThat(app.timeout).isEqualTo(Duration.ofSeconds(60));
        assertThat(app.latency).isZero();
        assertThat(app.failureRate).isZero();
        assertThat(app.outage).isZero();
        assertThat(app.poison).isZero();
        assertThat(app.keepRunning).isFalse();
    }

    @Test
    void troubleKnobsComeFromTheAppsEnvironmentUnlessGivenOnTheCommandLine() {
        OrderProcessingApp app = app(Map.of("ORDERS_FAILURE_RATE", "0.3", "ORDERS_OUTAGE", "20s",
                "ORDERS_LATENCY", "50ms", "ORDERS_POISON", "2"), new Properties(), Map.of(), "--poison", "5");

        app.applyEnvironmentDefaults();

        assertThat(app.failureRate).isEqualTo(0.3);
        assertThat(app.outage).isEqualTo(Duration.ofSeconds(20));
        assertThat(app.latency).isEqualTo(Duration.ofMillis(50));
        assertThat(app.poison).as("the command line wins").isEqualTo(5);
    }

    @Test
    void aBadTroubleKnobInTheEnvironmentIsAStartupErrorNamingTheVariable() {
        OrderProcessingApp app = new OrderProcessingApp(Map.of("ORDERS_OUTAGE", "soon"), new Properties(),
                SluiceSettings.of(Map.of())).errorsTo(new PrintWriter(errors, true));

        assertThat(app.execute()).isEqualTo(2);
        assertThat(errors.toString()).contains("ORDERS_OUTAGE (for --outage) is not valid: 'soon'");
    }

    @Test
    void durationsReadAsOnTheCommandLine() {
        OrderProcessingApp.DurationConverter converter = new OrderProcessingApp.DurationConverter();

        assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(converter.convert("15")).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void badArgumentsExitWithTwo() {
        OrderProcessingApp app = new OrderProcessingApp(Map.of(), new Properties(), SluiceSettings.of(Map.of()))
                .errorsTo(new PrintWriter(errors, true));

        assertThat(app.execute("--timeout", "soon")).isEqualTo(2);
        assertThat(errors.toString()).contains("'soon' is not a duration");
    }

    @Test
    void negativeOrdersAreAStartupError() {
        OrderProcessingApp app = new OrderProcessingApp(Map.of(), new Properties(), SluiceSettings.of(Map.of()))
                .errorsTo(new PrintWriter(errors, true));

        assertThat(app.execute("--orders", "-1")).isEqualTo(2);
        assertThat(errors.toString()).isEqualTo("order-processing: cannot start: --orders must be 0 or more, but was -1"
                + System.lineSeparator());
    }

    @Test
    void paymentDefaults() {
        OrderProcessingApp app = app(Map.of(), new Properties(), Map.of());

        assertThat(app.payments).as("--payments is unset unless given: no payments").isNull();
        assertThat(app.customers).isEqualTo(5);
    }

    @Test
    void negativePaymentsOrNoCustomersAreStartupErrors() {
        OrderProcessingApp app = new OrderProcessingApp(Map.of(), new Properties(), SluiceSettings.of(Map.of()))
                .errorsTo(new PrintWriter(errors, true));
        assertThat(app.execute("--payments", "-3")).isEqualTo(2);

        OrderProcessingApp other = new OrderProcessingApp(Map.of(), new Properties(), SluiceSettings.of(Map.of()))
                .errorsTo(new PrintWriter(errors, true));
        assertThat(other.execute("--payments", "10", "--customers", "0")).isEqualTo(2);

        assertThat(errors.toString()).isEqualTo("order-processing: cannot start: --payments must be 0 or more, but was"
                + " -3" + System.lineSeparator() + "order-processing: cannot start: --customers must be 1 or more,"
                + " but was 0" + System.lineSeparator());
    }

    @Test
    void aSettingOfThePaymentsQueueIsKnown() {
        OrderProcessingApp app = new OrderProcessingApp(Map.of(), new Properties(), SluiceSettings.of(Map.of(
                "sluice.queues.payments.fifo.concurrency", "-1"))).errorsTo(new PrintWriter(errors, true));

        assertThat(app.execute()).isEqualTo(2);
        assertThat(errors.toString()).as("a bad value of a known key, not an unknown key")
                .contains("sluice.queues.payments.fifo.concurrency").doesNotContain("unknown Sluice setting");
    }

    @Test
    void adminRunsSluicesAdminCliOnTheSameSettings() {
        assertThat(OrderProcessingApp.run("admin", "--help")).isZero();
        assertThat(OrderProcessingApp.run("admin", "no-such-command")).isEqualTo(2);
    }
}
