package io.sluice.examples.orders;

import io.sluice.CircuitState;
import io.sluice.Delivery;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what the worker did, from its events: messages handled, deleted, failed. Counts distinct message ids, so a
 * redelivered message is counted once. Counts every queue's deliveries, or one queue's ({@link #OrderStats(String)});
 * circuit breaker transitions are recorded either way. Thread safe; waiters are woken at each delete.
 */
public final class OrderStats implements WorkerListener {

    /** The queue counted, or null for every queue. */
    private final String queue;
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Set<String> deadLetteredIds = ConcurrentHashMap.newKeySet();
    private final Set<String> failedIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger deleteFailures = new AtomicInteger();
    private final Object changed = new Object();
    private long version;
    private int retried;
    private int deadLettered;
    private final List<String> circuitChanges = new ArrayList<>();

    /** Counts the deliveries of every queue. */
    public OrderStats() {
        this(null);
    }

    /** Counts the deliveries of {@code queue} only. */
    public OrderStats(String queue) {
        this.queue = queue;
    }

    private boolean ignores(Delivery delivery) {
        return queue != null && !queue.equals(delivery.queue());
    }

    @Override
    public void onEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.Handled handled) {
            onHandled(handled.delivery(), handled.elapsed());
        } else if (event instanceof WorkerEvent.Failed failed) {
            onFailed(failed.delivery(), failed.cause());
        } else if (event instanceof WorkerEvent.Deleted deleted) {
            onDeleted(deleted.delivery());
        } else if (event instanceof WorkerEvent.DeleteFailed failed) {
            onDeleteFailed(failed.delivery(), failed.cause());
        } else if (event instanceof WorkerEvent.Retried retried) {
            onRetried(retried.delivery(), retried.call(), retried.cause());
        } else if (event instanceof WorkerEvent.DeadLettered dead) {
            onDeadLettered(dead.delivery(), dead.deadLetterQueue(), dead.cause());
        } else if (event instanceof WorkerEvent.CircuitStateChanged change) {
            onCircuitStateChanged(change.breaker(), change.from(), change.to());
        }
    }

    private void onHandled(Delivery delivery, Duration elapsed) {
        if (ignores(delivery)) {
            return;
        }
        handled.add(delivery.messageId());
    }

    private void onFailed(Delivery delivery, Throwable cause) {
        if (ignores(delivery)) {
            return;
        }
        failures.incrementAndGet();
        failedIds.add(delivery.messageId());
        signal();
    }

    private void onDeleted(Delivery delivery) {
        if (ignores(delivery)) {
            return;
        }
        deleted.add(delivery.messageId());
        signal();
    }

    private void onDeleteFailed(Delivery delivery, Throwable cause) {
        if (ignores(delivery)) {
            return;
        }
        deleteFailures.incrementAndGet();
        signal();
    }

    private void onRetried(Delivery delivery, int attempt, Throwable cause) {
        if (ignores(delivery)) {
            return;
        }
        synchronized (this) {
            retried++;
        }
        signal();
    }

    private void onDeadLettered(Delivery delivery, String deadLetterQueue, Throwable cause) {
        if (ignores(delivery)) {
            return;
        }
        synchronized (this) {
            deadLettered++;
        }
        deadLetteredIds.add(delivery.messageId());
        signal();
    }

    private synchronized void onCircuitStateChanged(String breaker, CircuitState from, CircuitState to) {
        circuitChanges.add(breaker + ": " + from + " -> " + to);
    }

    /** The circuit breakers' transitions, in order, as {@code name: FROM -> TO}. */
    public synchronized List<String> circuitChanges() {
        return List.copyOf(circuitChanges);
    }

    public synchronized int retried() {
        return retried;
    }

    public synchronized int deadLettered() {
        return deadLettered;
    }

    /** Messages whose handler succeeded. */
    public int handled() {
        return handled.size();
    }

    /** Messages deleted after their handler succeeded. */
    public int deleted() {
        return deleted.size();
    }

    /** Handler failures (a message failing on three receives counts three times). */
    public int failed() {
        return failures.get();
    }

    /** Deletes that failed for good (those messages come back). */
    public int deleteFailures() {
        return deleteFailures.get();
    }

    /** How many of {@code messageIds} were deleted. */
    public int deletedOf(Collection<String> messageIds) {
        return countIn(deleted, messageIds);
    }

    /** How many of {@code messageIds} were dead-lettered. */
    public int deadLetteredOf(Collection<String> messageIds) {
        return countIn(deadLetteredIds, messageIds);
    }

    private static int countIn(Set<String> seen, Collection<String> messageIds) {
        return (int) messageIds.stream().filter(seen::contains).count();
    }

    /** The messages whose handler failed at least once (each counted once, however often it failed). */
    public Set<String> failedMessageIds() {
        return Set.copyOf(failedIds);
    }

    /** Whether {@code messageId} was deleted. */
    public boolean wasDeleted(String messageId) {
        return deleted.contains(messageId);
    }

    /** A number that changes with every delete or failure: pass it to {@link #awaitChange}. */
    long version() {
        synchronized (changed) {
            return version;
        }
    }

    /** Waits until an event after {@link #version()} returned {@code seen}, or {@code timeout}, whichever is first. */
    void awaitChange(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            long remaining;
            while (version == seen && (remaining = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(changed, remaining);
            }
        }
    }

    private void signal() {
        synchronized (changed) {
            version++;
            changed.notifyAll();
        }
    }

    @Override
    public String toString() {
        return "processed " + handled() + ", deleted " + deleted() + ", failed " + failed();
    }
}
