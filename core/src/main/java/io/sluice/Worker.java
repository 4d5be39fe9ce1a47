package io.sluice;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.internal.CallCounting;
import io.sluice.internal.QueueResolver;
import io.sluice.internal.QueueRuntime;
import io.sluice.internal.QueueSettings;
import io.sluice.internal.Shutdown;
import io.sluice.internal.Startup;
import io.sluice.internal.WorkerServices;
import io.sluice.internal.call.HandlerExecutors;
import io.sluice.internal.events.Events;
import io.sluice.internal.events.PipelineLog;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.handler.HandlerScanner;
import io.sluice.internal.policy.Breakers;
import io.sluice.internal.support.Failures;
import io.sluice.time.Durations;
import io.sluice.time.Scheduler;
import io.sluice.time.SystemScheduler;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.SqsUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Consumes SQS queues with annotated handler methods: per queue, a pool of pollers long-polls, handlers run under
 * back-pressure (a poller never holds more messages than there are free handler slots) while a heartbeat keeps their
 * messages invisible, successes are deleted in batches, and failures go through each queue's {@link RetryPolicy}
 * (in-process retry, redelivery back-off, dead-lettering with the reason) and optional {@link BreakerPolicy circuit
 * breaker}, which pauses polling while a downstream is sick. FIFO queues keep each message group's order; a handler
 * taking a {@link Batch} gets several messages per call.
 *
 * <pre>{@code
 * Worker worker = Worker.builder()
 *         .transport(SqsTransport.create(SqsClientConfig.defaults()))
 *         .handlers(new OrderProcessor())
 *         .build();
 * worker.start();       // resolves queues, fails fast when one is missing
 * ...
 * worker.stop();        // stops receiving, lets handlers finish, flushes deletes
 * }</pre>
 *
 * <p>A worker runs once: {@code start()} then {@code stop()}. Every wait of both (the startup timeout, the stop
 * timeout and its graces) is measured on the worker's {@link Scheduler}: on a {@code VirtualTime}, use {@link
 * #startAsync()} and {@link #stopAsync(Duration)} and advance the clock. Applications using Guice start it through
 * {@code io.sluice.runtime.Sluice}, which discovers handlers among the injector's bindings.
 */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private enum State { NEW, STARTING, RUNNING, STOPPING, STOPPED }

    /** The transport given, closed by the worker when it owns it. */
    private final SqsTransport transport;
    /** The transport every call goes through: the one given, counted. */
    private final CallCounting calls;
    private final boolean ownsTransport;
    private final WorkerConfig config;
    private final List<HandlerMethod> handlers;
    private final Events events;
    private final Scheduler suppliedScheduler;
    private final Executor suppliedExecutor;
    private final RandomGenerator random;
    private final List<HandlerInterceptor> interceptors;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Object lifecycle = new Object();

    private final Map<String, QueueRuntime> queues = new LinkedHashMap<>();
    private Scheduler scheduler;
    private ExecutorService ownedExecutor;
    private CompletableFuture<Worker> starting;
    private CompletableFuture<Boolean> stopping;
    private volatile State state = State.NEW;

    private Worker(Builder builder, List<HandlerMethod> handlers) {
        this.transport = builder.transport;
        this.calls = new CallCounting(builder.transport, builder.scheduler != null ? builder.scheduler.clock()
                : Clock.systemUTC());
        this.ownsTransport = builder.ownsTransport;
        this.config = builder.config;
        this.handlers = List.copyOf(handlers);
        List<WorkerListener> listeners = new ArrayList<>();
        listeners.add(new PipelineLog());
        listeners.addAll(builder.listeners);
        this.events = new Events(listeners);
        this.suppliedScheduler = builder.scheduler;
        this.suppliedExecutor = builder.executor;
        this.random = builder.random;
        this.interceptors = List.copyOf(builder.interceptors);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The queue names this worker consumes, in handler order. */
    public List<String> queues() {
        return handlers.stream().map(HandlerMethod::queue).toList();
    }

    /** {@code Class.method} of the handler of each queue. */
    public Map<String, String> handlers() {
        Map<String, String> byQueue = new LinkedHashMap<>();
        handlers.forEach(handler -> byQueue.put(handler.queue(), handler.name()));
        return byQueue;
    }

    public WorkerConfig config() {
        return config;
    }

    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Handler calls in progress now, across queues: started and not yet ended (a batch call counts once). Unlike {@link
     * #inFlight()}, deliveries waiting for an in-process retry, a thread or their group's turn are not counted.
     */
    public int handlersRunning() {
        synchronized (lifecycle) {
            return queues.values().stream().mapToInt(QueueRuntime::handlersRunning).sum();
        }
    }

    /** Messages this worker holds now, across queues: received and not yet settled. */
    public int inFlight() {
        synchronized (lifecycle) {
            return queues.values().stream().mapToInt(QueueRuntime::inFlight).sum();
        }
    }

    /**
     * Adds a listener for the events published from now on (after those given to the builder), such as a metrics
     * binder attached to a worker built elsewhere. Thread safe.
     */
    public void subscribe(WorkerListener listener) {
        events.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The SQS calls this worker made since it was built, per queue and action, with their failures and time: requests
     * per message handled is what SQS bills. Thread safe, no SQS call.
     */
    public List<SqsCallStats> sqsCalls() {
        return calls.stats();
    }

    /**
     * How many messages each of the worker's queues holds, read now from SQS (one {@code GetQueueAttributes} per
     * queue); empty before the worker started.
     *
     * @return completes with one {@link QueueDepth} per queue, in handler order, or fails with SQS's error
     */
    public CompletableFuture<List<QueueDepth>> queueDepths() {
        List<QueueRuntime> runtimes;
        synchronized (lifecycle) {
            runtimes = List.copyOf(queues.values());
        }
        List<CompletableFuture<QueueDepth>> depths = runtimes.stream().map(runtime -> calls.getQueueAttributes(b -> b
                        .queueUrl(runtime.url()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .thenApply(response -> new QueueDepth(runtime.settings().queue(),
                        count(response.attributes(), QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                        count(response.attributes(), QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                        count(response.attributes(), QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))))
                .toList();
        return CompletableFuture.allOf(depths.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> depths.stream().map(CompletableFuture::join).toList());
    }

    private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        String value = attributes.get(name);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The worker's health, for liveness and readiness probes: see {@link WorkerHealth}. Cheap (no SQS call) and thread
     * safe; call it as often as a probe asks.
     */
    public WorkerHealth health() {
        List<QueueHealth> detail;
        State now;
        synchronized (lifecycle) {
            now = state;
            detail = queues.values().stream().map(QueueRuntime::health).toList();
        }
        List<String> stuck = detail.stream().filter(QueueHealth::stuck).map(QueueHealth::queue).toList();
        boolean stopping = now == State.STOPPING || now == State.STOPPED;
        boolean live = !stopping && stuck.isEmpty();
        boolean ready = now == State.RUNNING;
        String reason = stopping ? "the worker is " + now.name().toLowerCase(Locale.ROOT)
                : !stuck.isEmpty() ? "no receive completed for over " + Durations.format(WorkerHealth.STUCK_AFTER)
                        + " past the long poll on queue(s) " + stuck
                : !ready ? "the worker has not started (" + now + ")" : null;
        return new WorkerHealth(now.name(), live, ready, reason, detail);
    }

    /**
     * Resolves every queue (creating missing ones given by name when {@link WorkerConfig#createQueues()} is set; a
     * queue given by URL is used as given) and starts polling; blocks until then.
     *
     * @throws HandlerDefinitionException naming each missing queue and its handler; nothing is started
     * @throws SqsUnavailableException    when the SQS endpoint cannot be reached (naming it and the cause: connection
     *                                    refused, timed out, unknown host); nothing is started
     * @throws IllegalStateException      if the worker was started before
     */
    public Worker start() {
        return await(startAsync());
    }

    /** Waits for {@code future}, interruptibly, and throws its failure as it is. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException("interrupted while waiting for the worker", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
        }
    }

    /**
     * {@link #start()} without blocking: completes with this worker once it polls, or exceptionally as {@code start()}
     * throws. The startup timeout runs on the worker's scheduler.
     */
    public CompletableFuture<Worker> startAsync() {
        List<QueueSettings> settings = new ArrayList<>();
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("a worker starts once; this one is " + state);
            }
            scheduler = suppliedScheduler != null ? suppliedScheduler : Scheduler.system();
            try {
                handlers.forEach(handler -> settings.add(QueueSettings.resolve(handler, config)));
            } catch (IllegalArgumentException e) {
                releaseOwnedResources();
                return CompletableFuture.failedFuture(new HandlerDefinitionException(List.of(e.getMessage())));
            }
            state = State.STARTING;
            starting = Startup.resolveQueues(handlers, config, calls, scheduler)
                    .thenApply(facts -> begin(settings, facts))
                    .whenComplete((worker, error) -> {
                        if (error != null) {
                            synchronized (lifecycle) {
                                state = State.NEW; // nothing started: stop() just releases what it owns
                                releaseOwnedResources();
                            }
                        }
                    });
            return starting;
        }
    }

    private Worker begin(List<QueueSettings> settings, Map<HandlerMethod, QueueResolver.QueueFacts> facts) {
        synchronized (lifecycle) {
            int totalConcurrency = settings.stream().mapToInt(QueueSettings::concurrency).sum();
            Map<String, Integer> breakerConcurrency = new LinkedHashMap<>();
            settings.stream().filter(queue -> queue.circuitBreaker() != null)
                    .forEach(queue -> breakerConcurrency.merge(queue.breakerName(), queue.concurrency(), Integer::sum));
            Executor executor = suppliedExecutor;
            if (executor == null) {
                ownedExecutor = HandlerExecutors.newDefault(totalConcurrency);
                executor = ownedExecutor;
            }
            WorkerServices services = new WorkerServices(calls, scheduler, executor, events, config,
                    new Breakers(scheduler, events, breakerConcurrency), random, interceptors);
            for (QueueSettings queueSettings : settings) {
                queues.put(queueSettings.queue(), new QueueRuntime(queueSettings,
                        facts.get(queueSettings.handler()), services));
            }
            state = State.RUNNING;
            queues.values().forEach(QueueRuntime::start);
            queues.values().forEach(runtime -> LOG.info("Sluice consuming {}", runtime));
            LOG.info("Sluice worker started: {} queue(s), handlers on {}", queues.size(),
                    suppliedExecutor != null ? "the supplied executor"
                            : HandlerExecutors.virtualThreadsAvailable() ? "virtual threads"
                            : totalConcurrency + " platform threads");
            return this;
        }
    }

    /**
     * Creates every queue this worker consumes that does not exist yet, with its dead-letter queue and a {@code
     * RedrivePolicy} ({@code name-dlq}, {@code name-dlq.fifo} for {@code name.fifo}, or the configured ones), as
     * {@link #start()} does with {@link WorkerConfig#createQueues()}, without starting: a test can fill the queues
     * before the worker runs. A queue given by URL is used as given and never created: it must exist.
     *
     * @return completes when every queue exists; fails with {@link HandlerDefinitionException} listing the queues that
     *         could not be created, or {@link SqsUnavailableException} when SQS cannot be reached
     */
    public CompletableFuture<Void> createQueues() {
        Scheduler running = suppliedScheduler != null ? suppliedScheduler : scheduler;
        Scheduler clock = running != null ? running : Scheduler.system(); // its own timer only for this call
        return Startup.resolveQueues(handlers, config.toBuilder().createQueues(true).build(), calls, clock)
                .whenComplete((ignored, error) -> {
                    if (running == null && clock instanceof SystemScheduler owned) {
                        owned.close();
                    }
                }).thenApply(ignored -> null);
    }

    /** Stops within {@link WorkerConfig#shutdownTimeout()}; see {@link #stop(Duration)}. */
    public boolean stop() {
        return stop(config.shutdownTimeout());
    }

    /**
     * Stops the worker: no new receive starts; receives already sent get {@link Shutdown#RECEIVE_GRACE} to return
     * (none on a transport whose {@linkplain SqsTransport#cancelledReceiveTakesNothing() cancelled receive takes
     * nothing}), then open long polls are abandoned; messages received but not started are released (visibility 0);
     * in-flight handlers get until {@code timeout} to finish while the visibility heartbeat keeps their messages
     * invisible. Handlers still running then are cancelled (interrupted, or their stage cancelled) and their messages
     * released. Finally deletes and releases are flushed (within a further {@link Shutdown#FLUSH_GRACE}). No message
     * of this worker stays invisible, and none is lost. Idempotent; concurrent callers wait for the first. Blocks;
     * every wait is on the worker's scheduler clock.
     *
     * @return whether every in-flight handler finished and every delete was settled within the timeout
     */
    public boolean stop(Duration timeout) {
        return await(stopAsync(timeout));
    }

    /** {@link #stop(Duration)} without blocking: completes with its result once the worker stopped. */
    public CompletableFuture<Boolean> stopAsync(Duration timeout) {
        CompletableFuture<Worker> pendingStart;
        synchronized (lifecycle) {
            pendingStart = state == State.STARTING ? starting : null;
        }
        if (pendingStart != null) {
            return pendingStart.handle((worker, error) -> null).thenCompose(ignored -> stopAsync(timeout));
        }
        synchronized (lifecycle) {
            if (state == State.NEW) {
                state = State.STOPPED;
                releaseOwnedResources();
                terminated.countDown();
                stopping = CompletableFuture.completedFuture(true);
            }
            if (stopping != null) {
                return stopping;
            }
            // Before isRunning() turns false: once it has, no receive starts and no waiting delivery begins a call.
            queues.values().forEach(QueueRuntime::stopReceiving);
            state = State.STOPPING;
            LOG.info("Sluice worker stopping: {} message(s) in flight, waiting up to {} for them", inFlight(),
                    Durations.format(timeout));
            stopping = Shutdown.finish(List.copyOf(queues.values()), transport.cancelledReceiveTakesNothing(),
                    scheduler, timeout).handle((clean, error) -> {
                        if (error != null) {
                            LOG.warn("Sluice worker stop: {}", Failures.unwrap(error).toString());
                        }
                        boolean result = error == null && clean;
                        synchronized (lifecycle) {
                            releaseOwnedResources();
                            state = State.STOPPED;
                        }
                        terminated.countDown();
                        LOG.info("Sluice worker stopped{}", result ? "" : " (not cleanly: see warnings above)");
                        return result;
                    });
            return stopping;
        }
    }

    /** Blocks until the worker has stopped. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Blocks until the worker has stopped or {@code timeout} of real time passed; returns whether it stopped. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        stop();
    }

    private void releaseOwnedResources() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
        if (suppliedScheduler == null && scheduler instanceof SystemScheduler system) {
            system.close();
        }
        if (ownsTransport) {
            transport.close();
        }
    }

    @Override
    public String toString() {
        return "Worker{state=" + state + ", queues=" + queues() + '}';
    }

    /** Builds a {@link Worker}; {@link #build()} validates every handler and fails listing all problems. */
    public static final class Builder {
        private SqsTransport transport;
        private boolean ownsTransport;
        private WorkerConfig config = WorkerConfig.defaults();
        private final List<Object> handlerObjects = new ArrayList<>();
        private final List<WorkerListener> listeners = new ArrayList<>();
        private final List<HandlerInterceptor> interceptors = new ArrayList<>();
        private ObjectMapper objectMapper;
        private Scheduler scheduler;
        private Executor executor;
        private RandomGenerator random = () -> java.util.concurrent.ThreadLocalRandom.current().nextLong();

        private Builder() {
        }

        /** The queue service. The caller keeps ownership: {@link Worker#stop()} does not close it. */
        public Builder transport(SqsTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            this.ownsTransport = false;
            return this;
        }

        /** The queue service, closed by the worker when it stops. */
        public Builder ownedTransport(SqsTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            this.ownsTransport = true;
            return this;
        }

        /** Objects whose {@code @SqsHandler} methods this worker runs. */
        public Builder handlers(Object... handlers) {
            for (Object handler : handlers) {
                handlerObjects.add(Objects.requireNonNull(handler, "handler"));
            }
            return this;
        }

        public Builder handlers(Collection<?> handlers) {
            return handlers(handlers.toArray());
        }

        public Builder config(WorkerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The JSON mapper for payload parameters; by default {@link SluiceJson#defaultMapper()}. */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
            return this;
        }

        /** Adds a listener for the pipeline's {@link WorkerEvent}s. */
        public Builder listener(WorkerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds an interceptor around every handler call, after those added before (the first is outermost). */
        public Builder interceptor(HandlerInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Time and delays; by default the system clock with one scheduler thread, owned by the worker. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Where handlers run; by default virtual threads when the JVM has them, else a pool sized to the total
         * concurrency. A supplied executor is not shut down by the worker.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The source of the redelivery back-off's jitter; by default {@code ThreadLocalRandom}. Tests pass a seeded
         * generator for repeatable back-offs. Must be thread safe.
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Validates the handlers and builds the worker (not started), resolving the {@code ${key}} placeholders of
         * their queues with {@link WorkerConfig#placeholders()}.
         *
         * @throws HandlerDefinitionException listing every invalid handler, and every placeholder without a value
         */
        public Worker build() {
            if (transport == null) {
                throw new IllegalStateException("a transport is required: transport(SqsTransport.of(client))");
            }
            ObjectMapper mapper = objectMapper != null ? objectMapper : SluiceJson.defaultMapper();
            List<HandlerMethod> handlers = new HandlerScanner(mapper, config.placeholders()).scan(handlerObjects);
            return new Worker(this, handlers);
        }
    }

}
