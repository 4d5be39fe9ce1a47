package io.sluice.testing.faults;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads of the proxy, one per connection: virtual threads when the JVM has them (Java 21+, found by reflection
 * since Sluice is compiled for 17), else a cached pool of daemon platform threads. Either way an idle connection costs
 * a parked thread, no polling.
 */
final class ConnectionThreads {

    private ConnectionThreads() {
    }

    /** An executor starting each task on its own thread named {@code name-N}. */
    static ExecutorService start(String name) {
        ExecutorService virtual = virtualThreads(name);
        if (virtual != null) {
            return virtual;
        }
        AtomicLong count = new AtomicLong();
        ThreadFactory daemons = task -> {
            Thread thread = new Thread(task, name + "-" + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newCachedThreadPool(daemons);
    }

    /** {@code Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory())}, or null. */
    private static ExecutorService virtualThreads(String name) {
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, name + "-", 0L);
            ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            Method perTask = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
            return (ExecutorService) perTask.invoke(null, factory);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
