package io.sluice.time;

import java.time.Clock;
import java.time.Duration;

/**
 * The source of time and delayed execution for everything in Sluice that waits: delete flush intervals, receive
 * back-off, and (in later stages) visibility heartbeats and retry delays.
 *
 * <p>Production code uses {@link #system()}; tests use {@link VirtualTime}, whose clock only moves when told to, so a
 * scenario spanning minutes runs in microseconds. Implementations must be thread safe. Tasks must be short and must not
 * block: they hand work to executors rather than doing it.
 */
public interface Scheduler {

    /** The clock that {@link #schedule} measures delays against. */
    Clock clock();

    /**
     * Runs {@code task} once, {@code delay} from now on this scheduler's clock.
     *
     * @return a handle that cancels the task if it has not started
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not started; does nothing otherwise. */
        void cancel();
    }

    /**
     * A scheduler on the system UTC clock backed by one daemon thread. The caller owns it and must {@link
     * SystemScheduler#close() close} it.
     */
    static SystemScheduler system() {
        return new SystemScheduler(Clock.systemUTC());
    }
}
