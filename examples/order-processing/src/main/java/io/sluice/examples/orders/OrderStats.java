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
 * redelivered message is counted once. Thread safe; waiters are woken at each delete.
 */
public final class OrderStats implements WorkerListener {

    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Set<String> deadLetteredIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger deleteFailures = new AtomicInteger();
    private final Object changed = new Object();
    private long version;
    private int retried;
    private int deadLettered;
    private final List<String> circuitChanges = new ArrayList<>();

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

    void onHandled(Delivery delivery, Duration elapsed) {
        handled.add(delivery.messageId());
    }

    void onFailed(Delivery delivery, Throwable cause) {
        failures.incrementAndGet();
        signal();
    }

    void onDeleted(Delivery delivery) {
        deleted.add(delivery.messageId());
        signal();
    }

    void onDeleteFailed(Delivery delivery, Throwable cause) {
        deleteFailures.incrementAndGet();
        signal();
    }

    void onRetried(Delivery delivery, int attempt, Throwable cause) {
        synchronized (this) {
            retried++;
        }
        signal();
    }

    void onDeadLettered(Delivery delivery, String deadLetterQueue, Throwable cause) {
        synchronized (this) {
            deadLettered++;
        }
        deadLetteredIds.add(delivery.messageId());
        signal();
    }

    synchronized void onCircuitStateChanged(String breaker, CircuitState from, CircuitState to) {
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
