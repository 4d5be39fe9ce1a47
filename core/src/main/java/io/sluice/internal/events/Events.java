package io.sluice.internal.events;

import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one point where the pipeline publishes its {@link WorkerEvent}s: to the pipeline's own log ({@link
 * PipelineLog}), then to each listener in order, each shielded from the others (a listener that throws is logged and
 * the message goes on).
 */
public final class Events {

    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    /** Replaced, never changed, when a listener is added: publishing reads it without a lock. */
    private volatile WorkerListener[] listeners;

    public Events(List<? extends WorkerListener> listeners) {
        this.listeners = listeners.toArray(new WorkerListener[0]);
    }

    /** Adds a listener after the others, for the events published from now on. */
    public synchronized void add(WorkerListener listener) {
        WorkerListener[] more = Arrays.copyOf(listeners, listeners.length + 1);
        more[listeners.length] = listener;
        listeners = more;
    }

    /** Events that go to the log only (tests of single components). */
    public static Events logOnly() {
        return new Events(List.of(new PipelineLog()));
    }

    public void publish(WorkerEvent event) {
        for (WorkerListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("A WorkerListener ({}) threw on {}; ignoring it", listener.getClass().getName(),
                        event.getClass().getSimpleName(), e);
            }
        }
    }
}
