package io.sluice.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Binding;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.sluice.HandlerDefinitionException;
import io.sluice.HandlerInterceptor;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.WorkerListener;
import io.sluice.SqsHandlers;
import io.sluice.micrometer.SluiceMetrics;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Starts a {@link Worker} over a Guice injector: every bound class with {@code @SqsHandler} methods becomes a handler.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new OrdersModule());
 * Worker worker = Sluice.worker(injector).start();
 * }</pre>
 *
 * <p>What the worker uses, each taken from the first place that has it:
 * <ul>
 *   <li>transport: {@link Launcher#transport}, a bound {@link SqsTransport}, a bound {@link SqsAsyncClient}, or a client
 *   built from {@link SluiceSettings} and the AWS SDK's standard configuration (owned and closed by the worker);</li>
 *   <li>config: {@link Launcher#config} or a bound {@link WorkerConfig}, then {@link SluiceSettings} (system properties
 *   and {@code SLUICE_*} environment variables) on top; the settings also give {@code ${key}} placeholders in
 *   handlers' queues their values, before the config's own;</li>
 *   <li>JSON: a bound {@link ObjectMapper}, or Sluice's default; listeners: {@link Launcher#listener} and a bound
 *   {@link WorkerListener}; interceptors: those bound with {@code Multibinder.newSetBinder(binder(),
 *   HandlerInterceptor.class)}, in binding order, then {@link Launcher#interceptor}.</li>
 *   <li>meters: {@link SluiceMetrics} bound to a bound {@link MeterRegistry} and to those given to {@link
 *   Launcher#meterRegistry}, with the {@code sluice.metrics.*} settings; none when there is no registry.</li>
 * </ul>
 * In tests, bind an in-memory {@link SqsTransport} (for example with {@code Modules.override}) and nothing else
 * changes. With {@link SluiceModule} installed, the transport and mapper it binds are the ones the injector's {@code
 * SqsProducer} uses too: one client and one JSON mapping for consuming and producing.
 */
public final class Sluice {

    /** Interceptors bound with {@code Multibinder.newSetBinder(binder(), HandlerInterceptor.class)}. */
    private static final Key<Set<HandlerInterceptor>> INTERCEPTORS = Key.get(new TypeLiteral<Set<HandlerInterceptor>>() {
    });

    private Sluice() {
    }

    /** A launcher for the handlers bound in {@code injector}. */
    public static Launcher worker(Injector injector) {
        return new Launcher(Objects.requireNonNull(injector, "injector"));
    }

    /** A launcher for the handlers bound in a new production-stage injector of {@code modules}. */
    public static Launcher worker(Module... modules) {
        return worker(Guice.createInjector(Stage.PRODUCTION, modules));
    }

    /** Configures and starts one worker. */
    public static final class Launcher {
        private final Injector injector;
        private final List<WorkerListener> listeners = new ArrayList<>();
        private final List<HandlerInterceptor> interceptors = new ArrayList<>();
        private final List<MeterRegistry> registries = new ArrayList<>();
        private SqsTransport transport;
        private WorkerConfig config;
        private SluiceSettings settings;
        private Scheduler scheduler;
        private Executor executor;

        private Launcher(Injector injector) {
            this.injector = injector;
        }

        /** The transport to use instead of any bound one; the caller keeps ownership. */
        public Launcher transport(SqsTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** The base configuration, instead of a bound {@link WorkerConfig} or the defaults. */
        public Launcher config(WorkerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** External settings applied over the config; by default {@link SluiceSettings#fromEnvironment()}. */
        public Launcher settings(SluiceSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Launcher listener(WorkerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds an interceptor around every handler call, after the bound ones ({@code Multibinder}). */
        public Launcher interceptor(HandlerInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Publishes the worker's meters ({@link SluiceMetrics}) to {@code registry} too, besides a {@link MeterRegistry}
         * bound in the injector (the worker main passes the Prometheus registry it serves).
         */
        public Launcher meterRegistry(MeterRegistry registry) {
            registries.add(Objects.requireNonNull(registry, "registry"));
            return this;
        }

        /** Time and delays (tests pass a {@code VirtualTime}). */
        public Launcher scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Where handlers run, instead of the worker's default (virtual threads or a pool); the caller keeps ownership.
         * The test kit passes a direct executor so that a test runs handlers deterministically on its own thread.
         */
        public Launcher executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Discovers and validates the handlers and builds the worker without starting it.
         *
         * @throws io.sluice.HandlerDefinitionException listing every problem with the handlers (among them a queue's
         *                                             placeholder without a value)
         * @throws IllegalArgumentException             naming a bad setting and its value
         */
        public Worker build() {
            List<Object> handlers = HandlerDiscovery.discover(injector);
            if (handlers.isEmpty()) {
                throw new HandlerDefinitionException(List.of("no @SqsHandler methods found on any class bound in the injector;"
                        + " bind your handler classes in a Guice module (bind(OrderProcessor.class))"));
            }
            SluiceSettings external = settings != null ? settings : SluiceSettings.fromEnvironment();
            WorkerConfig base = config != null ? config : bound(WorkerConfig.class);
            if (base == null) {
                base = WorkerConfig.defaults();
            }
            Worker.Builder builder = Worker.builder().handlers(handlers).config(external.applyTo(base,
                    SqsHandlers.queueNames(handlers, external.placeholdersOver(base))));

            SqsTransport owned = null;
            SqsTransport chosen = transport != null ? transport : bound(SqsTransport.class);
            if (chosen != null) {
                builder.transport(chosen);
            } else {
                ClientTransport client = ClientTransport.of(injector, external);
                if (client.owned()) {
                    owned = client.transport();
                    builder.ownedTransport(owned);
                } else {
                    builder.transport(client.transport());
                }
            }
            ObjectMapper mapper = bound(ObjectMapper.class);
            if (mapper != null) {
                builder.objectMapper(mapper);
            }
            WorkerListener boundListener = bound(WorkerListener.class);
            if (boundListener != null) {
                builder.listener(boundListener);
            }
            listeners.forEach(builder::listener);
            boundSet(INTERCEPTORS).forEach(builder::interceptor);
            interceptors.forEach(builder::interceptor);
            if (scheduler != null) {
                builder.scheduler(scheduler);
            }
            if (executor != null) {
                builder.executor(executor);
            }
            Worker worker;
            try {
                worker = builder.build();
            } catch (RuntimeException e) {
                if (owned != null) {
                    owned.close(); // the worker that would have owned it was never built
                }
                throw e;
            }
            bindMeters(worker, external);
            return worker;
        }

        /**
         * Binds the worker's meters to the bound registry and the given ones (one {@link SluiceMetrics}, so SQS is
         * sampled once whatever the number of registries); they stop sampling once the worker has stopped.
         */
        private void bindMeters(Worker worker, SluiceSettings external) {
            List<MeterRegistry> targets = new ArrayList<>();
            MeterRegistry boundRegistry = bound(MeterRegistry.class);
            if (boundRegistry != null) {
                targets.add(boundRegistry);
            }
            registries.stream().filter(registry -> targets.stream().noneMatch(target -> target == registry))
                    .forEach(targets::add);
            if (targets.isEmpty()) {
                return;
            }
            SluiceMetrics.Builder metrics = external.applyTo(SluiceMetrics.builder(worker));
            if (scheduler != null) {
                metrics.scheduler(scheduler);
            }
            metrics.build().bindTo(targets.size() == 1 ? targets.get(0)
                    : new CompositeMeterRegistry(Clock.SYSTEM, targets));
        }

        /** {@link #build()} and {@link Worker#start()}. */
        public Worker start() {
            Worker worker = build();
            try {
                return worker.start();
            } catch (RuntimeException e) {
                worker.stop();
                throw e;
            }
        }

        /** What a {@code Multibinder<T>} bound, in binding order; empty when nothing is. */
        private <T> Set<T> boundSet(Key<Set<T>> key) {
            Binding<Set<T>> binding = injector.getExistingBinding(key);
            return binding == null ? Set.of() : binding.getProvider().get();
        }

        private <T> T bound(Class<T> type) {
            Binding<T> binding = injector.getExistingBinding(Key.get(type));
            return binding == null ? null : binding.getProvider().get();
        }
    }
}
