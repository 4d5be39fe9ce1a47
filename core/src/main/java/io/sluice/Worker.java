package io.sluice;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.internal.Failures;
import io.sluice.internal.QueueResolver;
import io.sluice.internal.QueueRuntime;
import io.sluice.internal.QueueSettings;
import io.sluice.internal.dispatch.HandlerExecutors;
import io.sluice.internal.dispatch.SafeListener;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.handler.HandlerScanner;
import io.sluice.internal.policy.Breakers;
import io.sluice.time.Durations;
import io.sluice.time.Scheduler;
import io.sluice.time.SystemScheduler;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.SqsUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes SQS queues with annotated handler methods: per queue, a pool of pollers long-polls, handlers run under
 * back-pressure (a poller never holds more messages than there are free handler slots) while a heartbeat keeps their
 * messages invisible, successes are deleted in batches, and failures go through each queue's {@link RetryPolicy}
 * (in-process retry, redelivery back-off, dead-lettering with the reason) and optional {@link BreakerPolicy circuit
 * breaker}, which pauses polling while a downstream is sick.
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
 * <p>A worker runs once: {@code start()} then {@code stop()}. Applications using Guice start it through {@code
 * io.sluice.runtime.Sluice}, which discovers handlers among the injector's bindings.
 */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    /** How long stop() waits for the last deletes and releases after the handlers' timeout. */
    static final long FLUSH_GRACE_SECONDS = 5;
    /** How long stop() lets receives already sent return before abandoning them. */
    static final Duration RECEIVE_GRACE = Duration.ofMillis(250);

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final SqsTransport transport;
    private final boolean ownsTransport;
    private final WorkerConfig config;
    private final List<HandlerMethod> handlers;
    private final WorkerListener listener;
    private final Scheduler suppliedScheduler;
    private Scheduler scheduler;
    private final Executor suppliedExecutor;
    private final java.util.random.RandomGenerator random;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Object lifecycle = new Object();

    private final Map<String, QueueRuntime> queues = new LinkedHashMap<>();
    private ExecutorService ownedExecutor;
    private volatile State state = State.NEW;

    private Worker(Builder builder, List<HandlerMethod> handlers) {
        this.transport = builder.transport;
        this.ownsTransport = builder.ownsTransport;
        this.config = builder.config;
        this.handlers = List.copyOf(handlers);
        this.listener = new SafeListener(WorkerListener.composite(builder.listeners));
        this.suppliedScheduler = builder.scheduler;
        this.suppliedExecutor = builder.executor;
        this.random = builder.random;
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
     * Handler calls in progress now, across queues: started and not yet ended. Unlike {@link #inFlight()}, deliveries
     * waiting for an in-process retry or for a handler thread are not counted.
     */
    public int handlersRunning() {
        synchronized (lifecycle) {
            return queues.values().stream().mapToInt(QueueRuntime::handlersRunning).sum();
        }
    }

    /** Messages being handled now, across queues. */
    public int inFlight() {
        synchronized (lifecycle) {
            return queues.values().stream().mapToInt(QueueRuntime::inFlight).sum();
        }
    }

    /**
     * Resolves every queue (creating missing ones when {@link WorkerConfig#createQueues()} is set) and starts polling.
     *
     * @throws HandlerDefinitionException naming each missing queue and its handler; nothing is started
     * @throws SqsUnavailableException    when the SQS endpoint cannot be reached (naming it and the cause: connection
     *                                    refused, timed out, unknown host); nothing is started
     * @throws IllegalStateException      if the worker was started before
     */
    public Worker start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("a worker starts once; this one is " + state);
            }
            scheduler = suppliedScheduler != null ? suppliedScheduler : Scheduler.system();
            int totalConcurrency = 0;
            List<QueueSettings> settings = new ArrayList<>();
            try {
                for (HandlerMethod handler : handlers) {
                    QueueSettings queueSettings = QueueSettings.resolve(handler, config);
                    settings.add(queueSettings);
                    totalConcurrency += queueSettings.concurrency();
                }
            } catch (IllegalArgumentException e) {
                releaseOwnedResources();
                throw new HandlerDefinitionException(List.of(e.getMessage()));
            }
            Map<HandlerMethod, QueueResolver.QueueFacts> urls = resolveQueues();
            Map<String, Integer> breakerConcurrency = new LinkedHashMap<>();
            settings.stream().filter(queue -> queue.circuitBreaker() != null)
                    .forEach(queue -> breakerConcurrency.merge(queue.breakerName(), queue.concurrency(), Integer::sum));
            Breakers breakers = new Breakers(scheduler, listener, breakerConcurrency);
            Executor executor = suppliedExecutor;
            if (executor == null) {
                ownedExecutor = HandlerExecutors.newDefault(totalConcurrency);
                executor = ownedExecutor;
            }
            for (QueueSettings queueSettings : settings) {
                QueueRuntime runtime = new QueueRuntime(queueSettings, urls.get(queueSettings.handler()), transport,
                        scheduler, executor, listener, config, breakers, random);
                queues.put(queueSettings.queue(), runtime);
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

    private Map<HandlerMethod, QueueResolver.QueueFacts> resolveQueues() {
        QueueResolver resolver = new QueueResolver(transport, config.startupTimeout());
        Map<HandlerMethod, CompletableFuture<QueueResolver.QueueFacts>> pending = new LinkedHashMap<>();
        for (HandlerMethod handler : handlers) {
            QueueConfig queueConfig = config.queue(handler.queue());
            pending.put(handler, resolver.resolve(handler.queue(), handler.name(), queueConfig, config.createQueues())
                    .thenCompose(url -> resolver.describe(handler.queue(), url, handler.name(), queueConfig)));
        }
        long deadline = System.nanoTime() + config.startupTimeout().toNanos();
        Map<HandlerMethod, QueueResolver.QueueFacts> urls = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<HandlerMethod, CompletableFuture<QueueResolver.QueueFacts>> entry : pending.entrySet()) {
            HandlerMethod handler = entry.getKey();
            try {
                long remaining = Math.max(0, deadline - System.nanoTime());
                urls.put(handler, entry.getValue().get(remaining, TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                Throwable cause = Failures.unwrap(e);
                if (cause instanceof SqsUnavailableException unavailable) {
                    // Not a handler problem, and the same for every queue: say it once, now.
                    pending.values().forEach(future -> future.cancel(true));
                    releaseOwnedResources();
                    throw unavailable;
                }
                problems.add(cause instanceof QueueResolver.QueueProblem ? cause.getMessage()
                        : "cannot resolve queue '" + handler.queue() + "' used by " + handler.name() + ": " + cause);
            } catch (TimeoutException e) {
                pending.values().forEach(future -> future.cancel(true));
                releaseOwnedResources();
                throw new SqsUnavailableException("queue '" + handler.queue() + "' used by " + handler.name()
                        + " did not resolve within the startup timeout of " + Durations.format(config.startupTimeout())
                        + ": " + transport + " answers too slowly", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SluiceException("interrupted while resolving queues", e);
            }
        }
        if (!problems.isEmpty()) {
            releaseOwnedResources();
            throw new HandlerDefinitionException(problems);
        }
        return urls;
    }

    /** Stops within {@link WorkerConfig#shutdownTimeout()}; see {@link #stop(Duration)}. */
    public boolean stop() {
        return stop(config.shutdownTimeout());
    }

    /**
     * Stops the worker: no new receive starts; receives already sent get {@code RECEIVE_GRACE} (250 ms) to return
     * (none on a transport whose {@linkplain SqsTransport#cancelledReceiveTakesNothing() cancelled receive takes
     * nothing}), then open long polls are abandoned; messages received but not started are
     * released (visibility 0); in-flight handlers get until {@code timeout} to finish while the visibility heartbeat
     * keeps their messages invisible. Handlers still running then are cancelled (interrupted, or their stage cancelled)
     * and their messages released (visibility 0). Finally deletes and releases are flushed (within a further {@value
     * #FLUSH_GRACE_SECONDS} s). No message of this worker stays invisible, and none is lost. Idempotent; concurrent
     * callers wait for the first.
     *
     * @return whether every in-flight handler finished and every delete was settled within the timeout
     */
    public boolean stop(Duration timeout) {
        synchronized (lifecycle) {
            if (state == State.NEW) {
                state = State.STOPPED;
                releaseOwnedResources();
                terminated.countDown();
                return true;
            }
            if (state != State.RUNNING) {
                awaitTerminationUninterruptibly();
                return true;
            }
            // Before isRunning() turns false: once it has, no receive starts and no waiting delivery begins a call.
            queues.values().forEach(QueueRuntime::stopReceiving);
            state = State.STOPPING;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        LOG.info("Sluice worker stopping: {} message(s) in flight, waiting up to {} for them", inFlight(),
                Durations.format(timeout));
        // A receive whose response is already on its way would leave its messages invisible if abandoned: give the
        // receives in flight a moment to return (their messages are then released), then abandon idle long polls.
        // A transport whose cancelled receive takes nothing (in memory) needs no grace: tests stop in milliseconds.
        if (!transport.cancelledReceiveTakesNothing()) {
            await(CompletableFuture.allOf(queues.values().stream().map(QueueRuntime::whenNotReceiving)
                    .toArray(CompletableFuture[]::new)), Math.min(deadline, System.nanoTime() + RECEIVE_GRACE.toNanos()));
        }
        queues.values().forEach(QueueRuntime::abandonReceives);
        boolean clean = await(CompletableFuture.allOf(queues.values().stream()
                .map(QueueRuntime::whenIdle).toArray(CompletableFuture[]::new)), deadline);
        if (!clean) {
            int cancelled = queues.values().stream().mapToInt(QueueRuntime::cancelRunning).sum();
            LOG.warn("Sluice worker stop: {} handler(s) still running after {}; cancelled {} and released their"
                    + " messages for redelivery", inFlight(), Durations.format(timeout), cancelled);
        }
        long flushDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLUSH_GRACE_SECONDS);
        boolean flushed = await(CompletableFuture.allOf(queues.values().stream()
                .map(QueueRuntime::flush).toArray(CompletableFuture[]::new)), flushDeadline);
        queues.values().forEach(QueueRuntime::close);
        if (!flushed) {
            LOG.warn("Sluice worker stop: pending deletes not settled within {}; those messages will be delivered again",
                    Durations.format(timeout));
        }
        synchronized (lifecycle) {
            releaseOwnedResources();
            state = State.STOPPED;
        }
        terminated.countDown();
        LOG.info("Sluice worker stopped{}", clean && flushed ? "" : " (not cleanly: see warnings above)");
        return clean && flushed;
    }

    /** Blocks until the worker has stopped. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Blocks until the worker has stopped or {@code timeout} passed; returns whether it stopped. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitTerminationUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean await(CompletableFuture<?> future, long deadline) {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            LOG.warn("Sluice worker stop: {}", e.getCause().toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        private ObjectMapper objectMapper;
        private Scheduler scheduler;
        private Executor executor;
        private java.util.random.RandomGenerator random = () -> java.util.concurrent.ThreadLocalRandom.current().nextLong();

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

        public Builder handlers(java.util.Collection<?> handlers) {
            return handlers(handlers.toArray());
        }

        public Builder config(WorkerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The JSON mapper for payload parameters; by default {@code HandlerScanner.defaultObjectMapper()}. */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
            return this;
        }

        /** Adds a listener for pipeline events. */
        public Builder listener(WorkerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
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
        public Builder random(java.util.random.RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Validates the handlers and builds the worker (not started).
         *
         * @throws HandlerDefinitionException listing every invalid handler
         */
        public Worker build() {
            if (transport == null) {
                throw new IllegalStateException("a transport is required: transport(SqsTransport.of(client))");
            }
            ObjectMapper mapper = objectMapper != null ? objectMapper : HandlerScanner.defaultObjectMapper();
            List<HandlerMethod> handlers = new HandlerScanner(mapper).scan(handlerObjects);
            return new Worker(this, handlers);
        }
    }
}
