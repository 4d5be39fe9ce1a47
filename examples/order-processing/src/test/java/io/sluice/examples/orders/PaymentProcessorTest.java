package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.inject.Guice;
import com.google.inject.Injector;
import io.sluice.QueueConfig;
import io.sluice.Worker;
import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.runtime.Sluice;
import io.sluice.runtime.SluiceSettings;
import io.sluice.time.VirtualTime;
import io.sluice.transport.SqsTransport;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The payment handler on its own, wired by {@link OrderProcessingModule}. */
class PaymentProcessorTest {

    private final Injector injector = Guice.createInjector(new OrderProcessingModule());
    private final PaymentProcessor processor = injector.getInstance(PaymentProcessor.class);
    private final PaymentLedger ledger = injector.getInstance(PaymentLedger.class);

    private final Logger log = (Logger) LoggerFactory.getLogger(PaymentProcessor.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        log.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        log.detachAppender(logged);
    }

    private static Payment payment(String customer, String transaction, long sequence) {
        return new Payment(customer, transaction, sequence, new BigDecimal("19.99"), "EUR",
                LocalDateTime.of(2026, 11, 25, 1, 22, 29));
    }

    private List<String> infoLines() {
        return logged.list.stream().filter(event -> event.getLevel() == Level.INFO)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void chargesAPaymentRecordsItAndLogsOneLine() {
        processor.process(payment("cust-7", "txn-1", 1), "m-1", 1);

        assertThat(ledger.entry("txn-1")).hasValueSatisfying(entry -> {
            assertThat(entry.messageId()).isEqualTo("m-1");
            assertThat(entry.payment()).isEqualTo(payment("cust-7", "txn-1", 1));
        });
        assertThat(infoLines()).containsExactly(
                "Processed payment txn-1 for customer cust-7 (sequence 1, 19.99 EUR, message m-1, receive #1)");
    }

    @Test
    void recordsEachCustomersPaymentsInTheOrderTheyWereCharged() {
        processor.process(payment("cust-1", "txn-1", 1), "m-1", 1);
        processor.process(payment("cust-2", "txn-2", 1), "m-2", 1);
        processor.process(payment("cust-1", "txn-3", 2), "m-3", 1);

        assertThat(ledger.processedByCustomer().get("cust-1")).extracting(Payment::transactionId)
                .containsExactly("txn-1", "txn-3");
        assertThat(ledger.orderCheck().inOrder()).isTrue();
    }

    @Test
    void theArticlesBarePaymentIsChargedToo() {
        processor.process(new Payment("cust-9", "txn-9", null, null, null, null), "m-9", 2);

        assertThat(ledger.isProcessed("txn-9")).isTrue();
        assertThat(infoLines()).containsExactly(
                "Processed payment txn-9 for customer cust-9 (sequence none, no amount, message m-9, receive #2)");
    }

    @Test
    void rejectsAPaymentWithoutItsIdsOrWithANegativeAmountNamingTheField() {
        assertThatThrownBy(() -> processor.process(payment("cust-7", null, 1), "m-2", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transaction_id").hasMessageContaining("m-2");
        assertThatThrownBy(() -> processor.process(payment(" ", "txn-3", 1), "m-3", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customer_id").hasMessageContaining("txn-3");
        assertThatThrownBy(() -> processor.process(new Payment("cust-7", "txn-4", 1L, new BigDecimal("-5.00"), "EUR",
                null), "m-4", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount -5.00").hasMessageContaining("txn-4");
        assertThat(ledger.size()).isZero();
    }

    @Test
    void aDuplicateDeliveryIsAcknowledgedWithoutChargingAgain() {
        processor.process(payment("cust-7", "txn-1", 1), "m-1", 1);
        processor.process(payment("cust-7", "txn-1", 1), "m-1-again", 2);

        assertThat(ledger.entry("txn-1")).hasValueSatisfying(entry -> assertThat(entry.messageId()).isEqualTo("m-1"));
        assertThat(ledger.size()).isEqualTo(1);
        assertThat(infoLines()).hasSize(2).last().asString().startsWith("Payment txn-1 was already processed from"
                + " message m-1; skipping duplicate message m-1-again");
    }

    @Test
    void chargesThroughTheSimulatedPaymentServiceSoItsTroubleFailsPaymentsToo() {
        VirtualTime time = new VirtualTime();
        Injector troubled = Guice.createInjector(new OrderProcessingModule(Duration.ZERO,
                new SimulatedTrouble(0, Duration.ofSeconds(30), time.clock(), new Random(1))));
        PaymentProcessor troubledProcessor = troubled.getInstance(PaymentProcessor.class);
        PaymentLedger troubledLedger = troubled.getInstance(PaymentLedger.class);

        assertThatThrownBy(() -> troubledProcessor.process(payment("cust-7", "txn-1", 1), "m-1", 1))
                .isInstanceOf(SimulatedTrouble.DownstreamUnavailableException.class)
                .hasMessageContaining("payment service unavailable");
        assertThat(troubledLedger.size()).as("a failed charge is not recorded: it will be retried").isZero();

        time.advance(Duration.ofSeconds(30));
        troubledProcessor.process(payment("cust-7", "txn-1", 1), "m-1", 2);
        assertThat(troubledLedger.isProcessed("txn-1")).isTrue();
    }

    @Test
    void retriesAFailedChargeMakesAnInvalidPaymentPoisonAndSharesTheOrdersBreaker() throws Exception {
        var handler = PaymentProcessor.class.getMethod("process", Payment.class, String.class, int.class);
        var orders = OrderProcessor.class.getMethod("process", Order.class, String.class, int.class);

        assertThat(handler.getAnnotation(SqsHandler.class).queue()).isEqualTo("payments.fifo");
        Retry retry = handler.getAnnotation(Retry.class);
        assertThat(retry.attempts()).isEqualTo(3);
        assertThat(retry.noRetryOn()).containsExactly(IllegalArgumentException.class);
        // Queues naming one breaker share it, and the first queue's settings win: the two must agree.
        assertThat(handler.getAnnotation(CircuitBreaker.class)).isEqualTo(orders.getAnnotation(CircuitBreaker.class));
        assertThat(handler.getAnnotation(CircuitBreaker.class).name()).isEqualTo("payments");
    }

    @Test
    void oneWorkerConsumesBothQueuesAndCreatesTheFifoQueueWithItsFifoDeadLetterQueue() {
        try (SqsAsyncClient client = SqsAsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:1"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .build()) {
            Worker worker = Sluice.worker(injector)
                    .transport(SqsTransport.of(client))
                    .settings(SluiceSettings.of(Map.of()))
                    .build(); // validated, not started: nothing is sent

            assertThat(worker.handlers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "order-processing", "OrderProcessor.process",
                    "payments.fifo", "PaymentProcessor.process"));
            assertThat(worker.config().createQueues()).isTrue();
            QueueConfig queue = worker.config().queue("payments.fifo");
            assertThat(queue.deadLetterQueue()).contains("payments-dlq.fifo");
            assertThat(queue.maxReceiveCount()).hasValue(3);
        }
    }

    @Test
    void theModuleSharesOneLedgerAndOneProcessor() {
        assertThat(injector.getInstance(PaymentProcessor.class)).isSameAs(processor);
        assertThat(injector.getInstance(PaymentLedger.class)).isSameAs(ledger);
    }
}
