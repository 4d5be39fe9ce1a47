package io.sluice.testutil;

import io.sluice.Delivery;
import io.sluice.WorkerListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link WorkerListener} that records every event, by message id. */
public final class RecordingListener implements WorkerListener {

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
    /** {@code <breaker>:<from>-><to>} per transition. */
    public final List<String> circuitChanges = new CopyOnWriteArrayList<>();

    @Override
    public void onHandled(Delivery delivery, Duration elapsed) {
        deliveries.put(delivery.messageId(), delivery);
        handled.add(delivery.messageId());
    }

    @Override
    public void onFailed(Delivery delivery, Throwable cause) {
        deliveries.put(delivery.messageId(), delivery);
        failures.put(delivery.messageId(), cause);
        failed.add(delivery.messageId());
    }

    @Override
    public void onDeleted(Delivery delivery) {
        deleted.add(delivery.messageId());
    }

    @Override
    public void onDeleteFailed(Delivery delivery, Throwable cause) {
        failures.put(delivery.messageId(), cause);
        deleteFailed.add(delivery.messageId());
    }

    @Override
    public void onRetried(Delivery delivery, int attempt, Throwable cause) {
        retried.add(delivery.messageId() + "#" + attempt);
    }

    @Override
    public void onDeadLettered(Delivery delivery, String deadLetterQueue, Throwable cause) {
        failures.put(delivery.messageId(), cause);
        deadLettered.add(delivery.messageId() + " -> " + deadLetterQueue);
    }

    @Override
    public void onCircuitStateChanged(String breaker, io.sluice.CircuitState from, io.sluice.CircuitState to) {
        circuitChanges.add(breaker + ":" + from + "->" + to);
    }
}
