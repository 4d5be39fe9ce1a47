package io.sluice.benchmarks;

import io.sluice.testing.SimulatedDownstream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every contender's handler does with a message, so that contenders differ only in how they receive, dispatch
 * and delete: count it, note when its handler started (latency runs), and optionally block like a downstream call or
 * call a {@link SimulatedDownstream} (the knee scenario: asynchronously where the contender's handler can return a
 * future, else blocking on it). Parsing the JSON body into an {@link Order} happens before: Sluice binds it, the raw loop calls Jackson itself.
 */
final class Workload {

    private final long sleepMillis;
    private final boolean recordStarts;
    private final LongAdder handled = new LongAdder();
    private final ConcurrentHashMap<String, Long> handlerStarts = new ConcurrentHashMap<>();
    private final SimulatedDownstream downstream;

    /** {@code downstream}: the simulated service each message calls, or {@code null} for none. */
    Workload(long sleepMillis, boolean recordStarts, SimulatedDownstream downstream) {
        this.sleepMillis = sleepMillis;
        this.recordStarts = recordStarts;
        this.downstream = downstream;
    }

    /** Whether handlers should call {@link #handleAsync} (a simulated downstream) rather than {@link #handle}. */
    boolean async() {
        return downstream != null;
    }

    /** The simulated downstream, or {@code null}. */
    SimulatedDownstream downstream() {
        return downstream;
    }

    /** Like {@link #handle}, then the downstream call, whose completion settles the message. */
    CompletableFuture<Void> handleAsync(Order order, String messageId) {
        handle(order, messageId);
        return downstream != null ? downstream.call() : CompletableFuture.completedFuture(null);
    }

    void handle(Order order, String messageId) {
        if (recordStarts) {
            handlerStarts.putIfAbsent(messageId, System.nanoTime());
        }
        if (order.orderId() == null) {
            throw new IllegalStateException("unparsed order " + messageId);
        }
        handled.increment();
        if (sleepMillis > 0) {
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** For contenders whose handlers cannot return a future: {@link #handle}, then the downstream call, waited for. */
    void handleBlocking(Order order, String messageId) {
        handle(order, messageId);
        if (downstream != null) {
            downstream.call().join();
        }
    }

    long handled() {
        return handled.sum();
    }

    ConcurrentHashMap<String, Long> handlerStarts() {
        return handlerStarts;
    }
}
