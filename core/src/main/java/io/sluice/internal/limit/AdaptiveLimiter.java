package io.sluice.internal.limit;

import io.sluice.AdaptiveConcurrencyPolicy;
import io.sluice.WorkerEvent;
import io.sluice.internal.events.Events;
import java.util.function.IntConsumer;

/**
 * One queue's adaptive concurrency limit: each ended handler call is a sample for its {@link LimitAlgorithm}; the
 * answer, clamped to the policy's bounds and rounded down, is the limit. When the whole number changes it is applied
 * (to the queue's slots) and published as {@link WorkerEvent.ConcurrencyLimitChanged}. Thread safe: samples are taken
 * one at a time; the change is applied and published outside the lock, in the order the changes were made.
 */
public final class AdaptiveLimiter {

    private final String queue;
    private final LimitAlgorithm algorithm;
    private final int min;
    private final int max;
    private final Events events;
    private final IntConsumer apply;
    private final Object applying = new Object();
    private double estimate;
    private volatile int limit;
    private long changes;
    private long applied;

    /**
     * @param concurrency the queue's concurrency (the ceiling unless the policy sets its own max)
     * @param apply       applies a new limit (to the queue's slots); called in order, never concurrently
     */
    public AdaptiveLimiter(String queue, AdaptiveConcurrencyPolicy policy, int concurrency, Events events,
            IntConsumer apply) {
        this.queue = queue;
        this.algorithm = LimitAlgorithm.of(policy.algorithm());
        this.min = policy.min();
        this.max = policy.maxFor(concurrency);
        this.events = events;
        this.apply = apply;
        this.limit = policy.initialFor(concurrency);
        this.estimate = limit;
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
        int from;
        int to;
        long change;
        synchronized (this) {
            estimate = Math.max(min, Math.min(max, algorithm.update(estimate, rttNanos, inFlight, dropped)));
            from = limit;
            to = (int) estimate;
            if (to == from) {
                return;
            }
            limit = to;
            change = ++changes;
        }
        synchronized (applying) {
            if (change <= applied) {
                return; // a later change was applied already
            }
            applied = change;
            apply.accept(limit);
        }
        events.publish(new WorkerEvent.ConcurrencyLimitChanged(queue, from, to));
    }

    @Override
    public String toString() {
        return "AdaptiveLimiter{" + queue + ", " + algorithm + ", limit=" + limit + " in " + min + ".." + max + '}';
    }
}
