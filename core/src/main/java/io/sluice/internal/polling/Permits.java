package io.sluice.internal.polling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The handler slots of one queue: an asynchronous semaphore. A poller takes up to ten slots before it receives, so it
 * never holds more messages than handlers can start; a slot comes back when its handler ends. Waiting for a slot parks
 * no thread. Thread safe; waiters are served in arrival order.
 *
 * <p>The number of slots is a {@link #limit(int) limit} that may move between 1 and the capacity while slots are
 * taken (an adaptive concurrency limit): lowered, no slot is taken again until fewer than the new limit are in use;
 * raised, waiters are served at once.
 */
public final class Permits {

    private final int capacity;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Void>> firstWaiters = new ArrayDeque<>();
    private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();
    private int limit;
    private int inUse;

    public Permits(int capacity) {
        this(capacity, capacity);
    }

    /** Slots that may grow up to {@code capacity}, starting at {@code limit}. */
    public Permits(int capacity, int limit) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, but was " + capacity);
        }
        this.capacity = capacity;
        this.limit = checkLimit(limit);
    }

    /** The most slots the limit may ever reach. */
    public int capacity() {
        return capacity;
    }

    /** The slots there are now. */
    public synchronized int limit() {
        return limit;
    }

    /** Sets the slots there are (1..capacity); slots in use above a lowered limit stay taken until released. */
    public void limit(int newLimit) {
        synchronized (this) {
            limit = checkLimit(newLimit);
        }
        release(0);
    }

    private int checkLimit(int value) {
        if (value < 1 || value > capacity) {
            throw new IllegalArgumentException("limit must be within 1.." + capacity + ", but was " + value);
        }
        return value;
    }

    /** Slots taken now (by handlers running, or by receives waiting for messages). */
    public synchronized int inUse() {
        return inUse;
    }

    /**
     * Takes between one and {@code max} slots: as many as are free, once at least one is. The future completes with the
     * number taken. Cancelling it before it completes gives nothing up; after, the caller owns the slots.
     */
    public CompletableFuture<Integer> acquireUpTo(int max) {
        return acquire(1, max);
    }

    /**
     * Takes between {@code min} and {@code max} slots: as many as are free, once at least {@code min} are (or once
     * {@link #relax} lowered the wait to one). Waiters are served in arrival order: one waiting for {@code min} slots
     * is not overtaken. Cancelling the future before it completes gives nothing up; after, the caller owns the slots.
     *
     * A minimum above the current limit is lowered to the limit.
     *
     * @throws IllegalArgumentException unless {@code 1 <= min <= max} and {@code min <= capacity}
     */
    public CompletableFuture<Integer> acquire(int min, int max) {
        if (min < 1 || min > max || min > capacity) {
            throw new IllegalArgumentException("need 1 <= min <= max and min <= capacity " + capacity + ", but min was "
                    + min + " and max " + max);
        }
        synchronized (this) {
            dropCancelledWaiters();
            int available = available();
            if (available >= Math.min(min, limit) && waiters.isEmpty() && firstWaiters.isEmpty()) {
                int taken = Math.min(max, available);
                inUse += taken;
                return CompletableFuture.completedFuture(taken);
            }
            Waiter waiter = new Waiter(min, max);
            waiters.add(waiter);
            return waiter.future;
        }
    }

    /**
     * Lets the pending {@code acquire} whose future is {@code pending} complete with a single free slot instead of
     * waiting for its minimum. Does nothing if it completed already.
     */
    public void relax(CompletableFuture<Integer> pending) {
        synchronized (this) {
            for (Waiter waiter : waiters) {
                if (waiter.future == pending) {
                    waiter.min = 1;
                }
            }
        }
        release(0);
    }

    /**
     * Takes one slot, before every waiting {@link #acquire}: for a message this worker already holds (it gave its slot
     * back while it waited for its group's turn) over a message not received yet. Cancelling the future before it
     * completes gives nothing up; after, the caller owns the slot.
     */
    public CompletableFuture<Void> acquireFirst() {
        synchronized (this) {
            if (available() > 0 && firstWaiters.isEmpty()) {
                inUse++;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> waiter = new CompletableFuture<>();
            firstWaiters.add(waiter);
            return waiter;
        }
    }

    /** Slots free now (none while more are in use than a lowered limit). */
    public synchronized int available() {
        return Math.max(0, limit - inUse);
    }

    /** Gives back {@code count} slots, serving waiters first. */
    public void release(int count) {
        if (count < 0) {
            return;
        }
        List<Runnable> completions = new ArrayList<>(2);
        synchronized (this) {
            inUse -= count;
            if (inUse < 0) {
                int over = -inUse;
                inUse = 0;
                throw new IllegalStateException("released " + over + " more slots than were taken (capacity " + capacity + ")");
            }
            while (!firstWaiters.isEmpty() && firstWaiters.peek().isDone()) {
                firstWaiters.poll(); // cancelled while waiting
            }
            while (!firstWaiters.isEmpty() && available() > 0) {
                CompletableFuture<Void> first = firstWaiters.poll();
                if (first.isDone()) {
                    continue; // cancelled while waiting
                }
                inUse++;
                completions.add(() -> {
                    if (!first.complete(null)) {
                        release(1);
                    }
                });
            }
            while (!waiters.isEmpty() && firstWaiters.isEmpty()) {
                Waiter waiter = waiters.peek();
                if (waiter.future.isDone()) {
                    waiters.poll(); // cancelled while waiting
                    continue;
                }
                int available = available();
                if (available < Math.min(waiter.min, limit)) {
                    break; // first come, first served: nobody overtakes a waiter for a full batch
                }
                waiters.poll();
                int taken = Math.min(waiter.max, available);
                inUse += taken;
                completions.add(() -> {
                    if (!waiter.future.complete(taken)) {
                        release(taken); // cancelled between poll and completion
                    }
                });
            }
            if (inUse == 0 && !idleWaiters.isEmpty()) {
                List<CompletableFuture<Void>> idle = List.copyOf(idleWaiters);
                idleWaiters.clear();
                completions.add(() -> idle.forEach(future -> future.complete(null)));
            }
        }
        completions.forEach(Runnable::run);
    }

    /** A future that completes when every slot is free (at once if they are now). */
    public synchronized CompletableFuture<Void> whenIdle() {
        if (inUse == 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> idle = new CompletableFuture<>();
        idleWaiters.add(idle);
        return idle;
    }

    @Override
    public synchronized String toString() {
        return "Permits{inUse=" + inUse + "/" + limit + (limit == capacity ? "" : " (capacity " + capacity + ")")
                + ", waiters=" + waiters.size()
                + ", first=" + firstWaiters.size() + '}';
    }

    /** Waiters cancelled while at the head would hold back those behind them. Call holding the lock. */
    private void dropCancelledWaiters() {
        while (!waiters.isEmpty() && waiters.peek().future.isDone()) {
            waiters.poll();
        }
    }

    private static final class Waiter {
        int min;
        final int max;
        final CompletableFuture<Integer> future = new CompletableFuture<>();

        Waiter(int min, int max) {
            this.min = min;
            this.max = max;
        }
    }
}
