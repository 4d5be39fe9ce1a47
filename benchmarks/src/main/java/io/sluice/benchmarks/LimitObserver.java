package io.sluice.benchmarks;

import io.sluice.QueueHealth;
import io.sluice.Worker;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Watches a Sluice worker through its events and its health: the concurrency limit sampled every {@value #SAMPLE_MS}
 * ms from the first handler start on ({@link QueueHealth#concurrencyLimit()}, so the samples weigh each limit by how
 * long it held), how often the limit moved ({@link WorkerEvent.ConcurrencyLimitChanged}), and the longest a message
 * waited between its receive and its handler's start ({@link WorkerEvent.HandlerStarted#waited()}).
 */
final class LimitObserver implements WorkerListener, AutoCloseable {

    static final int SAMPLE_MS = 100;

    private final AtomicLong maxWaitedNanos = new AtomicLong();
    private final LongAdder limitChanges = new LongAdder();
    private final LongAdder handlerStarts = new LongAdder();
    private final List<Integer> samples = new ArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "limit-sampler");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public void onEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.HandlerStarted started) {
            handlerStarts.increment();
            if (started.waited() != null) {
                maxWaitedNanos.accumulateAndGet(started.waited().toNanos(), Math::max);
            }
        } else if (event instanceof WorkerEvent.ConcurrencyLimitChanged) {
            limitChanges.increment();
        }
    }

    /** Starts sampling {@code worker}'s (single) queue's concurrency limit. */
    void watch(Worker worker) {
        sampler.scheduleAtFixedRate(() -> {
            List<QueueHealth> queues = worker.health().queues();
            if (handlerStarts.sum() > 0 && !queues.isEmpty()) {
                synchronized (samples) {
                    samples.add(queues.get(0).concurrencyLimit());
                }
            }
        }, SAMPLE_MS, SAMPLE_MS, TimeUnit.MILLISECONDS);
    }

    /** The figures so far, for the result line. */
    Map<String, Object> details() {
        int[] sorted;
        int last;
        synchronized (samples) {
            sorted = samples.stream().mapToInt(Integer::intValue).toArray();
            last = sorted.length == 0 ? 0 : sorted[sorted.length - 1];
        }
        Arrays.sort(sorted);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("limitSamples", sorted.length);
        out.put("limitFinal", last);
        out.put("limitMedian", sorted.length == 0 ? 0 : sorted[sorted.length / 2]);
        out.put("limitMin", sorted.length == 0 ? 0 : sorted[0]);
        out.put("limitMax", sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        out.put("limitChanges", limitChanges.sum());
        out.put("maxWaitedMs", maxWaitedNanos.get() / 1e6);
        return out;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
