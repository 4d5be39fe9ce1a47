package io.sluice.internal.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    private static final Function<String, Optional<String>> VALUES = key -> Optional.ofNullable(Map.of(
            "orders.queue", "orders-prod", "account", "123456789012", "stage", "dev", "blank", "").get(key));

    private static String resolve(String text) {
        return Placeholders.resolve(text, VALUES, "OrderProcessor.handle");
    }

    @Test
    void textWithoutPlaceholdersIsReturnedUnchanged() {
        assertThat(resolve("orders")).isEqualTo("orders");
        assertThat(resolve("https://sqs.eu-west-1.amazonaws.com/123456789012/orders")).isSameAs(
                "https://sqs.eu-west-1.amazonaws.com/123456789012/orders");
        assertThat(resolve("orders$")).isEqualTo("orders$");
        assertThat(resolve(null)).isNull();
    }

    @Test
    void replacesEveryPlaceholderInPlace() {
        assertThat(resolve("${orders.queue}")).isEqualTo("orders-prod");
        assertThat(resolve("orders-${stage}.fifo")).isEqualTo("orders-dev.fifo");
        assertThat(resolve("https://sqs.eu-west-1.amazonaws.com/${account}/${orders.queue}"))
                .isEqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/orders-prod");
    }

    @Test
    void aDefaultStandsInForAMissingOrEmptyValue() {
        assertThat(resolve("${payments.queue:payments}")).isEqualTo("payments");
        assertThat(resolve("${queue.prefix:}orders")).as("an empty default").isEqualTo("orders");
        assertThat(resolve("${blank:orders}")).as("an empty value counts as none").isEqualTo("orders");
        assertThat(resolve("${orders.queue:orders}")).as("a value wins").isEqualTo("orders-prod");
        assertThat(resolve("${url:http://localhost:9324/000000000000/orders}")).as("up to the closing brace")
                .isEqualTo("http://localhost:9324/000000000000/orders");
    }

    @Test
    void aValueIsUsedAsItIs() {
        assertThat(Placeholders.resolve("${a}", key -> Optional.of("${b}"), "X.y")).isEqualTo("${b}");
    }

    @Test
    void aKeyWithoutValueFailsNamingTheUserTheTextTheKeyAndWhereToSetIt() {
        assertThatThrownBy(() -> resolve("${payments.queue}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("OrderProcessor.handle: no value for key 'payments.queue' in '${payments.queue}'; set the"
                        + " system property payments.queue or the environment variable PAYMENTS_QUEUE, or give a"
                        + " default: ${payments.queue:value}");
        assertThatThrownBy(() -> resolve("${blank}")).hasMessageContaining("no value for key 'blank'");
    }

    @Test
    void aMalformedPlaceholderFailsNamingTheText() {
        assertThatThrownBy(() -> resolve("${orders.queue")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("OrderProcessor.handle: '${' is not closed by '}' in '${orders.queue'");
        assertThatThrownBy(() -> resolve("${a:${b}}"))
                .hasMessage("OrderProcessor.handle: a placeholder cannot hold another in '${a:${b}}'");
        assertThatThrownBy(() -> resolve("${}")).hasMessageContaining("'' is not a placeholder key in '${}'");
        assertThatThrownBy(() -> resolve("${orders queue}"))
                .hasMessageContaining("'orders queue' is not a placeholder key");
    }

    @Test
    void theStandardLookupReadsThePropertyThenTheEnvironmentVariable() {
        Map<String, String> properties = Map.of("orders.queue", "from-property", "empty.key", "");
        Map<String, String> environment = Map.of("ORDERS_QUEUE", "from-env", "PAYMENTS_QUEUE", "payments-env",
                "EMPTY_KEY", "empty-env", "SLUICE_NAMES_SHIPPING", "shipping-env");
        Function<String, Optional<String>> lookup = Placeholders.lookup(properties::get, environment::get);

        assertThat(lookup.apply("orders.queue")).hasValue("from-property");
        assertThat(lookup.apply("payments-queue")).as("'-' and '.' become '_'").hasValue("payments-env");
        assertThat(lookup.apply("empty.key")).as("an empty property counts as none").hasValue("empty-env");
        assertThat(lookup.apply("sluice.names.shipping")).hasValue("shipping-env");
        assertThat(lookup.apply("nothing")).isEmpty();
    }

    @Test
    void theSystemLookupReadsSystemProperties() {
        String key = "sluice-placeholders-test." + System.nanoTime();
        System.setProperty(key, "orders-test");
        try {
            assertThat(Placeholders.systemLookup().apply(key)).hasValue("orders-test");
        } finally {
            System.clearProperty(key);
        }
        assertThat(Placeholders.systemLookup().apply(key)).isEmpty();
    }

    @Test
    void environmentVariableNames() {
        assertThat(Placeholders.environmentVariable("orders.queue")).isEqualTo("ORDERS_QUEUE");
        assertThat(Placeholders.environmentVariable("sluice.queues.order-processing.concurrency"))
                .isEqualTo("SLUICE_QUEUES_ORDER_PROCESSING_CONCURRENCY");
    }
}
