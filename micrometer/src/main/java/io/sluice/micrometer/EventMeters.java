package io.sluice.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sluice.Delivery;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a worker's events into counters and timers, each event counted once where it happens ({@code Deleted} only
 * for handled messages, so a dead-lettered message is never counted as deleted too). Thread safe.
 */
final class EventMeters implements WorkerListener {

    private final MeterRegistry registry;
    private final double[] percentiles;
    private final boolean histograms;
    /** Per queue, the oldest message age (ms) seen at a handler's start in the current sample window. */
    private final Map<String, AtomicLong> oldestAge = new ConcurrentHashMap<>();

    EventMeters(MeterRegistry registry, double[] percentiles, boolean histograms) {
        this.registry = registry;
        this.percentiles = percentiles.clone();
        this.histograms = histograms;
    }

    @Override
    public void onEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.Received received) {
            count(SluiceMetricNames.RECEIVED, queue(received.delivery()));
        } else if (event instanceof WorkerEvent.HandlerStarted started) {
            started(started);
        } else if (event instanceof WorkerEvent.Handled handled) {
            Tags tags = handler(handled.delivery());
            count(SluiceMetricNames.HANDLED, tags);
            timer(SluiceMetricNames.HANDLER_DURATION, tags).record(handled.elapsed());
        } else if (event instanceof WorkerEvent.Failed failed) {
            count(SluiceMetricNames.FAILED, handler(failed.delivery()).and(SluiceMetricNames.EXCEPTION,
                    failed.cause().getClass().getSimpleName()));
        } else if (event instanceof WorkerEvent.Retried retried) {
            count(SluiceMetricNames.RETRIED, handler(retried.delivery()));
        } else if (event instanceof WorkerEvent.Redelivered redelivered) {
            count(SluiceMetricNames.REDELIVERED, handler(redelivered.delivery()));
        } else if (event instanceof WorkerEvent.DeadLettered dead) {
            count(SluiceMetricNames.DEAD_LETTERED, handler(dead.delivery()).and(SluiceMetricNames.REASON,
                    reason(dead.reason())));
        } else if (event instanceof WorkerEvent.Deleted deleted) {
            count(SluiceMetricNames.DELETED, queue(deleted.delivery()));
        } else if (event instanceof WorkerEvent.Released released) {
            count(SluiceMetricNames.RELEASED, queue(released.delivery()).and(SluiceMetricNames.REASON,
                    released.reason().name().toLowerCase(Locale.ROOT)));
        } else if (event instanceof WorkerEvent.Postponed postponed) {
            count(SluiceMetricNames.POSTPONED, queue(postponed.delivery()));
        } else if (event instanceof WorkerEvent.DeleteFailed failed) {
            count(SluiceMetricNames.DELETE_FAILURES, queue(failed.delivery()));
        } else if (event instanceof WorkerEvent.ReceiveFailed failed) {
            count(SluiceMetricNames.RECEIVE_FAILURES, Tags.of(SluiceMetricNames.QUEUE, failed.queue()));
        }
    }

    /** The oldest age seen on {@code queue} since the last call (0 when none), and a new window from now. */
    long takeOldestAgeMillis(String queue) {
        AtomicLong oldest = oldestAge.get(queue);
        return oldest == null ? 0 : oldest.getAndSet(0);
    }

    /** The oldest age seen on {@code queue} in the current window, in milliseconds. */
    double oldestAgeMillis(String queue) {
        AtomicLong oldest = oldestAge.get(queue);
        return oldest == null ? 0 : oldest.get();
    }

    private void started(WorkerEvent.HandlerStarted started) {
        if (started.call() != 1) {
            return; // an in-process retry of the same delivery: its wait and age were counted at its first call
        }
        Tags tags = queue(started.delivery());
        timer(SluiceMetricNames.MESSAGE_WAIT, tags).record(started.waited());
        Duration age = started.sinceSent();
        if (age != null && !age.isNegative()) {
            timer(SluiceMetricNames.MESSAGE_AGE, tags).record(age);
            oldestAge.computeIfAbsent(started.delivery().queue(), queue -> new AtomicLong())
                    .accumulateAndGet(age.toMillis(), Math::max);
        }
    }

    private void count(String name, Tags tags) {
        Counter.builder(name).tags(tags).register(registry).increment();
    }

    private Timer timer(String name, Tags tags) {
        Timer.Builder timer = Timer.builder(name).tags(tags).publishPercentileHistogram(histograms);
        if (percentiles.length > 0) {
            timer.publishPercentiles(percentiles);
        }
        return timer.register(registry);
    }

    private static Tags queue(Delivery delivery) {
        return Tags.of(SluiceMetricNames.QUEUE, delivery.queue());
    }

    private static Tags handler(Delivery delivery) {
        return Tags.of(SluiceMetricNames.QUEUE, delivery.queue(), SluiceMetricNames.HANDLER, delivery.handler());
    }

    /** {@code poison (...)} or {@code attempts exhausted (...)}, as the failure policy words it. */
    private static String reason(String reason) {
        if (reason == null) {
            return SluiceMetricNames.OTHER;
        }
        return reason.startsWith("poison") ? SluiceMetricNames.POISON
                : reason.startsWith("attempts exhausted") ? SluiceMetricNames.EXHAUSTED : SluiceMetricNames.OTHER;
    }
}
