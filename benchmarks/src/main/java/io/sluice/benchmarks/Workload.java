package io.sluice.benchmarks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every contender's handler does with a message, so that contenders differ only in how they receive, dispatch
 * and delete: count it, note when its handler started (latency runs), and optionally block like a downstream call.
 * Parsing the JSON body into an {@link Order} happens before: Sluice binds it, the raw loop calls Jackson itself.
 */
final class Workload {

    private final long sleepMillis;
    private final boolean recordStarts;
    private final LongAdder handled = new LongAdder();
    private final ConcurrentHashMap<String, Long> handlerStarts = new ConcurrentHashMap<>();

    Workload(long sleepMillis, boolean recordStarts) {
        this.sleepMillis = sleepMillis;
        this.recordStarts = recordStarts;
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

    long handled() {
        return handled.sum();
    }

    ConcurrentHashMap<String, Long> handlerStarts() {
        return handlerStarts;
    }
}
