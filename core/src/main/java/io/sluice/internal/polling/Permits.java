package io.sluice.internal.polling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The handler slots of one queue: an asynchronous semaphore. A poller takes up to ten slots before it receives, so it
 * never holds more messages than handlers can start; a slot comes back when its handler ends. Waiting for a slot parks
 * no thread. Thread safe; waiters are served in arrival order.
 */
public final class Permits {

    private final int capacity;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();
    private int available;

    public Permits(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, but was " + capacity);
        }
        this.capacity = capacity;
        this.available = capacity;
    }

    public int capacity() {
        return capacity;
    }

    /** Slots taken now (by handlers running, or by receives waiting for messages). */
    public synchronized int inUse() {
        return capacity - available;
    }

    /**
     * Takes between one and {@code max} slots: as many as are free, once at least one is. The future completes with the
     * number taken. Cancelling it before it completes gives nothing up; after, the caller owns the slots.
     */
    public CompletableFuture<Integer> acquireUpTo(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, but was " + max);
        }
        synchronized (this) {
            if (available > 0 && waiters.isEmpty()) {
                int taken = Math.min(max, available);
                available -= taken;
                return CompletableFuture.completedFuture(taken);
            }
            Waiter waiter = new Waiter(max);
            waiters.add(waiter);
            return waiter.future;
        }
    }

    /** Gives back {@code count} slots, serving waiters first. */
    public void release(int count) {
        if (count <= 0) {
            return;
        }
        List<Runnable> completions = new ArrayList<>(2);
        synchronized (this) {
            available += count;
            if (available > capacity) {
                int over = available - capacity;
                available = capacity;
                throw new IllegalStateException("released " + over + " more slots than were taken (capacity " + capacity + ")");
            }
            while (available > 0 && !waiters.isEmpty()) {
                Waiter waiter = waiters.poll();
                if (waiter.future.isDone()) {
                    continue; // cancelled while waiting
                }
                int taken = Math.min(waiter.max, available);
                available -= taken;
                completions.add(() -> {
                    if (!waiter.future.complete(taken)) {
                        release(taken); // cancelled between poll and completion
                    }
                });
            }
            if (available == capacity && !idleWaiters.isEmpty()) {
                List<CompletableFuture<Void>> idle = List.copyOf(idleWaiters);
                idleWaiters.clear();
                completions.add(() -> idle.forEach(future -> future.complete(null)));
            }
        }
        completions.forEach(Runnable::run);
    }

    /** A future that completes when every slot is free (at once if they are now). */
    public synchronized CompletableFuture<Void> whenIdle() {
        if (available == capacity) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> idle = new CompletableFuture<>();
        idleWaiters.add(idle);
        return idle;
    }

    @Override
    public synchronized String toString() {
        return "Permits{inUse=" + (capacity - available) + "/" + capacity + ", waiters=" + waiters.size() + '}';
    }

    private static final class Waiter {
        final int max;
        final CompletableFuture<Integer> future = new CompletableFuture<>();

        Waiter(int max) {
            this.max = max;
        }
    }
}
