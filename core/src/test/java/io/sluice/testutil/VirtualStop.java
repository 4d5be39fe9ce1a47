package io.sluice.testutil;

import io.sluice.Worker;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Stops a worker that runs on virtual time: a stop's waits (receive grace, the timeout, the flush grace) are measured on
 * the worker's clock, so this lets that clock run, in small steps, until the stop is over.
 */
public final class VirtualStop {

    private static final Duration STEP = Duration.ofMillis(10);
    private static final Duration REAL_TIME_LIMIT = Duration.ofSeconds(30);

    private VirtualStop() {
    }

    /** {@link Worker#stop(Duration)} with {@code time} advancing meanwhile; returns its result. */
    public static boolean stop(Worker worker, VirtualTime time, Duration timeout) {
        return await(worker.stopAsync(timeout), time);
    }

    /** Lets {@code time} run until {@code future} completes; returns its value. */
    public static <T> T await(CompletableFuture<T> future, VirtualTime time) {
        long limit = System.nanoTime() + REAL_TIME_LIMIT.toNanos();
        while (!future.isDone()) {
            if (System.nanoTime() - limit > 0) {
                throw new AssertionError("not done within " + REAL_TIME_LIMIT + " of real time; virtual time is at "
                        + time.now());
            }
            time.advance(STEP);
            Thread.onSpinWait();
        }
        return future.join();
    }
}
