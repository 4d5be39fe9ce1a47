package io.sluice;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives the {@link WorkerEvent events} of a worker's message pipeline: the one place that logging, metrics, health
 * and tests subscribe to instead of being written into the pipeline.
 *
 * <pre>{@code
 * Worker.builder()...
 *     .listener(event -> {
 *         if (event instanceof WorkerEvent.DeadLettered dead) {
 *             alerts.deadLettered(dead.delivery().queue(), dead.cause());
 *         }
 *     })
 *     .listener(WorkerListener.on(WorkerEvent.Handled.class, handled -> timer.record(handled.elapsed())));
 * }</pre>
 *
 * <p>Called on the pipeline's threads (handler threads, SDK completion threads, the scheduler's): it must be fast and
 * thread safe. An exception it throws is logged and otherwise ignored: a listener never stops a message.
 */
@FunctionalInterface
public interface WorkerListener {

    /** One event of the pipeline. */
    void onEvent(WorkerEvent event);

    /** A listener that ignores everything. */
    static WorkerListener none() {
        return event -> { };
    }

    /** A listener for events of one type only. */
    static <E extends WorkerEvent> WorkerListener on(Class<E> type, Consumer<? super E> consumer) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(consumer, "consumer");
        return event -> {
            if (type.isInstance(event)) {
                consumer.accept(type.cast(event));
            }
        };
    }

    /** Calls each of {@code listeners} in order. */
    static WorkerListener composite(List<? extends WorkerListener> listeners) {
        List<WorkerListener> copy = List.copyOf(listeners);
        if (copy.isEmpty()) {
            return none();
        }
        if (copy.size() == 1) {
            return copy.get(0);
        }
        return event -> {
            for (WorkerListener listener : copy) {
                listener.onEvent(event);
            }
        };
    }
}
