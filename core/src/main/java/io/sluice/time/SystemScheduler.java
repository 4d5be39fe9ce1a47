package io.sluice.time;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Scheduler} on a real clock, running tasks on one daemon thread. Obtain it from {@link Scheduler#system()}. */
public final class SystemScheduler implements Scheduler, AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    SystemScheduler(Clock clock) {
        this.clock = clock;
        int instance = INSTANCES.incrementAndGet();
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sluice-scheduler-" + instance);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** Stops the scheduler thread; tasks not yet run are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
