package io.sluice.internal.call;

import io.sluice.HandlerInterceptor;
import io.sluice.InterceptorException;
import io.sluice.Invocation;
import io.sluice.internal.support.Failures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A user's {@link HandlerInterceptor} as a stage. It must call {@code proceed()} exactly once: throwing (with anything
 * but the failure {@code proceed()} gave it), returning {@code null}, completing without proceeding, or proceeding twice
 * fails the call with an {@link InterceptorException} naming the interceptor.
 */
final class InterceptorStage implements CallStage {

    private final HandlerInterceptor interceptor;
    private final String name;

    InterceptorStage(HandlerInterceptor interceptor) {
        this.interceptor = interceptor;
        this.name = interceptor.getClass().getName();
    }

    @Override
    public CompletionStage<Void> apply(CallContext call, Next next) {
        AtomicReference<CompletableFuture<Void>> proceeded = new AtomicReference<>();
        HandlerInterceptor.Chain chain = new HandlerInterceptor.Chain() {
            @Override
            public Invocation invocation() {
                return call.invocation();
            }

            @Override
            public CompletionStage<Void> proceed() {
                CompletableFuture<Void> rest = new CompletableFuture<>();
                if (!proceeded.compareAndSet(null, rest)) {
                    return CompletableFuture.failedFuture(new InterceptorException("interceptor " + name
                            + " called proceed() more than once; it must call it exactly once", null));
                }
                next.proceed().whenComplete((ok, error) -> {
                    if (error == null) {
                        rest.complete(null);
                    } else {
                        rest.completeExceptionally(Failures.unwrap(error));
                    }
                });
                return rest;
            }
        };
        CompletionStage<Void> result;
        try {
            result = interceptor.intercept(chain);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(ownOrPassedOn(t, proceeded.get()));
        }
        if (result == null) {
            return CompletableFuture.failedFuture(new InterceptorException("interceptor " + name
                    + " returned null instead of the stage of proceed()", null));
        }
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        result.whenComplete((ok, error) -> {
            if (error != null) {
                outcome.completeExceptionally(ownOrPassedOn(error, proceeded.get()));
            } else if (proceeded.get() == null) {
                outcome.completeExceptionally(new InterceptorException("interceptor " + name
                        + " completed without calling proceed(); the handler never ran", null));
            } else {
                outcome.complete(null);
            }
        });
        return outcome;
    }

    /** The failure the rest of the chain gave, when the interceptor passed it on; else the interceptor's own, named. */
    private Throwable ownOrPassedOn(Throwable thrown, CompletableFuture<Void> rest) {
        Throwable cause = Failures.unwrap(thrown);
        if (rest != null && rest.isCompletedExceptionally()) {
            Throwable handlerFailure = Failures.unwrap(rest.handle((ok, error) -> error).join());
            if (handlerFailure == cause) {
                return cause;
            }
        }
        return new InterceptorException("interceptor " + name + " threw " + cause, cause);
    }

    @Override
    public String toString() {
        return "interceptor " + name;
    }
}
