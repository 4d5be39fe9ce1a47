package io.sluice;

import java.time.Duration;

/**
 * Receives the events of a worker's message pipeline: the one place that logging, metrics and tests subscribe to
 * instead of being written into the pipeline.
 *
 * <p>Methods are called on the pipeline's threads (handler threads, SDK completion threads) and must be fast, thread
 * safe and must not throw; an exception thrown by a listener is logged and otherwise ignored. Every method does nothing
 * by default.
 */
public interface WorkerListener {

    /** The handler completed normally for {@code delivery}, after {@code elapsed}; its delete is queued. */
    default void onHandled(Delivery delivery, Duration elapsed) {
    }

    /**
     * The handler failed for {@code delivery} (or its arguments could not be bound: {@code cause} is then a {@link
     * MessageBindingException}). The queue's {@link RetryPolicy} decides what follows: {@link #onRetried}, a redelivery
     * back-off, or {@link #onDeadLettered}.
     */
    default void onFailed(Delivery delivery, Throwable cause) {
    }

    /** The message was deleted from its queue after a successful handling. */
    default void onDeleted(Delivery delivery) {
    }

    /**
     * The delete of a handled message failed for good ({@code cause} says why: a stale receipt handle, or retries
     * spent). The message will be delivered again: a duplicate, never a loss.
     */
    default void onDeleteFailed(Delivery delivery, Throwable cause) {
    }

    /**
     * The handler is being called again for {@code delivery} after its call number {@code attempt} failed with {@code
     * cause} (in-process retry; the message stayed invisible).
     */
    default void onRetried(Delivery delivery, int attempt, Throwable cause) {
    }

    /**
     * The message was sent to the dead-letter queue {@code deadLetterQueue} with {@code cause} as its reason, and is
     * being deleted from its queue.
     */
    default void onDeadLettered(Delivery delivery, String deadLetterQueue, Throwable cause) {
    }

    /** The circuit breaker named {@code breaker} went from {@code from} to {@code to}. */
    default void onCircuitStateChanged(String breaker, CircuitState from, CircuitState to) {
    }

    /** A listener that ignores everything. */
    static WorkerListener none() {
        return NoListener.INSTANCE;
    }

    /** Calls each of {@code listeners} in order. */
    static WorkerListener composite(java.util.List<? extends WorkerListener> listeners) {
        java.util.List<WorkerListener> copy = java.util.List.copyOf(listeners);
        if (copy.isEmpty()) {
            return none();
        }
        if (copy.size() == 1) {
            return copy.get(0);
        }
        return new WorkerListener() {
            @Override
            public void onHandled(Delivery delivery, Duration elapsed) {
                copy.forEach(listener -> listener.onHandled(delivery, elapsed));
            }

            @Override
            public void onFailed(Delivery delivery, Throwable cause) {
                copy.forEach(listener -> listener.onFailed(delivery, cause));
            }

            @Override
            public void onDeleted(Delivery delivery) {
                copy.forEach(listener -> listener.onDeleted(delivery));
            }

            @Override
            public void onDeleteFailed(Delivery delivery, Throwable cause) {
                copy.forEach(listener -> listener.onDeleteFailed(delivery, cause));
            }

            @Override
            public void onRetried(Delivery delivery, int attempt, Throwable cause) {
                copy.forEach(listener -> listener.onRetried(delivery, attempt, cause));
            }

            @Override
            public void onDeadLettered(Delivery delivery, String deadLetterQueue, Throwable cause) {
                copy.forEach(listener -> listener.onDeadLettered(delivery, deadLetterQueue, cause));
            }

            @Override
            public void onCircuitStateChanged(String breaker, CircuitState from, CircuitState to) {
                copy.forEach(listener -> listener.onCircuitStateChanged(breaker, from, to));
            }
        };
    }
}

enum NoListener implements WorkerListener {
    INSTANCE
}
