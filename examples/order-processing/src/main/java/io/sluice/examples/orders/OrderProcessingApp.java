package io.sluice.examples.orders;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.Worker;
import io.sluice.producer.SqsProducer;
import io.sluice.runtime.Sluice;
import io.sluice.runtime.SluiceSettings;
import io.sluice.runtime.WorkerEndpoints;
import io.sluice.runtime.admin.SluiceAdmin;
import io.sluice.time.Durations;
import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The article's order flow, runnable: places orders on {@value OrderProcessor#QUEUE} and processes them with {@link
 * OrderProcessor}; and its payment flow: places payments on the FIFO queue {@value PaymentProcessor#QUEUE} (group =
 * customer, deduplication id = transaction) and charges them with {@link PaymentProcessor}, one worker consuming both.
 *
 * <p><b>Embedded mode</b> (no SQS endpoint configured anywhere): starts an in-memory ElasticMQ on a free loopback port,
 * has the worker create the queues, places {@code --orders} sample orders and {@code --payments} sample payments (for
 * {@code --customers} customers in turn), waits until every one was processed and deleted (at most {@code --timeout}),
 * stops, prints a summary and exits: 0 when all were processed and every customer's payments in order, 1 otherwise.
 * With {@code --keep-running} it goes on until Ctrl-C instead.
 *
 * <p><b>Worker mode</b> (an endpoint from {@code --endpoint}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL},
 * the system properties {@code aws.endpointUrlSqs} / {@code aws.endpointUrl}, or {@code sluice.endpoint} /
 * {@code SLUICE_ENDPOINT}): consumes that server's two queues (AWS, ElasticMQ, LocalStack), creating them and their
 * DLQs if missing, places orders and payments only when {@code --orders} / {@code --payments} is given, and runs until
 * SIGTERM or Ctrl-C. Region and credentials come from the AWS SDK's standard chain (or {@code sluice.region}, {@code
 * sluice.access-key-id}, ...).
 *
 * <p>In worker mode, and in embedded mode with {@code --keep-running}, the worker serves {@code GET /metrics}
 * (Prometheus), {@code /health/live} and {@code /health/ready} on {@code sluice.http.host}:{@code sluice.http.port}
 * (127.0.0.1:8080 by default; port 0 picks a free one; {@code sluice.http.enabled=false} turns them off).
 *
 * <p>Exit status: 0 success; 1 not every order or payment was processed in time, or a customer's payments were
 * processed out of order; 2 a startup or configuration error, printed as one line.
 */
@Command(name = "order-processing", mixinStandardHelpOptions = true, version = "Sluice order-processing example",
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "The e-commerce order flow of the article as a Sluice worker, with its FIFO payment flow.",
            "Without a configured SQS endpoint it runs on an embedded ElasticMQ: places --orders sample orders"
                    + " (and --payments sample payments), processes them, prints a summary and exits.",
            "With an endpoint (--endpoint, AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL) it consumes that server's"
                    + " '" + OrderProcessor.QUEUE + "' and '" + PaymentProcessor.QUEUE + "' queues until stopped"
                    + " (SIGTERM / Ctrl-C);"
                    + " region and credentials come from the AWS SDK chain, e.g. for a local server"
                    + " AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {
            "0:success",
            "1:not every order or payment was processed within --timeout, or a customer's payments were processed"
                    + " out of order",
            "2:startup or configuration error"})
