package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.sluice.QueueConfig;
import io.sluice.Worker;
import io.sluice.runtime.Sluice;
import io.sluice.runtime.SluiceSettings;
import io.sluice.transport.SqsTransport;
import java.net.URI;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The handler on its own, wired by {@link OrderProcessingModule}. */
class OrderProcessorTest {

    private final Injector injector = Guice.createInjector(new OrderProcessingModule());
    private final OrderProcessor processor = injector.getInstance(OrderProcessor.class);
    private final OrderLedger ledger = injector.getInstance(OrderLedger.class);

    private static Order order(String id) {
        return new Order(id, List.of(new OrderItem("SKU-MUG", 2)), "cust-7", LocalDateTime.now());
    }

    @Test
    void recordsAProcessedOrder() {
        processor.process(order("ord-1"), "m-1", 1);

        assertThat(ledger.processed()).containsExactly(Map.entry("ord-1", "m-1"));
    }

    @Test
    void rejectsAnOrderWithoutOrderIdNamingTheField() {
        assertThatThrownBy(() -> processor.process(order(null), "m-2", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("order_id")
                .hasMessageContaining("m-2");
        assertThatThrownBy(() -> processor.process(order(" "), "m-3", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("order_id");
        assertThat(ledger.size()).isZero();
    }

    @Test
    void aDuplicateDeliveryIsAcknowledgedWithoutProcessingTheOrderAgain() {
        processor.process(order("ord-1"), "m-1", 1);
        processor.process(order("ord-1"), "m-1-again", 2);

        assertThat(ledger.messageOf("ord-1")).contains("m-1");
        assertThat(ledger.size()).isEqualTo(1);
    }

    @Test
    void sluiceDiscoversTheHandlerAndTheArticlesQueueConfigFromTheModuleAlone() {
        try (SqsAsyncClient client = SqsAsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:1"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .build()) {
            Worker worker = Sluice.worker(injector)
                    .transport(SqsTransport.of(client))
                    .settings(SluiceSettings.of(Map.of()))
                    .build(); // validated, not started: nothing is sent

            // The module binds the payment handler too (PaymentProcessorTest): one worker consumes both queues.
            assertThat(worker.handlers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "order-processing", "OrderProcessor.process",
                    "payments.fifo", "PaymentProcessor.process"));
            assertThat(worker.config().createQueues()).isTrue();
            QueueConfig queue = worker.config().queue("order-processing");
            assertThat(queue.deadLetterQueue()).contains("order-processing-dlq");
            assertThat(queue.maxReceiveCount()).hasValue(3);
        }
    }

    @Test
    void theModuleSharesOneLedgerAndOneProcessor() {
        assertThat(injector.getInstance(OrderProcessor.class)).isSameAs(processor);
        assertThat(injector.getInstance(OrderLedger.class)).isSameAs(ledger);
    }
}
