package io.sluice.testutil;

import io.sluice.Delivery;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link WorkerListener} that records every event, by message id. */
public final class RecordingListener implements WorkerListener {

    public final List<WorkerEvent> events = new CopyOnWriteArrayList<>();
    public final List<String> handled = new CopyOnWriteArrayList<>();
    public final List<String> failed = new CopyOnWriteArrayList<>();
    public final List<String> deleted = new CopyOnWriteArrayList<>();
    public final List<String> deleteFailed = new CopyOnWriteArrayList<>();
    public final Map<String, Throwable> failures = new ConcurrentHashMap<>();
    public final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    /** {@code <message id>#<failed call>} per in-process retry. */
    public final List<String> retried = new CopyOnWriteArrayList<>();
    /** {@code <message id> -> <dlq>} per dead-lettering. */
    public final List<String> deadLettered = new CopyOnWriteArrayList<>();
    /** {@code <message id>:<reason>} per release. */
    public final List<String> released = new CopyOnWriteArrayList<>();
    /** {@code <breaker>:<from>-><to>} per transition. */
    public final List<String> circuitChanges = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(WorkerEvent event) {
        events.add(event);
        if (event instanceof WorkerEvent.Handled handledEvent) {
            deliveries.put(handledEvent.delivery().messageId(), handledEvent.delivery());
            handled.add(handledEvent.delivery().messageId());
        } else if (event instanceof WorkerEvent.Failed failedEvent) {
            deliveries.put(failedEvent.delivery().messageId(), failedEvent.delivery());
            failures.put(failedEvent.delivery().messageId(), failedEvent.cause());
            failed.add(failedEvent.delivery().messageId());
        } else if (event instanceof WorkerEvent.Deleted deletedEvent) {
            deleted.add(deletedEvent.delivery().messageId());
        } else if (event instanceof WorkerEvent.DeleteFailed deleteFailedEvent) {
            failures.put(deleteFailedEvent.delivery().messageId(), deleteFailedEvent.cause());
            deleteFailed.add(deleteFailedEvent.delivery().messageId());
        } else if (event instanceof WorkerEvent.Retried retriedEvent) {
            retried.add(retriedEvent.delivery().messageId() + "#" + retriedEvent.call());
        } else if (event instanceof WorkerEvent.DeadLettered dead) {
            failures.put(dead.delivery().messageId(), dead.cause());
            deadLettered.add(dead.delivery().messageId() + " -> " + dead.deadLetterQueue());
        } else if (event instanceof WorkerEvent.Released releasedEvent) {
            released.add(releasedEvent.delivery().messageId() + ":" + releasedEvent.reason());
        } else if (event instanceof WorkerEvent.CircuitStateChanged change) {
            circuitChanges.add(change.breaker() + ":" + change.from() + "->" + change.to());
        }
    }

    /** The events of one type, in order. */
    public <E extends WorkerEvent> List<E> of(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
