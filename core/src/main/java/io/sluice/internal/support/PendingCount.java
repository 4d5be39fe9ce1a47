package io.sluice.internal.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A count of things under way (entries not yet settled, leases not yet over) that can say when it is next zero. The
 * count itself is lock-free; only waiting for zero takes a lock. Thread safe.
 */
public final class PendingCount {

    private final AtomicInteger count = new AtomicInteger();
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

    public void increment() {
        count.incrementAndGet();
    }

    /** One fewer; at zero, completes everyone waiting for it. */
    public void decrement() {
        if (count.decrementAndGet() == 0) {
            completeWaitersIfZero();
        }
    }

    public int get() {
        return count.get();
    }

    /** Completes when the count is zero: at once if it is now, else the next time it reaches zero. */
    public CompletableFuture<Void> whenZero() {
        synchronized (waiters) {
            if (count.get() == 0) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> zero = new CompletableFuture<>();
            waiters.add(zero);
            return zero;
        }
    }

    private void completeWaitersIfZero() {
        List<CompletableFuture<Void>> done;
        synchronized (waiters) {
            if (count.get() != 0 || waiters.isEmpty()) {
                return;
            }
            done = List.copyOf(waiters);
            waiters.clear();
        }
        done.forEach(waiter -> waiter.complete(null)); // outside the lock: a waiter's continuation may call back in
    }

    @Override
    public String toString() {
        return Integer.toString(count.get());
    }
}
