package io.sluice.runtime;

import com.google.inject.Binding;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.HandlerDefinitionException;
import io.sluice.Worker;
import io.sluice.runtime.admin.SluiceAdmin;
import io.sluice.transport.SqsUnavailableException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker jar's entry point: loads the application's Guice modules, starts a worker over them and runs until the JVM
 * is asked to stop (SIGTERM, Ctrl-C), then stops gracefully.
 *
 * <pre>
 * java -cp app.jar io.sluice.runtime.SluiceMain com.example.OrdersModule [more modules]
 * java -Dsluice.modules=com.example.OrdersModule -jar app.jar     (with this class as Main-Class)
 * java -jar app.jar admin queues                                   (the admin CLI, {@link SluiceAdmin})
 * </pre>
 *
 * While it runs it serves {@code GET /metrics} (Prometheus), {@code GET /health/live} and {@code GET /health/ready} on
 * {@code 127.0.0.1:8080} ({@link WorkerEndpoints}; {@code sluice.http.host}, {@code sluice.http.port}, port 0 for a free
 * one, {@code sluice.http.enabled=false} for none).
 *
 * <p>A startup error (bad module, invalid handler, missing queue, bad setting, no region, an SQS endpoint that cannot be
 * reached) is printed as one readable message naming the cause, and exits with status 2. On SIGTERM the shutdown hook stops the worker gracefully (receiving stops at once, in-flight
 * handlers finish or are cancelled, unstarted and cancelled messages are released, deletes flushed) and the process
 * exits with status 0.
 *
 * <p>Why {@code Runtime.halt(0)} ends the hook: a JVM ended by a signal exits with 128 + the signal (143 for SIGTERM)
 * whatever its hooks do, and orchestrators read 143 as a failure. The hook halts only after {@code stop()} returned,
 * when every message is settled or released, so the status says what happened: a clean stop.
 */
public final class SluiceMain {

    private static final Logger LOG = LoggerFactory.getLogger(SluiceMain.class);
    private SluiceMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args) throws InterruptedException {
        OptionalInt admin = SluiceAdmin.runIfCommand(args);
        if (admin.isPresent()) {
            return admin.getAsInt();
        }
        SluiceSettings settings = SluiceSettings.fromEnvironment();
        Worker worker;
        PrometheusMeterRegistry prometheus;
        Optional<InetSocketAddress> address;
        try {
            address = settings.httpAddress();
            List<String> moduleNames = new ArrayList<>(List.of(args));
            moduleNames.addAll(settings.modules());
            if (moduleNames.isEmpty()) {
                throw new IllegalArgumentException("name at least one Guice module: as arguments, or in sluice.modules /"
                        + " SLUICE_MODULES");
            }
            Injector injector = Guice.createInjector(Stage.PRODUCTION, loadModules(moduleNames));
            Sluice.Launcher launcher = Sluice.worker(injector).settings(settings);
            prometheus = address.isPresent() ? prometheusRegistry(injector) : null;
            if (prometheus != null) {
                launcher.meterRegistry(prometheus);
            }
            worker = launcher.start();
        } catch (HandlerDefinitionException | IllegalArgumentException | SqsUnavailableException e) {
            LOG.error("Sluice worker cannot start: {}", e.getMessage());
            LOG.debug("Startup failure", e);
            return 2;
        } catch (RuntimeException e) {
            LOG.error("Sluice worker cannot start", e);
            return 2;
        }
        WorkerEndpoints endpoints = null;
        try {
            if (address.isPresent()) {
                endpoints = WorkerEndpoints.start(worker, prometheus, address.get());
            }
        } catch (IllegalArgumentException | UncheckedIOException e) {
            LOG.error("Sluice worker cannot start: {}", e.getMessage());
            worker.stop();
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(shutdownHook(worker, Runtime.getRuntime()::halt),
                "sluice-shutdown"));
        worker.awaitTermination();
        if (endpoints != null) {
            endpoints.close();
        }
        return 0;
    }

    /**
     * The registry {@code /metrics} serves: a {@link PrometheusMeterRegistry} bound in the injector (as its {@code
     * MeterRegistry}), which then holds the application's meters too, else a new one for the worker's meters alone.
     */
    static PrometheusMeterRegistry prometheusRegistry(Injector injector) {
        Binding<MeterRegistry> bound = injector.getExistingBinding(Key.get(MeterRegistry.class));
        if (bound != null && bound.getProvider().get() instanceof PrometheusMeterRegistry prometheus) {
            return prometheus;
        }
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Stops {@code worker}, then ends the process with status 0 through {@code halt}. */
    static Runnable shutdownHook(Worker worker, java.util.function.IntConsumer halt) {
        return () -> {
            boolean clean = worker.stop();
            LOG.info("Sluice worker stopped on shutdown{}; exiting with status 0",
                    clean ? "" : " (handlers still running at the timeout were cancelled and their messages released)");
            halt.accept(0);
        };
    }

    static List<Module> loadModules(List<String> names) {
        List<Module> modules = new ArrayList<>();
        for (String name : names) {
            try {
                Class<?> type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
                if (!Module.class.isAssignableFrom(type)) {
                    throw new IllegalArgumentException("module " + name + " is not a com.google.inject.Module");
                }
                Constructor<?> constructor = type.getDeclaredConstructor();
                constructor.setAccessible(true);
                modules.add((Module) constructor.newInstance());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("module class " + name + " is not on the classpath", e);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("module " + name + " needs a no-argument constructor", e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("module " + name + " cannot be instantiated: " + e, e);
            }
        }
        return modules;
    }
}