public final class OrderProcessingApp implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_INCOMPLETE = 1;
    static final int EXIT_STARTUP = 2;
    static final int DEFAULT_ORDERS = 25;
    static final int DEFAULT_CUSTOMERS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(OrderProcessingApp.class);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    /** While orders and payments are both outstanding, the wait for an order's event looks at the payments this often. */
    private static final Duration BOTH_FLOWS_WAIT = Duration.ofMillis(50);
    private static final Duration SQS_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Orders generated and placed at a time, so a large {@code --orders} does not build every order up front. */
    private static final int PLACE_CHUNK = 1_000;

    @Option(names = "--orders", paramLabel = "N",
            description = "Sample orders to place. Embedded mode: default " + DEFAULT_ORDERS
                    + ". Worker mode: none unless given.")
    Integer orders;

    @Option(names = "--payments", paramLabel = "N",
            description = "Sample payments to place on '" + PaymentProcessor.QUEUE + "', for --customers customers in"
                    + " turn, each customer's numbered 1, 2, 3... (default: none).")
    Integer payments;

    @Option(names = "--customers", paramLabel = "N", defaultValue = "" + DEFAULT_CUSTOMERS,
            description = "How many customers the --payments are for (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Embedded mode: how long to wait for every order and payment to be processed (default:"
                    + " ${DEFAULT-VALUE})."
                    + " Forms: 500ms, 30s, 5m, PT1M.")
    Duration timeout;

    @Option(names = "--keep-running",
            description = "Embedded mode: keep the server and worker running after the orders, until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "SQS endpoint to consume, e.g. http://localhost:9324 (worker mode). Overrides"
                    + " AWS_ENDPOINT_URL_SQS.")
    String endpoint;

    @Option(names = "--latency", paramLabel = "DURATION", defaultValue = "0ms",
            converter = DurationConverter.class,
            description = "Simulated latency of each downstream call (inventory, payment, shipping, e-mail)"
                    + " (env ORDERS_LATENCY; default: ${DEFAULT-VALUE}).")
    Duration latency;

    @Option(names = "--failure-rate", paramLabel = "FRACTION", defaultValue = "0",
            description = "Fraction (0..1) of payment service calls (orders' charges and payments) that fail, to watch"
                    + " retries (env ORDERS_FAILURE_RATE; default: ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(names = "--outage", paramLabel = "DURATION", defaultValue = "0s",
            converter = DurationConverter.class,
            description = "The payment service is down for this long from launch, to watch the circuit breaker open"
                    + " and close (env ORDERS_OUTAGE; default: ${DEFAULT-VALUE}).")
    Duration outage;

    @Option(names = "--outage-start", paramLabel = "INSTANT",
            description = "When the --outage begins, as an ISO-8601 instant (2026-11-30T12:00:00Z), instead of at"
                    + " launch: one outage for several worker processes (env ORDERS_OUTAGE_START).")
    Instant outageStart;

    @Option(names = "--journal", paramLabel = "FILE",
            description = "Append one line per message handled, deleted, dead-lettered or failed to delete to FILE,"
                    + " written before the delete is sent, so that a run whose workers are killed can be audited"
                    + " (env ORDERS_JOURNAL).")
    Path journal;

    @Option(names = "--poison", paramLabel = "N", defaultValue = "0",
            description = "Embedded mode: also place N poison messages (not an order, or no order_id), to watch them"
                    + " reach the DLQ with their reason (env ORDERS_POISON; default: ${DEFAULT-VALUE}).")
    int poison;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;
    private final Properties systemProperties;
    private final SluiceSettings settings;
    private final boolean installShutdownHook;
    private PrintWriter err;
    private RandomGenerator random = new java.util.Random();

    private final Object lifecycle = new Object();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final OrderStats stats = new OrderStats(OrderProcessor.QUEUE);
    private final OrderStats paymentStats = new OrderStats(PaymentProcessor.QUEUE);
    private volatile Injector injector;
    private EmbeddedElasticMq server;
    private SqsTransport transport;
    /** Places the orders, payments and poison messages, on the worker's transport. */
    private SqsProducer producer;
    private Worker worker;
    /** The worker's {@code /metrics} and {@code /health/*} (worker mode, and embedded mode with --keep-running). */
    private WorkerEndpoints endpoints;
    private OrderJournal orderJournal;
    private Thread shutdownHook;
    private boolean shutDown;
    private long startedNanos;
    private volatile long processingStartedNanos;
    private volatile long processingEndedNanos;
    /** When 99 % of the orders placed in embedded mode were processed (the rest may wait out a redelivery back-off). */
    private volatile long mostProcessedNanos;
    private volatile int mostProcessedCount;
    private volatile int produced;
    private volatile QueueDepth remaining;
    private volatile QueueDepth remainingPayments;
    private volatile int paymentsProduced;
    /** Whether each customer's payments were processed in order, checked when the worker stopped. */
    private volatile PaymentOrderCheck paymentOrder;
    private SimulatedTrouble trouble = SimulatedTrouble.none();

    /** An app reading the process's environment, system properties and {@code sluice.*} settings. */
    public OrderProcessingApp() {
        this(System.getenv(), System.getProperties(), SluiceSettings.fromEnvironment(), true);
    }

    /** An app with the given environment, for tests: no shutdown hook, nothing read from the process. */
    OrderProcessingApp(Map<String, String> environment, Properties systemProperties, SluiceSettings settings) {
        this(environment, systemProperties, settings, false);
    }

    private OrderProcessingApp(Map<String, String> environment, Properties systemProperties, SluiceSettings settings,
            boolean installShutdownHook) {
        this.environment = Map.copyOf(environment);
        this.systemProperties = systemProperties;
        this.settings = settings;
        this.installShutdownHook = installShutdownHook;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the app with the process's environment and returns its exit status (never calls {@code System.exit});
     * {@code admin ...} runs Sluice's admin CLI ({@link SluiceAdmin}) on the same SQS settings instead.
     */
    public static int run(String... args) {
        OptionalInt admin = SluiceAdmin.runIfCommand(args);
        return admin.isPresent() ? admin.getAsInt() : new OrderProcessingApp().execute(args);
    }

    /** Parses {@code args} and runs; returns the exit status. */
    int execute(String... args) {
        CommandLine commandLine = new CommandLine(this);
        if (err != null) {
            commandLine.setErr(err);
        }
        return commandLine.execute(args);
    }

    /** Where usage and startup errors are printed instead of standard error (tests). */
    OrderProcessingApp errorsTo(PrintWriter err) {
        this.err = err;
        return this;
    }

    /** Where the simulated failures are drawn from (tests pin it); shared by the handler threads, so thread-safe. */
    OrderProcessingApp random(RandomGenerator random) {
        this.random = random;
        return this;
    }

    /** What the worker did so far on {@value OrderProcessor#QUEUE}. */
    OrderStats stats() {
        return stats;
    }

    /** What the worker did so far on {@value PaymentProcessor#QUEUE}. */
    OrderStats paymentStats() {
        return paymentStats;
    }

    /** Whether every customer's payments were processed in order, once the worker stopped. */
    Optional<PaymentOrderCheck> paymentOrder() {
        return Optional.ofNullable(paymentOrder);
    }

    /** Whether the worker has started and not stopped. */
    boolean workerRunning() {
        synchronized (lifecycle) {
            return worker != null && worker.isRunning();
        }
    }

    /** The messages left in the queue after the worker stopped, in embedded mode. */
    Optional<QueueDepth> remaining() {
        return Optional.ofNullable(remaining);
    }

    /** The messages left in {@value PaymentProcessor#QUEUE} after the worker stopped, in embedded mode. */
    Optional<QueueDepth> remainingPayments() {
        return Optional.ofNullable(remainingPayments);
    }

    /** The app's injector once the worker is built: tests read the {@link OrderLedger} from it. */
    Optional<Injector> injector() {
        return Optional.ofNullable(injector);
    }

    @Override
    public Integer call() {
        startedNanos = System.nanoTime();
        try {
            applyEnvironmentDefaults();
        } catch (IllegalArgumentException e) {
            return startupError(e.getMessage(), null);
        }
        if (orders != null && orders < 0) {
            return startupError("--orders must be 0 or more, but was " + orders, null);
        }
        if (payments != null && payments < 0) {
            return startupError("--payments must be 0 or more, but was " + payments, null);
        }
        if (customers < 1) {
            return startupError("--customers must be 1 or more, but was " + customers, null);
        }
        if (latency.isNegative() || timeout.isNegative() || outage.isNegative()) {
            return startupError("--latency, --outage and --timeout must not be negative", null);
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            return startupError("--failure-rate must be between 0 and 1, but was " + failureRate, null);
        }
        if (poison < 0) {
            return startupError("--poison must be 0 or more, but was " + poison, null);
        }
        trouble = new SimulatedTrouble(failureRate, outageStart, outage, java.time.Clock.systemUTC(), random);
        if (failureRate > 0 || !outage.isZero()) {
            LOG.info("Simulated payment trouble: {}", trouble);
        }
        try {
            // Fail on a bad sluice.* setting before starting anything; the worker applies them again when it starts.
            settings.applyTo(OrderProcessingModule.workerConfig(), OrderProcessingModule.queues());
        } catch (IllegalArgumentException e) {
            return startupError(e);
        }
        installHook();
        try {
            Optional<ConfiguredEndpoint> configured = configuredEndpoint();
            return configured.isPresent() ? workerMode(configured.get()) : embeddedMode();
        } finally {
            shutdown(); // already done on every path but an unexpected exception; idempotent
        }
    }

    // ------------------------------------------------------------------------------------------------ embedded mode

    private int embeddedMode() {
        int count = orders != null ? orders : DEFAULT_ORDERS;
        List<String> messageIds;
        List<String> poisonIds;
        List<String> paymentIds;
        try {
            LOG.info("No SQS endpoint configured: starting an embedded ElasticMQ");
            EmbeddedElasticMq started = EmbeddedElasticMq.start();
            synchronized (lifecycle) {
                server = started;
            }
            LOG.info("Embedded ElasticMQ listening on {}", started.endpoint());
            startWorker(SqsClientConfig.builder()
                    .endpoint(started.endpoint())
                    .region(EmbeddedElasticMq.REGION)
                    .credentials(EmbeddedElasticMq.ACCESS_KEY_ID, EmbeddedElasticMq.SECRET_ACCESS_KEY)
                    .build(), keepRunning);
            messageIds = placeOrders(count);
            poisonIds = placePoison(poison);
            paymentIds = placePayments(payments != null ? payments : 0);
        } catch (RuntimeException e) {
            return startupError(e);
        }
        if (keepRunning) {
            LOG.info("Running until Ctrl-C (--keep-running). Place more orders (or payments) from Python with:"
                    + " AWS_ENDPOINT_URL_SQS={} AWS_REGION={} AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={}"
                    + " /usr/bin/python3 place_orders.py 10 (place_payments.py 10)",
                    server.endpoint(), EmbeddedElasticMq.REGION, EmbeddedElasticMq.ACCESS_KEY_ID,
                    EmbeddedElasticMq.SECRET_ACCESS_KEY);
            awaitClosed();
            return EXIT_OK;
        }
        boolean complete = awaitProcessed(messageIds, poisonIds, paymentIds);
        shutdown();
        boolean inOrder = paymentOrder == null || paymentOrder.inOrder();
        return complete && inOrder ? EXIT_OK : EXIT_INCOMPLETE;
    }

    /**
     * Waits until every one of {@code messageIds} and {@code paymentIds} was deleted after processing and every one of
     * {@code poisonIds} dead-lettered, logging progress each second.
     */
    private boolean awaitProcessed(List<String> messageIds, List<String> poisonIds, List<String> paymentIds) {
        int total = messageIds.size();
        int paymentTotal = paymentIds.size();
        String ofPayments = paymentTotal == 0 ? "" : " and " + paymentTotal + " payments";
        long deadline = System.nanoTime() + timeout.toNanos();
        int reported = -1;
        long nextReport = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
        try {
            while (true) {
                long seen = stats.version();
                long paymentsSeen = paymentStats.version();
                int done = stats.deletedOf(messageIds);
                int paymentsDone = paymentStats.deletedOf(paymentIds);
                if (mostProcessedNanos == 0 && total > 0 && done >= Math.ceil(total * 0.99)) {
                    mostProcessedCount = done;
                    mostProcessedNanos = System.nanoTime();
                }
                boolean ordersPending = done < total || stats.deadLetteredOf(poisonIds) < poisonIds.size();
                boolean paymentsPending = paymentsDone < paymentTotal;
                if (!ordersPending && !paymentsPending) {
                    markProcessingEnded();
                    LOG.info("All {} orders{} processed and deleted{}", total, ofPayments, poisonIds.isEmpty() ? ""
                            : ", and the " + poisonIds.size() + " poison message(s) dead-lettered");
                    return true;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    LOG.warn("Only {} of {} orders{} were processed and deleted within {}", done, total,
                            paymentTotal == 0 ? "" : " and " + paymentsDone + " of " + paymentTotal + " payments",
                            Durations.format(timeout));
                    return false;
                }
                if (now - nextReport >= 0) {
                    if (done + paymentsDone != reported) {
                        LOG.info("Progress: {}/{} orders{} processed and deleted ({} handler failure(s))", done,
                                total, paymentTotal == 0 ? "" : " and " + paymentsDone + "/" + paymentTotal
                                        + " payments", stats.failed() + paymentStats.failed());
                        reported = done + paymentsDone;
                    }
                    nextReport = now + PROGRESS_INTERVAL.toNanos();
                }
                Duration wait = Duration.ofNanos(Math.min(deadline - now, nextReport - now));
                if (ordersPending && paymentsPending) {
                    // Both flows still running: wake at least every 50 ms to look at the payments too.
                    stats.awaitChange(seen, wait.compareTo(BOTH_FLOWS_WAIT) < 0 ? wait : BOTH_FLOWS_WAIT);
                } else if (paymentsPending) {
                    paymentStats.awaitChange(paymentsSeen, wait);
                } else {
                    stats.awaitChange(seen, wait);
                }
                if (isShutDown()) {
                    LOG.warn("Stopped while waiting: {} of {} orders{} processed and deleted",
                            stats.deletedOf(messageIds), total, paymentTotal == 0 ? "" : " and "
                                    + paymentStats.deletedOf(paymentIds) + " of " + paymentTotal + " payments");
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // -------------------------------------------------------------------------------------------------- worker mode

    private int workerMode(ConfiguredEndpoint configured) {
        try {
            LOG.info("Worker mode: SQS endpoint {} (from {})", configured.url(), configured.source());
            SqsClientConfig clientConfig;
            try {
                clientConfig = workerClientConfig();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad SQS client setting: " + e.getMessage(), e);
            }
            startWorker(clientConfig, true);
            if (orders != null) {
                placeOrders(orders);
            }
            if (payments != null) {
                placePayments(payments);
            }
        } catch (RuntimeException e) {
            return startupError(e);
        }
        LOG.info("Running until SIGTERM or Ctrl-C");
        awaitClosed();
        return EXIT_OK;
    }

    /**
     * The client of worker mode: {@code --endpoint} or {@code sluice.endpoint} when given (else the SDK resolves
     * {@code AWS_ENDPOINT_URL_SQS} itself), and whatever {@code sluice.*} says about region and credentials (else the
     * SDK's chain).
     */
    private SqsClientConfig workerClientConfig() {
        return settings.with(java.util.Collections.singletonMap("sluice.endpoint", endpoint)).clientConfig();
    }

    // ------------------------------------------------------------------------------------------------------- common

    /**
     * Starts the worker on a client of {@code clientConfig}, with its meters in a Prometheus registry; {@code serve}
     * also serves them and its health on {@code sluice.http.*} (127.0.0.1:8080 by default; off with {@code
     * sluice.http.enabled=false}).
     */
    private void startWorker(SqsClientConfig clientConfig, boolean serve) {
        LOG.info("SQS client: {}", clientConfig);
        Optional<InetSocketAddress> address = serve ? settings.httpAddress() : Optional.empty();
        SqsTransport created = SqsTransport.create(clientConfig); // no region: one line naming the settings
        SqsProducer sender = SqsProducer.create(created); // one client for the worker and the producer
        synchronized (lifecycle) {
            transport = created;
            producer = sender;
        }
        Injector orderInjector = Guice.createInjector(Stage.PRODUCTION, new OrderProcessingModule(latency, trouble));
        injector = orderInjector;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Sluice.Launcher launcher = Sluice.worker(orderInjector)
                .transport(created)
                .settings(settings)
                .listener(stats)
                .listener(paymentStats)
                .meterRegistry(registry);
        if (journal != null) {
            OrderJournal opened = new OrderJournal(journal);
            synchronized (lifecycle) {
                orderJournal = opened;
            }
            launcher.listener(opened);
        }
        Worker started = launcher.start();
        boolean stopNow;
        synchronized (lifecycle) {
            worker = started;
            stopNow = shutDown;
        }
        if (stopNow) {
            started.stop(); // stopped (Ctrl-C) while starting: do not leave this worker running
            throw new IllegalStateException("stopped while starting");
        }
        if (address.isPresent()) {
            WorkerEndpoints serving = WorkerEndpoints.start(started, registry, address.get());
            synchronized (lifecycle) {
                endpoints = serving;
            }
        }
    }

    /** The port of the worker's HTTP endpoints, once they serve. */
    OptionalInt endpointsPort() {
        synchronized (lifecycle) {
            return endpoints == null ? OptionalInt.empty() : OptionalInt.of(endpoints.port());
        }
    }

    private List<String> placeOrders(int count) {
        processingStartedNanos = System.nanoTime();
        if (count == 0) {
            return List.of();
        }
        OrderProducer orderProducer = new OrderProducer(producer, OrderProcessor.QUEUE);
        long started = System.nanoTime();
        SampleOrders samples = SampleOrders.newRun();
        List<String> messageIds = new ArrayList<>(count);
        for (int from = 0; from < count; from += PLACE_CHUNK) {
            messageIds.addAll(orderProducer.place(samples.next(Math.min(PLACE_CHUNK, count - from))));
        }
        produced = messageIds.size();
        LOG.info("Placed {} order(s) on queue '{}' in {} ms", count, OrderProcessor.QUEUE,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return messageIds;
    }

    /**
     * Places {@code count} poison messages: alternately a body that is not JSON and an order without order_id; returns
     * their message ids.
     */
    private List<String> placePoison(int count) {
        if (count == 0) {
            return List.of();
        }
        List<String> messageIds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String body = i % 2 == 0 ? "this is not an order #" + i : "{\"customer\": \"poison-" + i + "\", \"items\": []}";
            messageIds.add(producer.send(OrderProcessor.QUEUE, body).messageId());
        }
        LOG.info("Placed {} poison message(s) on queue '{}'; watch them reach '{}' with their reason", count,
                OrderProcessor.QUEUE, OrderProcessor.DEAD_LETTER_QUEUE);
        return messageIds;
    }

    /**
     * Places {@code count} sample payments on {@value PaymentProcessor#QUEUE} for {@code --customers} customers in
     * turn, as the article's {@code send_payment_request} does; returns their message ids.
     */
    private List<String> placePayments(int count) {
        if (count == 0) {
            return List.of();
        }
        if (processingStartedNanos == 0) {
            processingStartedNanos = System.nanoTime();
        }
        PaymentProducer paymentProducer = new PaymentProducer(producer, PaymentProcessor.QUEUE);
        long started = System.nanoTime();
        SamplePayments samples = SamplePayments.newRun(customers);
        List<String> messageIds = new ArrayList<>(count);
        for (int from = 0; from < count; from += PLACE_CHUNK) {
            messageIds.addAll(paymentProducer.place(samples.next(Math.min(PLACE_CHUNK, count - from))));
        }
        paymentsProduced = messageIds.size();
        int forCustomers = Math.min(count, customers);
        LOG.info("Placed {} payment(s) for {} customer(s) ({} .. {}) on queue '{}' in {} ms", count, forCustomers,
                samples.customer(1), samples.customer(forCustomers), PaymentProcessor.QUEUE,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return messageIds;
    }

    private void installHook() {
        if (!installShutdownHook) {
            return;
        }
        Thread hook = new Thread(() -> {
            LOG.info("Stop requested: stopping the worker gracefully");
            shutdown();
            // A JVM ended by SIGTERM exits 143 whatever its hooks do; after a clean stop, say so with 0.
            Runtime.getRuntime().halt(EXIT_OK);
        }, "order-processing-shutdown");
        synchronized (lifecycle) {
            shutdownHook = hook;
        }
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Stops the worker gracefully, then closes the producer, the client and the embedded server, and logs the summary.
     * Idempotent; called on SIGTERM / Ctrl-C by the shutdown hook, and at the end of a run.
     */
    void shutdown() {
        EmbeddedElasticMq serverToStop;
        SqsTransport transportToClose;
        SqsProducer producerToClose;
        Worker workerToStop;
        WorkerEndpoints endpointsToClose;
        OrderJournal journalToClose;
        synchronized (lifecycle) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            serverToStop = server;
            transportToClose = transport;
            producerToClose = producer;
            workerToStop = worker;
            endpointsToClose = endpoints;
            journalToClose = orderJournal;
        }
        try {
            if (workerToStop != null) {
                workerToStop.stop();
                markProcessingEnded();
                if (serverToStop != null) {
                    remaining = queueDepth(transportToClose, OrderProcessor.QUEUE);
                    remainingPayments = queueDepth(transportToClose, PaymentProcessor.QUEUE);
                }
                logSummary();
            }
            if (endpointsToClose != null) {
                endpointsToClose.close(); // after the stop: probes saw the worker go down
            }
            if (journalToClose != null) {
                journalToClose.close();
            }
            if (producerToClose != null) {
                producerToClose.close();
            }
            if (transportToClose != null) {
                transportToClose.close();
            }
            if (serverToStop != null) {
                serverToStop.close();
                LOG.info("Embedded ElasticMQ stopped");
            }
        } catch (RuntimeException e) {
            LOG.warn("Shutting down: {}", e.toString());
        } finally {
            removeHook();
            closed.countDown();
        }
    }

    private boolean isShutDown() {
        synchronized (lifecycle) {
            return shutDown;
        }
    }

    private void removeHook() {
        Thread hook;
        synchronized (lifecycle) {
            hook = shutdownHook;
            shutdownHook = null;
        }
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook is running or has run.
            }
        }
    }

    private void awaitClosed() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void markProcessingEnded() {
        if (processingEndedNanos == 0) {
            processingEndedNanos = System.nanoTime();
        }
    }

    /**
     * One line: what was produced and what the worker did. Elapsed is from the first order placed (or the worker's
     * start) to the last one processed (or the stop); the whole run, server start included, is shown apart.
     */
    private void logSummary() {
        long from = processingStartedNanos != 0 ? processingStartedNanos : startedNanos;
        double seconds = Math.max((processingEndedNanos - from) / 1e9, 1e-9);
        double total = (System.nanoTime() - startedNanos) / 1e9;
        String most = "";
        if (mostProcessedNanos != 0) {
            // A message that failed every call of a delivery waits out its redelivery back-off (seconds): the last
            // orders of a drain can trail the rest by that much. The rate of the first 99 % shows the processing rate.
            double mostSeconds = Math.max((mostProcessedNanos - from) / 1e9, 1e-9);
            most = ", 99 % of them at " + String.format(Locale.ROOT, "%.1f", mostProcessedCount / mostSeconds)
                    + " orders/s";
        }
        LOG.info("Summary: orders produced {}, processed {}, deleted {}, failed {}, retried {}, dead-lettered {};"
                        + " elapsed {} s, throughput {} orders/s{} (whole run {} s){}", produced, stats.handled(),
                stats.deleted(), stats.failed(), stats.retried(), stats.deadLettered(),
                String.format(Locale.ROOT, "%.2f", seconds),
                String.format(Locale.ROOT, "%.1f", stats.deleted() / seconds), most,
                String.format(Locale.ROOT, "%.2f", total),
                remaining == null ? "" : "; left in queue '" + OrderProcessor.QUEUE + "': " + remaining);
        logPaymentSummary();
    }

    /**
     * The payments' line, when there were any: what the worker did with them, and whether each customer's payments
     * were processed in order ({@code Payments: 40 processed for 5 customers, in order for every customer; ...}).
     */
    private void logPaymentSummary() {
        Injector current = injector;
        if (current == null) {
            return;
        }
        PaymentOrderCheck check = current.getInstance(PaymentLedger.class).orderCheck();
        paymentOrder = check;
        if (paymentsProduced == 0 && check.processed() == 0 && paymentStats.failed() == 0
                && paymentStats.deadLettered() == 0) {
            return;
        }
        String line = "Payments: " + check + "; produced " + paymentsProduced + ", deleted " + paymentStats.deleted()
                + ", failed " + paymentStats.failed() + ", retried " + paymentStats.retried() + ", dead-lettered "
                + paymentStats.deadLettered()
                + (remainingPayments == null ? "" : "; left in queue '" + PaymentProcessor.QUEUE + "': "
                        + remainingPayments);
        if (check.inOrder()) {
            LOG.info("{}", line);
        } else {
            LOG.warn("{}", line);
        }
    }

    /** Messages left in a queue: visible, in flight (received, not deleted), delayed. */
    record QueueDepth(int visible, int inFlight, int delayed) {
        int total() {
            return visible + inFlight + delayed;
        }

        @Override
        public String toString() {
            return total() + " (" + visible + " visible, " + inFlight + " in flight, " + delayed + " delayed)";
        }
    }

    private static QueueDepth queueDepth(SqsTransport sqs, String queue) {
        try {
            String url = sqs.getQueueUrl(GetQueueUrlRequest.builder().queueName(queue).build())
                    .get(SQS_CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS).queueUrl();
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(GetQueueAttributesRequest.builder()
                            .queueUrl(url)
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)
                            .build())
                    .get(SQS_CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS).attributes();
            return new QueueDepth(
                    Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
                    Integer.parseInt(attributes.getOrDefault(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")),
                    Integer.parseInt(attributes.getOrDefault(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("Cannot read the depth of queue '{}': {}", queue, e.toString());
            return null;
        }
    }

    private int startupError(RuntimeException e) {
        return startupError(describe(e), e);
    }

    private int startupError(String message, Throwable cause) {
        PrintWriter out = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        out.println("order-processing: cannot start: " + message.replaceAll("\\s*\\R\\s*", " "));
        out.flush();
        if (cause != null) {
            LOG.debug("Startup failure", cause);
        }
        shutdown();
        return EXIT_STARTUP;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message;
    }

    // ------------------------------------------------------------------------------------------- endpoint detection

    /** Where an endpoint was configured. */
    record ConfiguredEndpoint(String url, String source) {
    }

    /** The endpoint configured for the AWS SDK or Sluice, in the order the SDK itself would use them, if any. */
    Optional<ConfiguredEndpoint> configuredEndpoint() {
        if (endpoint != null && !endpoint.isBlank()) {
            return Optional.of(new ConfiguredEndpoint(endpoint.trim(), "--endpoint"));
        }
        String sluiceEndpoint = settings.get("sluice.endpoint");
        if (sluiceEndpoint != null) {
            return Optional.of(new ConfiguredEndpoint(sluiceEndpoint, "sluice.endpoint / SLUICE_ENDPOINT"));
        }
        for (String property : List.of("aws.endpointUrlSqs", "aws.endpointUrl")) {
            String value = systemProperties.getProperty(property);
            if (value != null && !value.isBlank()) {
                return Optional.of(new ConfiguredEndpoint(value.trim(), "system property " + property));
            }
        }
        for (String variable : List.of("AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL")) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return Optional.of(new ConfiguredEndpoint(value.trim(), variable));
            }
        }
        return Optional.empty();
    }

    /**
     * The knobs' environment variables, read from this app's environment (not the process's, in tests), for each option
     * not given on the command line: the command line wins.
     */
    void applyEnvironmentDefaults() {
        if (spec == null) {
            return;
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        DurationConverter durations = new DurationConverter();
        latency = fromEnvironment(given, "--latency", "ORDERS_LATENCY", latency, durations::convert);
        failureRate = fromEnvironment(given, "--failure-rate", "ORDERS_FAILURE_RATE", failureRate,
                value -> Double.parseDouble(value));
        outage = fromEnvironment(given, "--outage", "ORDERS_OUTAGE", outage, durations::convert);
        outageStart = fromEnvironment(given, "--outage-start", "ORDERS_OUTAGE_START", outageStart, Instant::parse);
        journal = fromEnvironment(given, "--journal", "ORDERS_JOURNAL", journal, Path::of);
        poison = fromEnvironment(given, "--poison", "ORDERS_POISON", poison, value -> Integer.parseInt(value));
    }

    private <T> T fromEnvironment(CommandLine.ParseResult given, String option, String variable, T current,
            java.util.function.Function<String, T> parse) {
        String value = environment.get(variable);
        if (value == null || value.isBlank() || (given != null && given.hasMatchedOption(option))) {
            return current;
        }
        try {
            return parse.apply(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(variable + " (for " + option + ") is not valid: '" + value.trim() + "'"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    /** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, a bare number of seconds, or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return SluiceSettings.parseDuration("duration", value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a duration; use forms such as 500ms, 30s, 5m or PT1M");
            }
        }
    }
}
