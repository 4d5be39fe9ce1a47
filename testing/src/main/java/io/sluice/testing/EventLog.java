package io.sluice.testing;

import io.sluice.Delivery;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import java.util.ArrayList;
import java.util.List;

/** The worker events of one test, in order, with a monitor that waiters block on until the next event. */
final class EventLog implements WorkerListener {

    /** One handler outcome: {@code cause} is {@code null} for a success. */
    record Outcome(Delivery delivery, Throwable cause) {
    }

    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<WorkerEvent> events = new ArrayList<>();
    private long version;

    @Override
    public synchronized void onEvent(WorkerEvent event) {
        events.add(event);
        if (event instanceof WorkerEvent.Handled handled) {
            outcomes.add(new Outcome(handled.delivery(), null));
        } else if (event instanceof WorkerEvent.Failed failed) {
            outcomes.add(new Outcome(failed.delivery(), failed.cause()));
        }
        changed();
    }

    synchronized List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Every event so far, in order. */
    synchronized List<WorkerEvent> events() {
        return List.copyOf(events);
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
