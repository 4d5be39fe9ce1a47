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
 * waited between its receive and its handler's start ({@link WorkerEvent.HandlerStarted#waited()}): over the whole run,
 * and after the first {@value #WARM_STARTS} handler starts (class loading and the first bindings are over), with the
 * number of waits over {@value #LONG_WAIT_MS} ms.
 */
final class LimitObserver implements WorkerListener, AutoCloseable {

    static final int SAMPLE_MS = 100;
    static final int WARM_STARTS = 1000;
    static final int LONG_WAIT_MS = 50;

    private final AtomicLong maxWaitedNanos = new AtomicLong();
    private final AtomicLong maxWarmWaitedNanos = new AtomicLong();
    private final LongAdder longWaits = new LongAdder();
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
                long waited = started.waited().toNanos();
                raise(maxWaitedNanos, waited);
                if (handlerStarts.sum() > WARM_STARTS) {
                    raise(maxWarmWaitedNanos, waited);
                }
                if (waited > TimeUnit.MILLISECONDS.toNanos(LONG_WAIT_MS)) {
                    longWaits.increment();
                }
            }
        } else if (event instanceof WorkerEvent.ConcurrencyLimitChanged) {
            limitChanges.increment();
        }
    }

    /** Raises {@code max} to {@code value}; writes only when it is higher, so the common case is one read. */
    private static void raise(AtomicLong max, long value) {
        long current = max.get();
        while (value > current && !max.compareAndSet(current, value)) {
            current = max.get();
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
        out.put("maxWarmWaitedMs", maxWarmWaitedNanos.get() / 1e6);
        out.put("longWaits", longWaits.sum());
        return out;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
