package io.sluice.internal.limit;

import io.sluice.AdaptiveConcurrencyPolicy;
import io.sluice.WorkerEvent;
import io.sluice.internal.events.Events;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * One queue's adaptive concurrency limit: ended handler calls are gathered into windows of as many calls as the limit
 * (about one round trip's worth, at least {@value #LEAST_WINDOW}), and each window goes to its {@link LimitAlgorithm}
 * with the downstream's {@link UnloadedLatency} (whose probes hold the limit while they run); the answer, clamped to the
 * policy's bounds and rounded down, is the limit. When the whole number changes it is applied at
 * once (to the queue's slots). It is published as {@link WorkerEvent.ConcurrencyLimitChanged} at most once per {@link
 * #PUBLISH_EVERY} (from the last value published to the current one, on the injected {@link Scheduler}): a limit that
 * moves by one every few calls would otherwise flood listeners and logs. Thread safe: samples are taken one at a time;
 * changes are applied in order, outside the sampling lock.
 */
public final class AdaptiveLimiter {

    /** The shortest time between two published changes of the limit. */
    public static final Duration PUBLISH_EVERY = Duration.ofSeconds(1);

    private final String queue;
    private final LimitAlgorithm algorithm;
    private final UnloadedLatency unloaded;
    private final int min;
    private final int max;
    private final Events events;
    private final Scheduler scheduler;
    private final IntConsumer apply;
    private final Object applying = new Object();
    /** The fewest calls in a window: fewer say too little about the latency. */
    static final int LEAST_WINDOW = 5;

    private double estimate;
    private int windowCalls;
    private long windowNanos;
    private long windowLeast = Long.MAX_VALUE;
    private int windowInFlight;
    private boolean windowDropped;
    private volatile int limit;
    private long changes;
    private long applied;
    private int published;
    private long publishedAtMillis = Long.MIN_VALUE;
    private Scheduler.Cancellable publishing;

    /**
     * @param concurrency the queue's concurrency (the ceiling unless the policy sets its own max)
     * @param apply       applies a new limit (to the queue's slots); called in order, never concurrently
     */
    public AdaptiveLimiter(String queue, AdaptiveConcurrencyPolicy policy, int concurrency, Events events,
            Scheduler scheduler, IntConsumer apply) {
        this.queue = queue;
        this.algorithm = LimitAlgorithm.of(policy.algorithm());
        this.min = policy.min();
        this.unloaded = new UnloadedLatency(min);
        this.max = policy.maxFor(concurrency);
        this.events = events;
        this.scheduler = scheduler;
        this.apply = apply;
        this.limit = policy.initialFor(concurrency);
        this.estimate = limit;
        this.published = limit;
    }

    /** The limit now. */
    public int limit() {
        return limit;
    }

    /** The highest the limit may go. */
    public int max() {
        return max;
    }

    /**
     * One ended call.
     *
     * @param rttNanos how long it took
     * @param inFlight calls running when it started, itself included
     * @param dropped  whether it failed in a way that counts against the downstream
     */
    public void onSample(long rttNanos, int inFlight, boolean dropped) {
        long change;
        synchronized (this) {
            windowCalls++;
            windowNanos += rttNanos;
            if (rttNanos > 0) { // a call that took no time (on a clock that did not move) says nothing of latency
                windowLeast = Math.min(windowLeast, rttNanos);
            }
            windowInFlight = Math.max(windowInFlight, inFlight);
            windowDropped |= dropped;
            if (windowCalls < Math.max(LEAST_WINDOW, limit)) {
                return;
            }
            LimitAlgorithm.Window window = new LimitAlgorithm.Window(windowNanos / windowCalls,
                    windowLeast == Long.MAX_VALUE ? 0 : windowLeast, windowInFlight, windowDropped);
            windowCalls = 0;
            windowNanos = 0;
            windowLeast = Long.MAX_VALUE;
            windowInFlight = 0;
            windowDropped = false;
            if (window.meanNanos() <= 0 && !window.dropped()) {
                return; // no latency, no failure: nothing to go by
            }
            double probe = unloaded.observe(estimate, window);
            double next = probe >= 0 ? probe : algorithm.update(estimate, window, unloaded.nanos());
            estimate = Math.max(min, Math.min(max, next));
            if ((int) estimate == limit) {
                return;
            }
            limit = (int) estimate;
            change = ++changes;
        }
        synchronized (applying) {
            if (change > applied) { // else a later change was applied already
                applied = change;
                apply.accept(limit);
            }
        }
        publishSoon();
    }

    private void publishSoon() {
        synchronized (this) {
            if (publishing != null) {
                return;
            }
            long wait = publishedAtMillis == Long.MIN_VALUE ? 0
                    : publishedAtMillis + PUBLISH_EVERY.toMillis() - scheduler.clock().millis();
            if (wait > 0) {
                publishing = scheduler.schedule(Duration.ofMillis(wait), this::publish);
                return;
            }
        }
        publish();
    }

    private void publish() {
        int from;
        int to;
        synchronized (this) {
            publishing = null;
            from = published;
            to = limit;
            if (from == to) {
                return;
            }
            published = to;
            publishedAtMillis = scheduler.clock().millis();
        }
        events.publish(new WorkerEvent.ConcurrencyLimitChanged(queue, from, to));
    }

    @Override
    public String toString() {
        return "AdaptiveLimiter{" + queue + ", " + algorithm + ", limit=" + limit + " in " + min + ".." + max + '}';
    }
}
