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
    private final Map<String, QueueMeters> queues = new ConcurrentHashMap<>();
    private final Map<String, Counter> receiveFailures = new ConcurrentHashMap<>();

    EventMeters(MeterRegistry registry, double[] percentiles, boolean histograms) {
        this.registry = registry;
        this.percentiles = percentiles.clone();
        this.histograms = histograms;
    }

    /**
     * Registers {@code queue}'s meters before any event, at zero, with its receive failures and both dead-letter
     * reasons: a scrape then shows a quiet queue's series, so a rate over them is 0, not absent.
     */
    void register(String queue, String handler) {
        QueueMeters meters = meters(queue, handler);
        meters.deadLettered(SluiceMetricNames.POISON);
        meters.deadLettered(SluiceMetricNames.EXHAUSTED);
        receiveFailures(queue);
    }

    private Counter receiveFailures(String queue) {
        return receiveFailures.computeIfAbsent(queue, name -> counter(SluiceMetricNames.RECEIVE_FAILURES,
                Tags.of(SluiceMetricNames.QUEUE, name)));
    }

    @Override
    public void onEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.ReceiveFailed failed) {
            receiveFailures(failed.queue()).increment();
            return;
        }
        if (!(event instanceof WorkerEvent.MessageEvent message)) {
            return;
        }
        Delivery delivery = message.delivery();
        QueueMeters meters = meters(delivery.queue(), delivery.handler());
        if (event instanceof WorkerEvent.Received) {
            meters.received.increment();
        } else if (event instanceof WorkerEvent.HandlerStarted started) {
            started(meters, started);
        } else if (event instanceof WorkerEvent.Handled handled) {
            meters.handled.increment();
            meters.handlerDuration.record(handled.elapsed());
        } else if (event instanceof WorkerEvent.Failed failed) {
            meters.failed(failed.cause().getClass()).increment();
        } else if (event instanceof WorkerEvent.Retried) {
            meters.retried.increment();
        } else if (event instanceof WorkerEvent.Redelivered) {
            meters.redelivered.increment();
        } else if (event instanceof WorkerEvent.DeadLettered dead) {
            meters.deadLettered(reason(dead.reason())).increment();
        } else if (event instanceof WorkerEvent.Deleted) {
            meters.deleted.increment();
        } else if (event instanceof WorkerEvent.Released released) {
            meters.released(released.reason().name().toLowerCase(Locale.ROOT)).increment();
        } else if (event instanceof WorkerEvent.Postponed) {
            meters.postponed.increment();
        } else if (event instanceof WorkerEvent.DeleteFailed) {
            meters.deleteFailures.increment();
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

    private void started(QueueMeters meters, WorkerEvent.HandlerStarted started) {
        if (started.call() != 1) {
            return; // an in-process retry of the same delivery: its wait and age were counted at its first call
        }
        meters.messageWait.record(started.waited());
        Duration age = started.sinceSent();
        if (age != null && !age.isNegative()) {
            meters.messageAge.record(age);
            oldestAge.computeIfAbsent(started.delivery().queue(), queue -> new AtomicLong())
                    .accumulateAndGet(age.toMillis(), Math::max);
        }
    }

    /** The queue's meters, made on its first message event (a queue has one handler). */
    private QueueMeters meters(String queue, String handler) {
        QueueMeters meters = queues.get(queue);
        return meters != null ? meters : queues.computeIfAbsent(queue, name -> new QueueMeters(name, handler));
    }

    /**
     * One queue's meters, registered once: an event then costs a map lookup and an increment, not a meter lookup by
     * name and tags.
     */
    private final class QueueMeters {
        final Tags queueTags;
        final Tags handlerTags;
        final Counter received;
        final Counter handled;
        final Counter retried;
        final Counter redelivered;
        final Counter deleted;
        final Counter postponed;
        final Counter deleteFailures;
        final Timer handlerDuration;
        final Timer messageAge;
        final Timer messageWait;
        private final Map<Class<?>, Counter> failed = new ConcurrentHashMap<>();
        private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
        private final Map<String, Counter> released = new ConcurrentHashMap<>();

        QueueMeters(String queue, String handler) {
            this.queueTags = Tags.of(SluiceMetricNames.QUEUE, queue);
            this.handlerTags = queueTags.and(SluiceMetricNames.HANDLER, handler);
            this.received = counter(SluiceMetricNames.RECEIVED, queueTags);
            this.handled = counter(SluiceMetricNames.HANDLED, handlerTags);
            this.retried = counter(SluiceMetricNames.RETRIED, handlerTags);
            this.redelivered = counter(SluiceMetricNames.REDELIVERED, handlerTags);
            this.deleted = counter(SluiceMetricNames.DELETED, queueTags);
            this.postponed = counter(SluiceMetricNames.POSTPONED, queueTags);
            this.deleteFailures = counter(SluiceMetricNames.DELETE_FAILURES, queueTags);
            this.handlerDuration = timer(SluiceMetricNames.HANDLER_DURATION, handlerTags);
            this.messageAge = timer(SluiceMetricNames.MESSAGE_AGE, queueTags);
            this.messageWait = timer(SluiceMetricNames.MESSAGE_WAIT, queueTags);
        }

        Counter failed(Class<?> exception) {
            return failed.computeIfAbsent(exception, type -> counter(SluiceMetricNames.FAILED,
                    handlerTags.and(SluiceMetricNames.EXCEPTION, type.getSimpleName())));
        }

        Counter deadLettered(String reason) {
            return deadLettered.computeIfAbsent(reason, value -> counter(SluiceMetricNames.DEAD_LETTERED,
                    handlerTags.and(SluiceMetricNames.REASON, value)));
        }

        Counter released(String reason) {
            return released.computeIfAbsent(reason, value -> counter(SluiceMetricNames.RELEASED,
                    queueTags.and(SluiceMetricNames.REASON, value)));
        }
    }

    private Counter counter(String name, Tags tags) {
        return Counter.builder(name).tags(tags).register(registry);
    }

    private Timer timer(String name, Tags tags) {
        Timer.Builder timer = Timer.builder(name).tags(tags).publishPercentileHistogram(histograms);
        if (percentiles.length > 0) {
            timer.publishPercentiles(percentiles);
        }
        return timer.register(registry);
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
