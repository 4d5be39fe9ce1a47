package io.sluice.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Counts the SQS requests a consumer makes, by action, as an SDK {@link ExecutionInterceptor} on the consumer's own
 * client: every HTTP attempt counts (retries are billed too). The measurement window opens when the first
 * ReceiveMessage is transmitted (so queue-URL lookups at startup are not counted), or at {@link #open()}, and closes
 * when the deleted-message count reaches the target, at which moment the counts, the time and the process CPU time are
 * frozen.
 */
final class RequestCounter implements ExecutionInterceptor {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder emptyReceives = new LongAdder();
    private final LongAdder receivedMessages = new LongAdder();
    private final LongAdder deleted = new LongAdder();
    private final LongAdder requestedMessages = new LongAdder();

    /** Sum of MaxNumberOfMessages over the receives sent. */
    long requestedMessages() {
        return requestedMessages.sum();
    }
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Window> firstReceive = new CompletableFuture<>();
    private final CompletableFuture<Snapshot> warm = new CompletableFuture<>();
    private final AtomicBoolean warmOpened = new AtomicBoolean();
    private volatile long warmupDeletes;
    private final CompletableFuture<Snapshot> done = new CompletableFuture<>();
    private volatile long target = Long.MAX_VALUE;

    /** The point where counting starts. */
    record Window(long nanos, long cpuNanos) {
    }

    /** Everything counted up to the close of the window. */
    record Snapshot(long nanos, long cpuNanos, Map<String, Long> requests, long emptyReceives, long receivedMessages,
            long deleted) {
    }

    /** The warm window opens once this many messages were deleted (0: it is the whole window). */
    void warmAfter(long deletes) {
        this.warmupDeletes = deletes;
    }

    /** The counts when the warm window opened. */
    CompletableFuture<Snapshot> warm() {
        return warm;
    }

    void closeWhenDeleted(long target) {
        this.target = target;
        checkTarget();
    }

    CompletableFuture<Window> firstReceive() {
        return firstReceive;
    }

    CompletableFuture<Snapshot> done() {
        return done;
    }

    /** Freezes the counts now (for runs that end by time, not by deletes). */
    Snapshot closeNow() {
        close();
        return done.join();
    }

    long deleted() {
        return deleted.sum();
    }

    /** Opens the window now, unless it is open: at the first ReceiveMessage, or where a producer starts sending. */
    void open() {
        if (opened.compareAndSet(false, true)) {
            Resources.resetPeaks();
            firstReceive.complete(new Window(System.nanoTime(), Resources.processCpuNanos()));
            if (warmupDeletes == 0 && warmOpened.compareAndSet(false, true)) {
                warm.complete(new Snapshot(System.nanoTime(), Resources.processCpuNanos(), Map.of(), 0, 0, 0));
            }
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String action = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if ("ReceiveMessage".equals(action)) {
            open();
        }
        if (opened.get() && !closed.get()) {
            requests.computeIfAbsent(action, ignored -> new LongAdder()).increment();
            if (context.request() instanceof software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest receive
                    && receive.maxNumberOfMessages() != null) {
                requestedMessages.add(receive.maxNumberOfMessages());
            }
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (closed.get()) {
            return;
        }
        Object response = context.response();
        if (response instanceof ReceiveMessageResponse receive) {
            if (receive.messages().isEmpty()) {
                emptyReceives.increment();
            } else {
                receivedMessages.add(receive.messages().size());
            }
        } else if (response instanceof DeleteMessageBatchResponse delete) {
            deleted.add(delete.successful().size());
            if (warmupDeletes > 0 && deleted.sum() >= warmupDeletes && warmOpened.compareAndSet(false, true)) {
                warm.complete(snapshot());
            }
            checkTarget();
        }
    }

    private void checkTarget() {
        if (deleted.sum() >= target) {
            close();
        }
    }

    private void close() {
        if (closed.compareAndSet(false, true)) {
            done.complete(snapshot());
        }
    }

    /** The counts so far, without closing the window. */
    Snapshot current() {
        return snapshot();
    }

    private Snapshot snapshot() {
        long now = System.nanoTime();
        long cpu = Resources.processCpuNanos();
        Map<String, Long> counts = new TreeMap<>();
        requests.forEach((action, count) -> counts.put(action, count.sum()));
        return new Snapshot(now, cpu, counts, emptyReceives.sum(), receivedMessages.sum(), deleted.sum());
    }

    /** What happened between {@code from} and {@code to}. */
    static Snapshot between(Snapshot from, Snapshot to) {
        Map<String, Long> counts = new TreeMap<>();
        to.requests().forEach((action, count) -> counts.put(action, count - from.requests().getOrDefault(action, 0L)));
        return new Snapshot(to.nanos() - from.nanos(), to.cpuNanos() - from.cpuNanos(), counts,
                to.emptyReceives() - from.emptyReceives(), to.receivedMessages() - from.receivedMessages(),
                to.deleted() - from.deleted());
    }
}
