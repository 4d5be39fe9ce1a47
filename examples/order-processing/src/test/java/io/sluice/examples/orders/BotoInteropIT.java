package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.sluice.Worker;
import io.sluice.producer.SqsProducer;
import io.sluice.runtime.Sluice;
import io.sluice.runtime.SluiceSettings;
import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The article's Python code and this example talk through a real queue server, both ways: boto3's {@code
 * place_orders.py} feeds the Sluice worker, and {@link OrderProducer} feeds the article's consumer loop in {@code
 * process_orders.py}; and the article's {@code send_payment_request} ({@code place_payments.py}) fills the FIFO queue
 * the worker then drains, customer by customer in order. Needs {@code /usr/bin/python3} with boto3; skipped without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BotoInteropIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

    private final Path scripts = Path.of(System.getProperty("basedir", ".")).resolve("src/main/python")
            .toAbsolutePath();
    private EmbeddedElasticMq server;
    private SqsTransport transport;

    @BeforeAll
    void startServer() throws Exception {
        Assumptions.assumeTrue(botoAvailable(), "/usr/bin/python3 with boto3 is needed for the Python interop"
                + " checks; install it with: apt-get install -y python3-boto3");
        server = EmbeddedElasticMq.start();
        transport = SqsTransport.create(SqsClientConfig.builder()
                .endpoint(server.endpoint())
                .region(EmbeddedElasticMq.REGION)
                .credentials(EmbeddedElasticMq.ACCESS_KEY_ID, EmbeddedElasticMq.SECRET_ACCESS_KEY)
                .build());
    }

    @AfterAll
    void stopServer() {
        if (transport != null) {
            transport.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void ordersPlacedByTheArticlesBoto3ProducerAreProcessedAndDeletedByTheSluiceWorker() throws Exception {
        Injector injector = Guice.createInjector(new OrderProcessingModule());
        OrderStats stats = new OrderStats();
        Worker worker = Sluice.worker(injector)
                .transport(transport)
                .settings(SluiceSettings.of(Map.of()))
                .listener(stats)
                .start();
        try {
            String prefix = "py-it-" + UUID.randomUUID().toString().substring(0, 8);
            ScriptRun run = runScript(Map.of(), "place_orders.py", "15", "--prefix", prefix);

            assertThat(run.exitCode()).as("place_orders.py output:%n%s", run.output()).isZero();
            List<String> placed = run.matches(Pattern.compile("^placed (\\S+): Order received", Pattern.MULTILINE));
            assertThat(placed).hasSize(15).allSatisfy(id -> assertThat(id).startsWith(prefix));

            OrderLedger ledger = injector.getInstance(OrderLedger.class);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(ledger.processed()).containsKeys(placed.toArray(String[]::new));
                assertThat(placed).allSatisfy(orderId -> assertThat(stats.wasDeleted(ledger.messageOf(orderId)
                        .orElseThrow())).as("message of order %s deleted", orderId).isTrue());
            });
            assertThat(stats.failed()).as("no order failed to bind or process").isZero();
        } finally {
            worker.stop();
        }
    }

    @Test
    void ordersPlacedByTheSluiceProducerAreConsumedByTheArticlesPythonLoop() throws Exception {
        String queue = "orders-for-python";
        String url = transport.createQueue(CreateQueueRequest.builder().queueName(queue).build())
                .get(30, TimeUnit.SECONDS).queueUrl();
        List<Order> orders = SampleOrders.generate(12);
        try (SqsProducer producer = SqsProducer.create(transport)) {
            assertThat(new OrderProducer(producer, queue).place(orders)).hasSize(12).doesNotHaveDuplicates();
        }

        ScriptRun run = runScript(Map.of("ORDER_QUEUE", queue), "process_orders.py", "--expect", "12",
                "--max-polls", "30", "--wait", "1");

        assertThat(run.exitCode()).as("process_orders.py output:%n%s", run.output()).isZero();
        assertThat(run.output()).as("process_orders.py output").doesNotContain("Order processing failed")
                .contains("processed 12 orders");
        Pattern line = Pattern.compile("^processed (\\S+) customer=(\\S+) items=(\\d+) same_bytes=(\\w+)$",
                Pattern.MULTILINE);
        List<String> processed = run.matches(line);
        assertThat(processed).containsExactlyInAnyOrderElementsOf(
                orders.stream().map(Order::orderId).collect(Collectors.toList()));
        Matcher matcher = line.matcher(run.output());
        Map<String, Order> byId = orders.stream().collect(Collectors.toMap(Order::orderId, order -> order));
        while (matcher.find()) {
            Order order = byId.get(matcher.group(1));
            assertThat(matcher.group(2)).isEqualTo(order.customer());
            assertThat(Integer.parseInt(matcher.group(3))).isEqualTo(order.items().size());
            assertThat(matcher.group(4)).as("json.dumps(json.loads(body)) == body for %s", order.orderId())
                    .isEqualTo("True");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(transport.getQueueAttributes(
                        GetQueueAttributesRequest.builder().queueUrl(url)
                                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                                .build())
                .get(30, TimeUnit.SECONDS).attributes())
                .as("the Python consumer deleted every message")
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    /**
     * The article's FIFO flow end to end: its boto3 {@code send_payment_request} fills {@code payments.fifo} (created
     * beforehand with its FIFO DLQ after 3 receives, as the article configures it) with 8 payments for each of 5
     * customers before any worker runs. Then the Sluice worker starts, with a payment service that fails 20 % of its
     * calls, so failures land in the middle of customers' sequences. Every payment is processed and deleted once, and
     * each customer's payments are processed in the order they were sent: what the FIFO queue promises, and what the
     * worker must keep through retries and redeliveries.
     */
    @Test
    void paymentsPlacedByTheArticlesBoto3ProducerBeforeTheWorkerStartsAreProcessedInOrderForEveryCustomer()
            throws Exception {
        try (EmbeddedElasticMq fifoServer = EmbeddedElasticMq.start();
                SqsTransport sqs = SqsTransport.create(SqsClientConfig.builder()
                        .endpoint(fifoServer.endpoint())
                        .region(EmbeddedElasticMq.REGION)
                        .credentials(EmbeddedElasticMq.ACCESS_KEY_ID, EmbeddedElasticMq.SECRET_ACCESS_KEY)
                        .build())) {
            // The article's queues: a FIFO queue whose RedrivePolicy sends a message to a FIFO DLQ after 3 receives.
            String dlqUrl = sqs.createQueue(CreateQueueRequest.builder().queueName(PaymentProcessor.DEAD_LETTER_QUEUE)
                    .attributesWithStrings(Map.of("FifoQueue", "true")).build()).get(30, TimeUnit.SECONDS).queueUrl();
            String dlqArn = sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(dlqUrl)
                            .attributeNames(QueueAttributeName.QUEUE_ARN).build())
                    .get(30, TimeUnit.SECONDS).attributes().get(QueueAttributeName.QUEUE_ARN);
            String url = sqs.createQueue(CreateQueueRequest.builder().queueName(PaymentProcessor.QUEUE)
                    .attributesWithStrings(Map.of("FifoQueue", "true", "RedrivePolicy",
                            "{\"deadLetterTargetArn\": \"" + dlqArn + "\", \"maxReceiveCount\": 3}"))
                    .build()).get(30, TimeUnit.SECONDS).queueUrl();

            String prefix = "pyfifo-" + UUID.randomUUID().toString().substring(0, 8);
            ScriptRun run = runScript(fifoServer.endpoint(), Map.of(), "place_payments.py", "40", "--customers", "5",
                    "--prefix", prefix);

            assertThat(run.exitCode()).as("place_payments.py output:%n%s", run.output()).isZero();
            Matcher placedLine = Pattern.compile("^placed (\\S+) for (\\S+) sequence (\\d+)$", Pattern.MULTILINE)
                    .matcher(run.output());
            Map<String, String> customerOf = new HashMap<>();
            Map<String, Long> sequenceOf = new HashMap<>();
            while (placedLine.find()) {
                customerOf.put(placedLine.group(1), placedLine.group(2));
                sequenceOf.put(placedLine.group(1), Long.parseLong(placedLine.group(3)));
            }
            assertThat(customerOf).hasSize(40);
            assertThat(new HashSet<>(customerOf.values())).hasSize(5);
            assertThat(sqs.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(url)
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).build())
                    .get(30, TimeUnit.SECONDS).attributes())
                    .as("all 40 wait in the queue before the worker starts")
                    .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "40");

            // 20 % of the payment calls fail. Pinned so that a failure is certain: this seed's first draw (0.067)
            // fails, and it goes to the first call of some payment (the first of a customer's 8, or a later one:
            // either way not the customer's last). 40 payments make about 50 calls, fewer than the 'payments'
            // breaker's window of 110 calls, so the breaker cannot open: this case is about order through retries.
            Injector injector = Guice.createInjector(new OrderProcessingModule(Duration.ZERO, new SimulatedTrouble(0.2,
                    Duration.ZERO, Clock.systemUTC(), new java.util.Random(4988))));
            OrderStats stats = new OrderStats(PaymentProcessor.QUEUE);
            Worker worker = Sluice.worker(injector)
                    .transport(sqs)
                    .settings(SluiceSettings.of(Map.of()))
                    .listener(stats)
                    .start();
            PaymentLedger ledger = injector.getInstance(PaymentLedger.class);
            try {
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    assertThat(ledger.size()).isEqualTo(40);
                    assertThat(customerOf.keySet()).allSatisfy(transactionId -> assertThat(stats.wasDeleted(
                            ledger.entry(transactionId).orElseThrow().messageId()))
                            .as("message of payment %s deleted", transactionId).isTrue());
                });
            } finally {
                worker.stop();
            }

            Map<String, List<Payment>> byCustomer = ledger.processedByCustomer();
            assertThat(byCustomer).containsOnlyKeys(new HashSet<>(customerOf.values()));
            byCustomer.values().stream().flatMap(List::stream).forEach(payment -> {
                assertThat(payment.customerId()).isEqualTo(customerOf.get(payment.transactionId()));
                assertThat(payment.sequence()).isEqualTo(sequenceOf.get(payment.transactionId()));
                assertThat(payment.amount()).as("amount of %s", payment.transactionId()).isPositive();
                assertThat(payment.currency()).isIn("EUR", "USD", "GBP");
                assertThat(payment.timestamp()).isNotNull();
            });
            assertThat(stats.deadLettered()).as("nothing dead-lettered").isZero();
            assertThat(stats.retried()).as("failed charges were retried").isPositive();
            List<Payment> failedPayments = stats.failedMessageIds().stream()
                    .map(messageId -> ledger.paymentFrom(messageId).orElseThrow()).toList();
            assertThat(failedPayments).as("payments whose charge failed at least once")
                    .anySatisfy(payment -> assertThat(payment.sequence()).as("a failure before the customer's last")
                            .isLessThan(8L));

            PaymentOrderCheck order = ledger.orderCheck();
            assertThat(order.inOrder()).as("each customer's payments processed in the order sent: %s; failed: %s",
                    order, failedPayments.stream().map(Payment::transactionId).sorted().toList()).isTrue();
        }
    }

    /** What a script printed (standard output and error together) and how it exited. */
    record ScriptRun(int exitCode, String output) {
        List<String> matches(Pattern pattern) {
            List<String> found = new ArrayList<>();
            Matcher matcher = pattern.matcher(output);
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
            return found;
        }
    }

    /** Runs a script of src/main/python against the embedded server, as a user would with the documented variables. */
    private ScriptRun runScript(Map<String, String> extraEnvironment, String script, String... args)
            throws IOException, InterruptedException {
        return runScript(server.endpoint(), extraEnvironment, script, args);
    }

    /** Runs a script of src/main/python against the server at {@code endpoint}. */
    private ScriptRun runScript(URI endpoint, Map<String, String> extraEnvironment, String script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), scripts.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_") && !name.equals("AWS_CA_BUNDLE"));
        environment.put("AWS_ENDPOINT_URL_SQS", endpoint.toString());
        environment.put("AWS_REGION", EmbeddedElasticMq.REGION);
        environment.put("AWS_ACCESS_KEY_ID", EmbeddedElasticMq.ACCESS_KEY_ID);
        environment.put("AWS_SECRET_ACCESS_KEY", EmbeddedElasticMq.SECRET_ACCESS_KEY);
        // An inherited HTTP(S)_PROXY must not route the calls to the local server through a proxy.
        environment.put("NO_PROXY", "127.0.0.1,localhost");
        environment.put("no_proxy", "127.0.0.1,localhost");
        environment.putAll(extraEnvironment);
        return run(builder);
    }

    private static ScriptRun run(ProcessBuilder builder) throws IOException, InterruptedException {
        Path output = Files.createTempFile("sluice-python-", ".log");
        try {
            Process process = builder.redirectOutput(output.toFile()).start();
            if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new ScriptRun(-1, Files.readString(output, StandardCharsets.UTF_8)
                        + "\n[killed after " + SCRIPT_TIMEOUT.toSeconds() + " s]");
            }
            return new ScriptRun(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean botoAvailable() throws InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            return run(new ProcessBuilder(PYTHON.toString(), "-c", "import boto3").redirectErrorStream(true))
                    .exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
