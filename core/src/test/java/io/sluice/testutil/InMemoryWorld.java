package io.sluice.testutil;

import io.sluice.Worker;
import io.sluice.time.VirtualTime;
import io.sluice.transport.memory.InMemorySqs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A worker on {@link InMemorySqs} and {@link VirtualTime}, run on one of several threading set-ups (Caffeine runs one test
 * over a matrix of executors the same way): handlers inline; handlers and the transport's completions queued and run in
 * a seeded random order; both on a real thread pool; both on virtual threads when the JVM has them. {@link #runUntil}
 * lets the work settle, then virtual time run, until a condition holds.
 */
public final class InMemoryWorld implements AutoCloseable {

    /** How handler calls and transport completions are run. */
    public enum Threads {
        /** On the thread that delivers them (as the test kit does). */
        INLINE,
        /** Queued, then run one at a time in a seeded random order: every interleaving is a seed away. */
        SHUFFLED,
        /** A pool of four platform threads (handlers) and two (completions, as the SDK's response threads). */
        POOL,
        /** A virtual thread per task, when the JVM has them. */
        VIRTUAL;

        /** The set-ups this JVM can run. */
        public static List<Threads> available() {
            List<Threads> available = new ArrayList<>(List.of(INLINE, SHUFFLED, POOL));
            if (virtualExecutor() != null) {
                available.add(VIRTUAL);
            }
            return available;
        }
    }

    public final VirtualTime time = new VirtualTime();
    public final RecordingListener events = new RecordingListener();
    public final InMemorySqs sqs;
    private final Threads threads;
    private final ShuffledExecutor shuffled;
    private final TrackingExecutor handlerThreads;
    private final TrackingExecutor completionThreads;
    private final List<Worker> workers = new ArrayList<>();

    public InMemoryWorld(Threads threads, long seed) {
        this.threads = threads;
        this.shuffled = threads == Threads.SHUFFLED ? new ShuffledExecutor(new SplittableRandom(seed)) : null;
        ExecutorService handlerPool = switch (threads) {
            case POOL -> Executors.newFixedThreadPool(4);
            case VIRTUAL -> virtualExecutor();
            default -> null;
        };
        ExecutorService completionPool = switch (threads) {
            case POOL -> Executors.newFixedThreadPool(2);
            case VIRTUAL -> virtualExecutor();
            default -> null;
        };
        this.handlerThreads = handlerPool == null ? null : new TrackingExecutor(handlerPool);
        this.completionThreads = completionPool == null ? null : new TrackingExecutor(completionPool);
        InMemorySqs.Builder builder = InMemorySqs.builder().scheduler(time);
        if (shuffled != null) {
            builder.completionExecutor(shuffled);
        } else if (completionThreads != null) {
            builder.completionExecutor(completionThreads);
        }
        this.sqs = builder.build();
    }

    /** Where handlers run in this set-up. */
    public Executor handlerExecutor() {
        return switch (threads) {
            case INLINE -> Runnable::run;
            case SHUFFLED -> shuffled;
            default -> handlerThreads;
        };
    }

    /** A worker on this world's transport, clock, executor and listener, started. */
    public Worker start(Worker.Builder builder) {
        return start(builder, sqs);
    }

    /** A worker on {@code transport} (this world's transport behind a decorator, say), started. */
    public Worker start(Worker.Builder builder, io.sluice.transport.SqsTransport transport) {
        Worker worker = builder.transport(transport).scheduler(time).executor(handlerExecutor()).listener(events)
                .build();
        workers.add(worker);
        var started = worker.startAsync();
        settle();
        if (started.isCompletedExceptionally()) {
            started.join(); // throws why it could not start
        }
        return worker;
    }

    /** Creates {@code name} with its dead-letter queue and a RedrivePolicy; returns the queue's URL. */
    public String queueWithDeadLetterQueue(String name, String deadLetterQueue, int maxReceiveCount,
            Map<String, String> attributes) {
        Map<String, String> dlqAttributes = name.endsWith(".fifo") ? Map.of("FifoQueue", "true") : Map.of();
        String dlqUrl = join(sqs.createQueue(b -> b.queueName(deadLetterQueue).attributesWithStrings(dlqAttributes)))
                .queueUrl();
        String arn = join(sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNamesWithStrings("QueueArn")))
                .attributesAsStrings().get("QueueArn");
        Map<String, String> all = new java.util.HashMap<>(attributes);
        all.putAll(dlqAttributes);
        all.put("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"" + maxReceiveCount
                + "\"}");
        return join(sqs.createQueue(b -> b.queueName(name).attributesWithStrings(all))).queueUrl();
    }

    /** Sends {@code count} messages {@code {"n":0}}, {@code {"n":1}}, ... to a standard queue (a backlog). */
    public void sendNumbered(String url, int count) {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add("{\"n\":" + i + "}");
        }
        send(url, bodies, null);
    }

    /** Sends {@code bodies} in batches of ten, each with its group (and, on FIFO, its body as deduplication id). */
    public void send(String url, List<String> bodies, List<String> groups) {
        boolean fifo = url.endsWith(".fifo");
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                SensitiveValues.body(bodies.get(i));
                SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder().id("e" + i)
                        .messageBody(bodies.get(i));
                if (groups != null && groups.get(i) != null) {
                    entry.messageGroupId(groups.get(i));
                }
                if (fifo) {
                    entry.messageDeduplicationId(Integer.toHexString(bodies.get(i).hashCode()) + "-" + i);
                }
                entries.add(entry.build());
            }
            var response = join(sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("send failed: " + response.failed());
            }
        }
    }

    /** Waits for {@code future}, running queued work meanwhile (a shuffled transport completes only then). */
    public <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        while (!future.isDone()) {
            settle();
            if (!future.isDone()) {
                Thread.onSpinWait();
            }
        }
        return future.join();
    }

    /** Sends one message with string message attributes; returns its message id. */
    public String send(String url, String body, Map<String, String> attributes) {
        SensitiveValues.body(body);
        Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> values = new java.util.HashMap<>();
        attributes.forEach((name, value) -> values.put(name, software.amazon.awssdk.services.sqs.model
                .MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        var response = join(sqs.sendMessageBatch(b -> b.queueUrl(url).entries(SendMessageBatchRequestEntry.builder()
                .id("one").messageBody(body).messageAttributes(values).build())));
        if (!response.failed().isEmpty()) {
            throw new IllegalStateException("send failed: " + response.failed());
        }
        return response.successful().get(0).messageId();
    }

    /** Runs every task queued or running until none is left (virtual time does not move). */
    public void settle() {
        for (int round = 0; round < 1_000_000; round++) {
            boolean ran = shuffled != null && shuffled.runAll();
            boolean busy = false;
            if (handlerThreads != null) {
                busy |= handlerThreads.awaitQuiet();
            }
            if (completionThreads != null) {
                busy |= completionThreads.awaitQuiet();
            }
            if (!ran && !busy) {
                return;
            }
        }
        throw new AssertionError("the work never settled");
    }

    /**
     * Settles, then advances virtual time by {@code step} at a time, until {@code done} holds or {@code limit} of
     * virtual time passed; returns whether it holds.
     */
    public boolean runUntil(BooleanSupplier done, Duration step, Duration limit) {
        long steps = limit.toNanos() / step.toNanos();
        for (long i = 0; i <= steps; i++) {
            settle();
            if (done.getAsBoolean()) {
                return true;
            }
            time.advance(step);
        }
        settle();
        return done.getAsBoolean();
    }

    @Override
    public void close() {
        for (Worker worker : workers) {
            var stopped = worker.stopAsync(Duration.ofSeconds(5));
            for (int i = 0; i < 100_000 && !stopped.isDone(); i++) {
                settle();
                time.advance(Duration.ofMillis(10));
            }
        }
        sqs.close();
        if (handlerThreads != null) {
            handlerThreads.delegate.shutdownNow();
        }
        if (completionThreads != null) {
            completionThreads.delegate.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return threads.toString();
    }

    private static ExecutorService virtualExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Tasks queued and run on {@link #runAll()} in a random order, one at a time, on the caller's thread. */
    static final class ShuffledExecutor implements Executor {
        private final SplittableRandom random;
        private final List<Runnable> queued = new ArrayList<>();

        ShuffledExecutor(SplittableRandom random) {
            this.random = random;
        }

        @Override
        public synchronized void execute(Runnable task) {
            queued.add(task);
        }

        /** Runs queued tasks (and the ones they queue) until none is left; whether any ran. */
        boolean runAll() {
            boolean ran = false;
            while (true) {
                Runnable next;
                synchronized (this) {
                    if (queued.isEmpty()) {
                        return ran;
                    }
                    next = queued.remove(random.nextInt(queued.size()));
                }
                next.run();
                ran = true;
            }
        }
    }

    /** An executor that knows how many of its tasks are queued or running, and lets a caller wait until none is. */
    static final class TrackingExecutor implements Executor {
        final ExecutorService delegate;
        private int pending;
        private long completed;

        TrackingExecutor(ExecutorService delegate) {
            this.delegate = delegate;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                pending++;
            }
            try {
                delegate.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        synchronized (this) {
                            pending--;
                            completed++;
                            notifyAll();
                        }
                    }
                });
            } catch (RuntimeException e) {
                synchronized (this) {
                    pending--;
                }
                throw e;
            }
        }

        /** Waits (bounded) until no task is queued or running; whether any ran since the last call. */
        synchronized boolean awaitQuiet() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(pending + " task(s) still running after 30 s");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            boolean worked = completed != reported;
            reported = completed;
            return worked;
        }

        private long reported;
    }
}
