package io.sluice;

import io.sluice.internal.handler.HandlerScanner;
import java.util.Collection;
import java.util.List;

/** What a class's {@code @SqsHandler} methods declare, for discovery (e.g. among a Guice injector's bindings). */
public final class SqsHandlers {

    private SqsHandlers() {
    }

    /** Whether {@code type} or a supertype declares an {@code @SqsHandler} method. */
    public static boolean declaredBy(Class<?> type) {
        return HandlerScanner.hasHandlers(type);
    }

    /** {@link #queueNames(Collection, WorkerConfig)} with the default placeholder values (properties, environment). */
    public static List<String> queueNames(Collection<?> handlers) {
        return queueNames(handlers, WorkerConfig.defaults());
    }

    /**
     * The names of the queues that the {@code @SqsHandler} methods of {@code handlers} declare, in order, as a worker
     * with {@code config} names them: placeholders resolved with {@link WorkerConfig#placeholders()}, a queue URL
     * reduced to its last path segment; otherwise unvalidated.
     *
     * @throws HandlerDefinitionException naming each handler whose queue has a placeholder without a value
     */
    public static List<String> queueNames(Collection<?> handlers, WorkerConfig config) {
        return HandlerScanner.queueNames(List.copyOf(handlers), config.placeholders());
    }
}
