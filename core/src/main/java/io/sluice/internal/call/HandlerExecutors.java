package io.sluice.internal.call;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor handlers run on when the application supplies none: a virtual thread per handler call when the JVM has
 * virtual threads (Java 21+), otherwise a pool of platform threads up to the worker's total concurrency, started only
 * when no thread is idle ({@link ElasticThreadPool}). The pollers' back-pressure bounds the tasks submitted, so the
 * pool's queue never grows past that either.
 */
public final class HandlerExecutors {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerExecutors.class);

    private HandlerExecutors() {
    }

    /** A new executor for {@code maxConcurrency} handler calls at once; the caller shuts it down. */
    public static ExecutorService newDefault(int maxConcurrency) {
        ExecutorService virtual = virtualThreadExecutor();
        if (virtual != null) {
            LOG.debug("Handlers run on virtual threads");
            return virtual;
        }
        LOG.debug("Handlers run on a pool of {} platform threads (virtual threads need Java 21+)", maxConcurrency);
        return platformThreadPool(maxConcurrency);
    }

    /** Whether this JVM offers virtual threads. */
    public static boolean virtualThreadsAvailable() {
        return virtualThreadFactoryMethod() != null;
    }

    static ExecutorService platformThreadPool(int threads) {
        AtomicInteger counter = new AtomicInteger();
        return new ElasticThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "sluice-handler-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private static ExecutorService virtualThreadExecutor() {
        Method factory = virtualThreadFactoryMethod();
        if (factory == null) {
            return null;
        }
        try {
            return (ExecutorService) factory.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Virtual threads unavailable: {}", e.toString());
            return null;
        }
    }

    private static Method virtualThreadFactoryMethod() {
        try {
            return java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
