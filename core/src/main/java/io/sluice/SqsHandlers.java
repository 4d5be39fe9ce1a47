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

    /** The queue names that the {@code @SqsHandler} methods of {@code handlers} declare, in order, unvalidated. */
    public static List<String> queueNames(Collection<?> handlers) {
        return HandlerScanner.queueNames(List.copyOf(handlers));
    }
}
