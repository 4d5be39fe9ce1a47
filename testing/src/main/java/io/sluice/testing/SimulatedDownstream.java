package io.sluice.testing;

import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A downstream for load tests whose latency grows once more than {@code knee} calls run at once: up to the knee a call
 * takes {@code unloaded}; beyond it, {@code unloaded * concurrent / knee} (the calls share its capacity), so its
 * throughput stays at {@code knee / unloaded} and only latency grows. Calls complete on the given {@link Scheduler}:
 * virtual time in tests, real time in benchmarks. It counts what a run needs to judge a concurrency setting: calls,
 * the most at once, calls started above the knee, and latency percentiles. Thread safe.
 */
public final class SimulatedDownstream {

    private final int knee;
    private final Duration unloaded;
    private final Scheduler scheduler;
    private int running;
    private int mostAtOnce;
    private long calls;
    private long aboveKnee;
    private long[] latencies = new long[1024];

    private SimulatedDownstream(int knee, Duration unloaded, Scheduler scheduler) {
        if (knee < 1) {
            throw new IllegalArgumentException("knee must be at least 1, but was " + knee);
        }
        if (unloaded.isNegative() || unloaded.isZero()) {
            throw new IllegalArgumentException("unloaded latency must be positive, but was " + unloaded);
        }
        this.knee = knee;
        this.unloaded = unloaded;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** A downstream that takes {@code unloaded} per call up to {@code knee} calls at once. */
    public static SimulatedDownstream withKnee(int knee, Duration unloaded, Scheduler scheduler) {
        return new SimulatedDownstream(knee, unloaded, scheduler);
    }

    /** One call: completes once its latency (set by the calls running as it starts, itself included) has passed. */
    public CompletableFuture<Void> call() {
        long nanos;
        synchronized (this) {
            running++;
            mostAtOnce = Math.max(mostAtOnce, running);
            if (running > knee) {
                aboveKnee++;
            }
            nanos = unloaded.toNanos() * Math.max(knee, running) / knee;
            if (calls == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[(int) calls++] = nanos;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.schedule(Duration.ofNanos(nanos), () -> {
            synchronized (this) {
                running--;
            }
            done.complete(null);
        });
        return done;
    }

    public synchronized long calls() {
        return calls;
    }

    /** The most calls that ran at once. */
    public synchronized int mostAtOnce() {
        return mostAtOnce;
    }

    /** Calls that started with more than the knee running (themselves included). */
    public synchronized long callsAboveKnee() {
        return aboveKnee;
    }

    /** The latency below which {@code percent} of the calls from the {@code skip}-th on took. */
    public synchronized Duration latencyPercentile(double percent, long skip) {
        if (calls <= skip) {
            return Duration.ZERO;
        }
        long[] sorted = Arrays.copyOfRange(latencies, (int) skip, (int) calls);
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.ceil(percent / 100 * sorted.length) - 1);
        return Duration.ofNanos(sorted[Math.max(0, index)]);
    }

    public int knee() {
        return knee;
    }

    public Duration unloaded() {
        return unloaded;
    }

    @Override
    public synchronized String toString() {
        return "SimulatedDownstream{knee=" + knee + ", unloaded=" + unloaded + ", calls=" + calls + ", mostAtOnce="
                + mostAtOnce + ", aboveKnee=" + aboveKnee + '}';
    }
}
