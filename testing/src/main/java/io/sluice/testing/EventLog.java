package io.sluice.testing;

import io.sluice.Delivery;
import io.sluice.WorkerListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The worker events of one test, in order, with a monitor that waiters block on until the next event. */
final class EventLog implements WorkerListener {

    /** One handler outcome: {@code cause} is {@code null} for a success. */
    record Outcome(Delivery delivery, Throwable cause) {
    }

    private final List<Outcome> outcomes = new ArrayList<>();
    private long version;

    @Override
    public synchronized void onHandled(Delivery delivery, Duration elapsed) {
        outcomes.add(new Outcome(delivery, null));
        changed();
    }

    @Override
    public synchronized void onFailed(Delivery delivery, Throwable cause) {
        outcomes.add(new Outcome(delivery, cause));
        changed();
    }

    @Override
    public synchronized void onDeleted(Delivery delivery) {
        changed();
    }

    @Override
    public synchronized void onDeleteFailed(Delivery delivery, Throwable cause) {
        changed();
    }

    synchronized List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Waits until the next event or {@code millis}, whichever comes first. */
    synchronized void awaitEvent(long millis) throws InterruptedException {
        long seen = version;
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (version == seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    private void changed() {
        version++;
        notifyAll();
    }
}
