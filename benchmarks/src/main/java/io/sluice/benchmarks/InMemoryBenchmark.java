package io.sluice.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.WorkerEvent;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.WorkerListener;
import io.sluice.annotations.SqsHandler;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Issue #3 item 6 and issue #4's figure: throughput with no network at all, in this JVM, on the system clock.
 *
 * <ol>
 *   <li>{@code transport}: {@link InMemorySqs} alone, one thread, send → receive → delete in batches of 10 (a message
 *   counts once it has been sent, received and deleted).</li>
 *   <li>{@code worker}: the Sluice worker with its default settings draining a backlog on {@link InMemorySqs} (handler
 *   binds the JSON order and counts it), against a raw loop on the same transport (receive 10, parse, delete batch)
 *   with as many loops as Sluice has pollers: the framework's own overhead.</li>
 * </ol>
 *
 * {@code java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.InMemoryBenchmark [messages] [rounds]}
 * (defaults 200000 and 5). Rounds alternate the contenders; medians are reported.
 */
public final class InMemoryBenchmark {

    private static final String QUEUE = "bench";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("In-memory benchmark: %,d messages, %d rounds, Java %s, %d cores%n", messages, rounds,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        transportOnly(Math.min(messages, 20_000)); // warm-up
        List<Double> transport = new ArrayList<>();
        List<Double> sluice = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        workerDrain(Math.min(messages, 20_000));
        rawDrain(Math.min(messages, 20_000), defaultPollers());
        for (int round = 1; round <= rounds; round++) {
            transport.add(transportOnly(messages));
            sluice.add(workerDrain(messages));
            raw.add(rawDrain(messages, defaultPollers()));
            System.out.printf("round %d: transport %,.0f msg/s; worker %,.0f msg/s; raw loop %,.0f msg/s%n", round,
                    transport.get(round - 1), sluice.get(round - 1), raw.get(round - 1));
        }
        System.out.println();
        System.out.println("| measure | min | median | max |");
        System.out.println("|---|---|---|---|");
        row("InMemorySqs send → receive → delete, batches of 10 (msg/s)", transport);
        row("Sluice worker, default settings, on InMemorySqs (msg/s)", sluice);
        row("raw loop × " + defaultPollers() + " on InMemorySqs (msg/s)", raw);
        System.out.printf("ratio of medians Sluice / raw: %.2f%n", median(sluice) / median(raw));
    }

    private static int defaultPollers() {
        WorkerConfig defaults = WorkerConfig.defaults();
        return Math.max(1, (defaults.concurrency() + 9) / 10);
    }

    /** One thread: send 10, receive 10, delete 10, until {@code messages} went through. */
    static double transportOnly(int messages) {
        try (InMemorySqs sqs = InMemorySqs.builder().build()) {
            String url = sqs.createQueue(b -> b.queueName(QUEUE)).join().queueUrl();
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>(10);
            for (int i = 0; i < 10; i++) {
                batch.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(Order.json(i)).build());
            }
            long start = System.nanoTime();
            int done = 0;
            while (done < messages) {
                sqs.sendMessageBatch(b -> b.queueUrl(url).entries(batch)).join();
                List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).join()
                        .messages();
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(received.size());
                for (int i = 0; i < received.size(); i++) {
                    deletes.add(DeleteMessageBatchRequestEntry.builder().id("d" + i)
                            .receiptHandle(received.get(i).receiptHandle()).build());
                }
                sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes)).join();
                done += received.size();
            }
            return done / seconds(start);
        }
    }

    /** The handler of the worker contender: binds the order and counts it. */
    public static final class CountingHandler {
        final AtomicLong count = new AtomicLong();

        @SqsHandler(queue = QUEUE)
        public void handle(Order order) {
            if (order.orderId() != null) {
                count.incrementAndGet();
            }
        }
    }

    static double workerDrain(int messages) throws InterruptedException {
        try (InMemorySqs sqs = InMemorySqs.builder().build()) {
            seed(sqs, messages);
            CountDownLatch deleted = new CountDownLatch(messages);
            Worker worker = Worker.builder().transport(sqs).handlers(new CountingHandler())
                    .listener(WorkerListener.on(WorkerEvent.Deleted.class, done -> deleted.countDown()))
                    .build();
            long start = System.nanoTime();
            worker.start();
            if (!deleted.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(deleted.getCount() + " messages not deleted within 5 minutes");
            }
            double rate = messages / seconds(start);
            worker.stop(Duration.ofSeconds(10));
            return rate;
        }
    }

    /** {@code loops} threads, each: receive 10, parse each body, delete the batch; until the queue is drained. */
    static double rawDrain(int messages, int loops) throws InterruptedException {
        try (InMemorySqs sqs = InMemorySqs.builder().build()) {
            String url = seed(sqs, messages);
            AtomicLong remaining = new AtomicLong(messages);
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < loops; t++) {
                Thread thread = new Thread(() -> {
                    while (remaining.get() > 0) {
                        List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                                .waitTimeSeconds(1)).join().messages();
                        if (received.isEmpty()) {
                            continue;
                        }
                        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(received.size());
                        for (int i = 0; i < received.size(); i++) {
                            try {
                                MAPPER.readValue(received.get(i).body(), Order.class);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            deletes.add(DeleteMessageBatchRequestEntry.builder().id("d" + i)
                                    .receiptHandle(received.get(i).receiptHandle()).build());
                        }
                        sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes)).join();
                        remaining.addAndGet(-received.size());
                    }
                }, "raw-loop-" + t);
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            return messages / seconds(start);
        }
    }

    private static String seed(SqsTransport sqs, int messages) {
        String url = sqs.createQueue(b -> b.queueName(QUEUE)).join().queueUrl();
        for (int from = 0; from < messages; from += 10) {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>(10);
            for (int i = from; i < Math.min(messages, from + 10); i++) {
                batch.add(SendMessageBatchRequestEntry.builder().id("e" + (i - from)).messageBody(Order.json(i)).build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(batch)).join();
        }
        return url;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void row(String name, List<Double> values) {
        System.out.printf("| %s | %,.0f | %,.0f | %,.0f |%n", name, Collections.min(values), median(values),
                Collections.max(values));
    }
}
