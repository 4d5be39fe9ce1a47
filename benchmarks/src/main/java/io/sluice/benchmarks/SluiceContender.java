package io.sluice.benchmarks;

import io.sluice.AdaptiveConcurrencyPolicy;
import io.sluice.QueueConfig;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.SqsHandler;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Sluice as an application would use it: an annotated handler taking the bound {@link Order}, a {@link Worker} over
 * {@code SqsTransport.of(client)}. Options: {@code concurrency}, {@code pollers}, {@code flushMs} (delete flush), {@code executor=inline}
 * (diagnostic: handlers on the receiving thread), {@code adaptive=vegas|gradient} (an adaptive concurrency limit, the
 * concurrency its ceiling: {@code vegas} is {@link AdaptiveConcurrencyPolicy#defaults()}), {@code prefetch},
 * {@code maxRate} (maxMessagesPerSecond); anything not given keeps Sluice's default. When the workload calls a
 * simulated downstream the handler returns that call's future. {@link LimitObserver} watches the worker for
 * {@link #details()}.
 */
final class SluiceContender implements Contender {

    static final String QUEUE = "bench";

    private final Map<String, String> options;
    private final LimitObserver observer = new LimitObserver();
    private Worker worker;

    SluiceContender(Map<String, String> options) {
        this.options = options;
    }

    /** The handler: Sluice binds the JSON body to an {@link Order}. */
    public static final class OrderHandler {
        private final Workload workload;

        OrderHandler(Workload workload) {
            this.workload = workload;
        }

        @SqsHandler(queue = QUEUE)
        public void handle(Order order, @MessageId String messageId) {
            workload.handle(order, messageId);
        }
    }

    /** The handler for a workload with a simulated downstream: the call's completion settles the message. */
    public static final class AsyncOrderHandler {
        private final Workload workload;

        AsyncOrderHandler(Workload workload) {
            this.workload = workload;
        }

        @SqsHandler(queue = QUEUE)
        public CompletableFuture<Void> handle(Order order, @MessageId String messageId) {
            return workload.handleAsync(order, messageId);
        }
    }

    @Override
    public void start(SqsAsyncClient client, String queueName, String queueUrl, Workload workload) {
        if (!QUEUE.equals(queueName)) {
            throw new IllegalArgumentException("the Sluice contender's handler consumes '" + QUEUE + "', not " + queueName);
        }
        WorkerConfig.Builder config = WorkerConfig.builder();
        QueueConfig.Builder queue = QueueConfig.builder();
        if (options.containsKey("concurrency")) {
            queue.concurrency(Integer.parseInt(options.get("concurrency")));
        }
        if (options.containsKey("pollers")) {
            queue.pollers(Integer.parseInt(options.get("pollers")));
        }
        if (options.containsKey("adaptive")) {
            queue.adaptiveConcurrency(AdaptiveConcurrencyPolicy.builder()
                    .algorithm(AdaptiveConcurrencyPolicy.Algorithm.parse(options.get("adaptive"))).build());
        }
        if (options.containsKey("prefetch")) {
            queue.prefetch(Integer.parseInt(options.get("prefetch")));
        }
        if (options.containsKey("maxRate")) {
            queue.maxMessagesPerSecond(Double.parseDouble(options.get("maxRate")));
        }
        if (options.containsKey("flushMs")) {
            config.deleteFlushInterval(Duration.ofMillis(Long.parseLong(options.get("flushMs"))));
        }
        config.queue(QUEUE, queue.build()).shutdownTimeout(Duration.ofSeconds(5));
        Worker.Builder builder = Worker.builder()
                .transport(SqsTransport.of(client))
                .config(config.build())
                .listener(observer)
                .handlers(workload.async() ? new AsyncOrderHandler(workload) : new OrderHandler(workload));
        if ("inline".equals(options.get("executor"))) {
            // Diagnostic only: handlers run on the thread that completed the receive (no hand-off to a handler
            // thread), which measures what the per-message hand-off costs. Never safe for blocking handlers.
            builder.executor(Runnable::run);
        }
        worker = builder.build().start();
        observer.watch(worker);
    }

    @Override
    public Map<String, Object> details() {
        return observer.details();
    }

    @Override
    public int pollers() {
        WorkerConfig defaults = WorkerConfig.defaults();
        int concurrency = Contender.intOption(options, "concurrency", defaults.concurrency());
        int fallback = defaults.pollers() > 0 ? defaults.pollers() : Math.max(1, (concurrency + 9) / 10);
        return Math.min(concurrency, Contender.intOption(options, "pollers", fallback));
    }

    @Override
    public void close() {
        observer.close();
        if (worker != null) {
            worker.stop(Duration.ofSeconds(5));
        }
    }
}
