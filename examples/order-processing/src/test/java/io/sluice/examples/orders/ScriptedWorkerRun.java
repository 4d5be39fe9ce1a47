package io.sluice.examples.orders;

import com.google.inject.Guice;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.Redelivery;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.examples.orders.RecordingTransport.Call;
import io.sluice.micrometer.SluiceMetrics;
import io.sluice.runtime.Sluice;
import io.sluice.runtime.SluiceSettings;
import io.sluice.testutil.FaultyTransport;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import io.sluice.testutil.VirtualStop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The example's two queues driven through every outcome a worker has, on the in-memory transport and virtual time,
 * configured as a container's environment configures it. On {@value OrderProcessor#QUEUE}: a message handled at once,
 * one handled after an in-process retry, one whose every call fails (redelivered after a back-off, then dead-lettered
 * as exhausted), one that cannot be bound (dead-lettered as poison), one received before its {@code sluice.deliver-at}
 * (sent again with a delay, then handled); on {@value PaymentProcessor#QUEUE}: one handled, one exhausted; one receive
 * that fails; and a stop while a message waits for its in-process retry (it is released). It records the SQS requests
 * made, and the Prometheus text of the worker's meters as the worker main serves them, and with histograms on.
 */
final class ScriptedWorkerRun {

    private static final int HANDLED = 4;
    private static final int DEAD_LETTERED = 3;

    /**
     * @param calls            every kind of SQS request the worker made
     * @param scrape           {@code /metrics} of a worker main: the default meters
     * @param histogramScrape  the same meters with {@code histograms(true)} (timers' {@code _bucket} series)
     */
    record Result(Set<Call> calls, String scrape, String histogramScrape) {

        PrometheusText metrics() {
            return PrometheusText.parse(scrape);
        }

        PrometheusText histogramMetrics() {
            return PrometheusText.parse(histogramScrape);
        }
    }

    private static Result everyOutcome;

    /** A body's script: {@code ok}; {@code flaky}, whose first call fails; {@code bad}, whose every call fails. */
    record Job(String outcome) {
    }

    /** Handlers of the example's queues that do what each message's body says. */
    static final class Scripted {
        private final Map<String, Integer> calls = new ConcurrentHashMap<>();

        @SqsHandler(queue = OrderProcessor.QUEUE)
        @Retry(attempts = 2, delayMillis = 100)
        @Redelivery(maxAttempts = 2, backoffSeconds = 3, maxBackoffSeconds = 3)
        @CircuitBreaker(name = "scripted")
        public void order(Job job, @MessageId String messageId) {
            act(job, messageId);
        }

        @SqsHandler(queue = PaymentProcessor.QUEUE)
        @Retry(attempts = 2, delayMillis = 100)
        @Redelivery(maxAttempts = 2, backoffSeconds = 3, maxBackoffSeconds = 3)
        public void payment(Job job, @MessageId String messageId) {
            act(job, messageId);
        }

        private void act(Job job, String messageId) {
            int call = calls.merge(messageId, 1, Integer::sum);
            if (job.outcome().equals("bad") || job.outcome().equals("flaky") && call == 1) {
                throw new IllegalStateException(job.outcome() + " failed, call " + call);
            }
        }
    }

    private ScriptedWorkerRun() {
    }

    /** The script with the example's own configuration, run once for the tests that only read its meters. */
    static synchronized Result everyOutcome() {
        if (everyOutcome == null) {
            everyOutcome = run(Map.of());
        }
        return everyOutcome;
    }

    /**
     * Runs the script with the Sluice settings of {@code environment} (a container's), the worker built by the
     * launcher as the worker main and the example build it: its meters bound to a Prometheus registry with the {@code
     * sluice.metrics.*} settings.
     */
    static Result run(Map<String, String> environment) {
        SluiceSettings settings = OpsFiles.settings(environment);
        WorkerConfig config = settings.applyTo(OrderProcessingModule.workerConfig(), OrderProcessingModule.queues());
        try (InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 11)) {
            if (!config.createQueues()) { // made beforehand, as infrastructure code would
                world.queueWithDeadLetterQueue(OrderProcessor.QUEUE, OrderProcessor.DEAD_LETTER_QUEUE,
                        OrderProcessor.MAX_RECEIVE_COUNT, Map.of("VisibilityTimeout", "30"));
                world.queueWithDeadLetterQueue(PaymentProcessor.QUEUE, PaymentProcessor.DEAD_LETTER_QUEUE,
                        PaymentProcessor.MAX_RECEIVE_COUNT, Map.of("VisibilityTimeout", "30"));
            }
            FaultyTransport faulty = new FaultyTransport(world.sqs);
            faulty.failReceives.set(1);
            Set<Call> calls = ConcurrentHashMap.newKeySet();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Worker worker = Sluice.worker(Guice.createInjector(binder -> {
                        binder.bind(Scripted.class).toInstance(new Scripted());
                        binder.bind(WorkerConfig.class).toInstance(OrderProcessingModule.workerConfig());
                    }))
                    .transport(RecordingTransport.of(faulty, calls)).scheduler(world.time)
                    .executor(world.handlerExecutor()).listener(world.events).settings(settings)
                    .meterRegistry(registry)
                    .build();
            PrometheusMeterRegistry histograms = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            SluiceSettings.of(Map.of("sluice.metrics.histograms", "true", "sluice.metrics.depth-interval", "0"))
                    .applyTo(SluiceMetrics.builder(worker)).build().bindTo(histograms);
            world.join(worker.startAsync());

            String orders = url(world, OrderProcessor.QUEUE);
            for (String outcome : List.of("ok", "flaky", "bad")) {
                world.send(orders, "{\"outcome\": \"" + outcome + "\"}", Map.of());
            }
            world.send(orders, "not a job", Map.of());
            world.send(orders, "{\"outcome\": \"ok\"}",
                    Map.of("sluice.deliver-at", world.time.now().plus(Duration.ofMinutes(5)).toString()));
            world.send(url(world, PaymentProcessor.QUEUE), List.of("{\"outcome\": \"ok\"}", "{\"outcome\": \"bad\"}"),
                    List.of("customer-1", "customer-2"));
            boolean done = world.runUntil(() -> world.events.deleted.size() == HANDLED
                            && world.events.deadLettered.size() == DEAD_LETTERED,
                    Duration.ofMillis(100), Duration.ofMinutes(10));
            if (!done) {
                throw new AssertionError("the script did not finish: deleted " + world.events.deleted
                        + ", dead-lettered " + world.events.deadLettered);
            }
            world.runUntil(() -> false, Duration.ofSeconds(1), Duration.ofSeconds(61)); // a depth sample after it

            String waiting = world.send(orders, "{\"outcome\": \"flaky\"}", Map.of());
            world.runUntil(() -> world.events.failed.contains(waiting), Duration.ofMillis(10), Duration.ofSeconds(30));
            VirtualStop.stop(worker, world.time, config.shutdownTimeout()); // releases it before its retry
            return new Result(Set.copyOf(calls), registry.scrape(), histograms.scrape());
        }
    }

    private static String url(InMemoryWorld world, String queue) {
        return world.join(world.sqs.getQueueUrl(b -> b.queueName(queue))).queueUrl();
    }
}
