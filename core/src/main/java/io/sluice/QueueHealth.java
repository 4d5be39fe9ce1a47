package io.sluice;

import java.time.Instant;

/**
 * One queue's part of a {@link WorkerHealth}.
 *
 * @param queue            the queue
 * @param handler          its handler, {@code Class.method}
 * @param circuit          the state of the circuit breaker guarding it, or {@code null} when none does
 * @param inFlight         messages this worker holds of the queue (received, not yet settled)
 * @param handlersRunning  handler calls in progress
 * @param lastReceive      when a receive from the queue last completed without error, or {@code null} (none yet)
 * @param stuck            whether a receive has been in flight longer than its long poll plus {@link
 *                         WorkerHealth#STUCK_AFTER}: the poller no longer completes receives
 * @param limits           what the queue is allowed now: its receive rate limit and its concurrency limit
 */
public record QueueHealth(String queue, String handler, CircuitState circuit, int inFlight, int handlersRunning,
        Instant lastReceive, boolean stuck, Limits limits) {

    /**
     * A queue's limits as they stand.
     *
     * @param maxMessagesPerSecond the receive rate limit, messages per second, or 0 for none
     * @param concurrencyLimit     the handler calls allowed at once now: the fixed concurrency, or the adaptive
     *                             limit's current value ({@link AdaptiveConcurrencyPolicy})
     */
    public record Limits(double maxMessagesPerSecond, int concurrencyLimit) {
    }

    /** The queue's receive rate limit, messages per second, or 0 for none. */
    public double maxMessagesPerSecond() {
        return limits.maxMessagesPerSecond();
    }

    /** The handler calls allowed at once now. */
    public int concurrencyLimit() {
        return limits.concurrencyLimit();
    }
}
