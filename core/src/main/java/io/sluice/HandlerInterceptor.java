package io.sluice;

import java.util.concurrent.CompletionStage;

/**
 * Wraps every handler call of a worker: acts before and after it, or around it (MDC, timing, tracing, auditing).
 * Interceptors form a chain, in the order registered; the handler itself is the end of the chain. Each one calls
 * {@link Chain#proceed()} exactly once and returns (or continues) the stage it got:
 *
 * <pre>{@code
 * final class MdcInterceptor implements HandlerInterceptor {
 *     public CompletionStage<Void> intercept(Chain chain) throws Exception {
 *         MDC.put("queue", chain.invocation().queue());
 *         try {
 *             return chain.proceed();          // a blocking handler runs inside this call
 *         } finally {
 *             MDC.remove("queue");
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>The returned stage completes when the handler call is over: normally when it succeeded (for a batch, with its
 * items' own outcomes), exceptionally with its failure. An interceptor that throws, returns without calling {@code
 * proceed()}, or calls it twice makes the call fail with an {@link InterceptorException} naming it; the message then
 * follows its queue's retry policy like any failure. Interceptors run only for calls the circuit breaker admitted, on
 * the handler's thread, within the call's maximum processing time. Register them with {@code
 * Worker.Builder.interceptor(...)} or, with Guice, a {@code Multibinder<HandlerInterceptor>}.
 *
 * <p>Implementations must be thread safe: calls of all queues run through one instance concurrently.
 */
@FunctionalInterface
public interface HandlerInterceptor {

    /** Intercepts one handler call; calls {@code chain.proceed()} exactly once. */
    CompletionStage<Void> intercept(Chain chain) throws Exception;

    /** The rest of the chain, and what the call is about. */
    interface Chain {
        /** The call: queue, handler, messages. */
        Invocation invocation();

        /**
         * Runs the rest of the chain and the handler. For a blocking handler the handler has run when this returns;
         * for an asynchronous one, the stage completes when its stage does.
         */
        CompletionStage<Void> proceed();
    }
}
