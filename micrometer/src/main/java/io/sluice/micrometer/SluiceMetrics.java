package io.sluice.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.CircuitState;
import io.sluice.QueueDepth;
import io.sluice.QueueHealth;
import io.sluice.SqsCallStats;
import io.sluice.Worker;
import io.sluice.WorkerHealth;
import io.sluice.time.Scheduler;
import io.sluice.time.SystemScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's meters, bound to any {@link MeterRegistry} in one call, like Resilience4j's {@code
 * TaggedCircuitBreakerMetrics}:
 *
 * <pre>{@code
 * Worker worker = Worker.builder()...build();
 * SluiceMetrics.of(worker).bindTo(registry);     // before or after start
 * }</pre>
 *
 * <ul>
 *   <li><b>Counters</b> from the worker's events: received, handled, failed (tag {@code exception}), retried in
 *   process, redelivered, dead-lettered (tag {@code reason}: poison / exhausted), deleted, released, postponed, delete
 *   and receive failures; each event counted once, where it happens.</li>
 *   <li><b>SQS requests</b> per queue and action, with failures and their time, from {@link Worker#sqsCalls()}: requests
 *   per message handled, what SQS bills, is {@code rate(sluice_sqs_requests_total) / rate(
 *   sluice_messages_handled_total)}.</li>
 *   <li><b>Timers</b>: handler duration, a message's age when its handler started (from {@code SentTimestamp}), its
 *   wait between receipt and handler; percentiles and histograms only when asked for ({@link Builder}).</li>
 *   <li><b>Gauges</b> per queue: messages in flight in this worker, handlers running, circuit state (0 closed, 1
 *   half-open, 2 open; NaN without a breaker), the queue's depth sampled from SQS (one {@code GetQueueAttributes} per
 *   queue per interval, 60 s by default, off with {@link Duration#ZERO}), and the oldest message age seen in the last
 *   interval.</li>
 * </ul>
 *
 * Names and tag keys are in {@link SluiceMetricNames}; every meter has a {@code queue} tag, and no tag takes an unbounded
 * value. {@link #close()} stops the depth sampling, as does the worker's stop (at the next interval). Thread safe.
 */
public final class SluiceMetrics implements MeterBinder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SluiceMetrics.class);
    /** The actions a worker calls per queue, registered up front so that a scrape shows zeros rather than nothing. */
    private static final List<String> ACTIONS = List.of("ReceiveMessage", "DeleteMessageBatch",
            "ChangeMessageVisibilityBatch", "SendMessageBatch", "GetQueueAttributes", "GetQueueUrl");

    /** {@link WorkerHealth#state()} of a worker that has stopped. */
    private static final String STOPPED = "STOPPED";

    private final Worker worker;
    private final Duration sampleInterval;
    private final Scheduler suppliedScheduler;
    private final double[] percentiles;
    private final boolean histograms;
    private final Map<String, QueueDepth> depths = new ConcurrentHashMap<>();
    private final Map<String, Double> oldestAges = new ConcurrentHashMap<>();
    private final Set<String> callMeters = ConcurrentHashMap.newKeySet();
    private MeterRegistry registry;
    private EventMeters events;
    private SystemScheduler ownScheduler;
    private Scheduler.Cancellable sampling;
    private boolean closed;

    private SluiceMetrics(Builder builder) {
        this.worker = builder.worker;
        this.sampleInterval = builder.sampleInterval;
        this.suppliedScheduler = builder.scheduler;
        this.percentiles = builder.percentiles.clone();
        this.histograms = builder.histograms;
    }

    /** The meters of {@code worker} with the defaults: depth sampled every 60 s, no percentiles or histograms. */
    public static SluiceMetrics of(Worker worker) {
        return builder(worker).build();
    }

    public static Builder builder(Worker worker) {
        return new Builder(worker);
    }

    /**
     * Registers the worker's meters with {@code registry}, subscribes to its events and starts sampling queue depth.
     *
     * @throws IllegalStateException when these metrics were bound before
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (this.registry != null) {
            throw new IllegalStateException("these metrics are bound to a registry already; make one per registry");
        }
        this.registry = registry;
        this.events = new EventMeters(registry, percentiles, histograms);
        worker.handlers().forEach(events::register);
        worker.subscribe(events);
        for (String queue : worker.queues()) {
            Tags tags = Tags.of(SluiceMetricNames.QUEUE, queue);
            gauge(SluiceMetricNames.IN_FLIGHT, tags, w -> health(w, queue).map(QueueHealth::inFlight));
            gauge(SluiceMetricNames.HANDLERS_RUNNING, tags, w -> health(w, queue).map(QueueHealth::handlersRunning));
            gauge(SluiceMetricNames.CIRCUIT_STATE, tags, w -> health(w, queue).map(SluiceMetrics::circuit));
            gauge(SluiceMetricNames.RECEIVE_RATE_LIMIT, tags,
                    w -> health(w, queue).map(QueueHealth::maxMessagesPerSecond));
            gauge(SluiceMetricNames.CONCURRENCY_LIMIT, tags, w -> health(w, queue).map(QueueHealth::concurrencyLimit));
            depthGauge(queue, SluiceMetricNames.VISIBLE, QueueDepth::visible);
            depthGauge(queue, SluiceMetricNames.NOT_VISIBLE, QueueDepth::inFlight);
            depthGauge(queue, SluiceMetricNames.DELAYED, QueueDepth::delayed);
            Gauge.builder(SluiceMetricNames.OLDEST_MESSAGE_AGE, oldestAges,
                            ages -> ages.getOrDefault(queue, events.oldestAgeMillis(queue)) / 1000.0)
                    .tags(tags).baseUnit("seconds").register(registry);
            ACTIONS.forEach(action -> callMeters(queue, action));
        }
        registerNewCallMeters();
        if (!sampleInterval.isZero()) {
            Scheduler scheduler = suppliedScheduler;
            if (scheduler == null) {
                ownScheduler = Scheduler.system();
                scheduler = ownScheduler;
            }
            sampleEvery(scheduler);
        }
    }

    /** Stops sampling queue depth (the meters stay registered, showing their last values). */
    @Override
    public synchronized void close() {
        closed = true;
        if (sampling != null) {
            sampling.cancel();
        }
        if (ownScheduler != null) {
            ownScheduler.close();
        }
    }

    private synchronized void sampleEvery(Scheduler scheduler) {
        if (closed) {
            return;
        }
        sampling = scheduler.schedule(sampleInterval, () -> {
            if (STOPPED.equals(worker.health().state())) {
                close(); // nothing left to sample: the worker's transport may be closed
                return;
            }
            sample();
            sampleEvery(scheduler);
        });
    }

    /** One sample: each queue's depth from SQS, the oldest age of the window that ends, meters for new calls. */
    void sample() {
        for (String queue : worker.queues()) {
            oldestAges.put(queue, (double) events.takeOldestAgeMillis(queue));
        }
        registerNewCallMeters();
        worker.queueDepths().whenComplete((sampled, error) -> {
            if (error != null) {
                LOG.debug("Sampling the depth of the worker's queues failed: {}", error.toString());
                return;
            }
            sampled.forEach(depth -> depths.put(depth.queue(), depth));
        });
    }

    /** Meters for the (queue, action) pairs the worker called that have none yet (a dead-letter queue, say). */
    private void registerNewCallMeters() {
        for (SqsCallStats stats : worker.sqsCalls()) {
            callMeters(stats.queue(), stats.action());
        }
    }

    private void callMeters(String queue, String action) {
        if (!callMeters.add(queue + '\u0000' + action)) {
            return;
        }
        Tags tags = Tags.of(SluiceMetricNames.QUEUE, queue, SluiceMetricNames.ACTION, action);
        FunctionCounter.builder(SluiceMetricNames.SQS_REQUESTS, worker, w -> calls(w, queue, action).calls())
                .tags(tags).register(registry);
        FunctionCounter.builder(SluiceMetricNames.SQS_REQUEST_FAILURES, worker,
                w -> calls(w, queue, action).failures()).tags(tags).register(registry);
        FunctionTimer.builder(SluiceMetricNames.SQS_REQUEST_DURATION, worker,
                        w -> calls(w, queue, action).calls(),
                        w -> calls(w, queue, action).totalTime().toNanos(), TimeUnit.NANOSECONDS)
                .tags(tags).register(registry);
    }

    private void gauge(String name, Tags tags, Function<Worker, Optional<Number>> value) {
        Gauge.builder(name, worker, w -> value.apply(w).map(Number::doubleValue).orElse(Double.NaN)).tags(tags)
                .register(registry);
    }

    private void depthGauge(String queue, String state, ToDoubleFunction<QueueDepth> count) {
        Gauge.builder(SluiceMetricNames.QUEUE_MESSAGES, depths, sampled -> {
                    QueueDepth depth = sampled.get(queue);
                    return depth == null ? Double.NaN : count.applyAsDouble(depth);
                })
                .tags(Tags.of(SluiceMetricNames.QUEUE, queue, SluiceMetricNames.STATE, state)).register(registry);
    }

    private static Optional<QueueHealth> health(Worker worker, String queue) {
        return worker.health().queues().stream().filter(health -> health.queue().equals(queue)).findFirst();
    }

    private static Number circuit(QueueHealth health) {
        CircuitState state = health.circuit();
        return state == null ? Double.NaN : switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    private static SqsCallStats calls(Worker worker, String queue, String action) {
        for (SqsCallStats stats : worker.sqsCalls()) {
            if (stats.queue().equals(queue) && stats.action().equals(action)) {
                return stats;
            }
        }
        return new SqsCallStats(queue, action, 0, 0, Duration.ZERO);
    }

    /** Settings of {@link SluiceMetrics}; each fails fast naming a bad value. */
    public static final class Builder {
        private final Worker worker;
        private Duration sampleInterval = Duration.ofSeconds(60);
        private Scheduler scheduler;
        private double[] percentiles = new double[0];
        private boolean histograms;

        private Builder(Worker worker) {
            this.worker = Objects.requireNonNull(worker, "worker");
        }

        /** How often each queue's depth is read from SQS; {@link Duration#ZERO} turns sampling off. Default 60 s. */
        public Builder sampleInterval(Duration sampleInterval) {
            if (sampleInterval == null || sampleInterval.isNegative()
                    || !sampleInterval.isZero() && sampleInterval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("sampleInterval must be zero (off) or at least 1s, but was "
                        + sampleInterval);
            }
            this.sampleInterval = sampleInterval;
            return this;
        }

        /** Where the sampling runs; by default a scheduler thread these metrics own (closed by {@code close()}). */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Client-side percentiles of the timers, e.g. {@code 0.5, 0.99} (none by default). */
        public Builder percentiles(double... percentiles) {
            for (double percentile : percentiles) {
                if (!(percentile > 0 && percentile < 1)) {
                    throw new IllegalArgumentException("percentiles must be between 0 and 1, but one was "
                            + percentile);
                }
            }
            this.percentiles = percentiles.clone();
            return this;
        }

        /** Publishes the timers' histograms (for server-side percentiles, e.g. Prometheus); off by default. */
        public Builder histograms(boolean histograms) {
            this.histograms = histograms;
            return this;
        }

        public SluiceMetrics build() {
            return new SluiceMetrics(this);
        }
    }
}
