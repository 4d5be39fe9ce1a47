package io.sluice.internal;

import io.sluice.HandlerDefinitionException;
import io.sluice.QueueConfig;
import io.sluice.WorkerConfig;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.support.Failures;
import io.sluice.time.Durations;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.SqsUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves every handler's queue at startup, all at once, within the worker's startup timeout measured on its
 * scheduler's clock: a missing or unusable queue is a handler problem (all of them reported together, in handler
 * order); an endpoint that cannot be reached fails at once, naming it and the cause.
 */
public final class Startup {

    private Startup() {
    }

    /**
     * @return the facts of each handler's queue, in handler order; fails with {@link HandlerDefinitionException}
     *         listing every queue problem, or {@link SqsUnavailableException} when SQS cannot be reached or does not
     *         answer within the startup timeout
     */
    public static CompletableFuture<Map<HandlerMethod, QueueResolver.QueueFacts>> resolveQueues(
            List<HandlerMethod> handlers, WorkerConfig config, SqsTransport transport, Scheduler scheduler) {
        QueueResolver resolver = new QueueResolver(transport, config.startupTimeout(), scheduler);
        CompletableFuture<Map<HandlerMethod, QueueResolver.QueueFacts>> result = new CompletableFuture<>();
        List<CompletableFuture<QueueResolver.QueueFacts>> pending = new ArrayList<>();
        Map<Integer, QueueResolver.QueueFacts> facts = new TreeMap<>();
        Map<Integer, String> problems = new TreeMap<>();
        AtomicInteger remaining = new AtomicInteger(handlers.size());
        for (int i = 0; i < handlers.size(); i++) {
            HandlerMethod handler = handlers.get(i);
            QueueConfig queueConfig = config.queue(handler.queue());
            CompletableFuture<QueueResolver.QueueFacts> resolved = resolver
                    .resolve(handler.queueRef(), handler.name(), queueConfig, config.createQueues())
                    .thenCompose(url -> resolver.describe(handler.queueRef(), url, handler.name(), queueConfig));
            pending.add(resolved);
            int index = i;
            resolved.whenComplete((queueFacts, error) -> {
                if (error != null) {
                    Throwable cause = Failures.unwrap(error);
                    if (cause instanceof SqsUnavailableException unavailable) {
                        result.completeExceptionally(unavailable); // not a handler problem: say it once, now
                        return;
                    }
                    synchronized (problems) {
                        problems.put(index, cause instanceof QueueResolver.QueueProblem ? cause.getMessage()
                                : "cannot resolve queue '" + handler.queue() + "' used by " + handler.name() + ": "
                                        + cause);
                    }
                } else {
                    synchronized (problems) {
                        facts.put(index, queueFacts);
                    }
                }
                if (remaining.decrementAndGet() == 0) {
                    finish(handlers, facts, problems, result);
                }
            });
        }
        CompletableFuture<Void> deadline = Deadline.after(scheduler, config.startupTimeout());
        deadline.thenRun(() -> {
            int unresolved = 0;
            while (unresolved < pending.size() && pending.get(unresolved).isDone()) {
                unresolved++;
            }
            HandlerMethod handler = handlers.get(Math.min(unresolved, handlers.size() - 1));
            result.completeExceptionally(new SqsUnavailableException("queue '" + handler.queue() + "' used by "
                    + handler.name() + " did not resolve within the startup timeout of "
                    + Durations.format(config.startupTimeout()) + ": " + transport + " answers too slowly", null));
        });
        result.whenComplete((ok, error) -> {
            deadline.cancel(false);
            if (error != null) {
                pending.forEach(future -> future.cancel(true));
            }
        });
        return result;
    }

    private static void finish(List<HandlerMethod> handlers, Map<Integer, QueueResolver.QueueFacts> facts,
            Map<Integer, String> problems, CompletableFuture<Map<HandlerMethod, QueueResolver.QueueFacts>> result) {
        synchronized (problems) {
            if (!problems.isEmpty()) {
                result.completeExceptionally(new HandlerDefinitionException(List.copyOf(problems.values())));
                return;
            }
            Map<HandlerMethod, QueueResolver.QueueFacts> byHandler = new LinkedHashMap<>();
            facts.forEach((index, queueFacts) -> byHandler.put(handlers.get(index), queueFacts));
            result.complete(byHandler);
        }
    }
}
