package io.sluice.internal.call;

import java.util.concurrent.CompletionStage;

/**
 * One stage around a handler call, in a queue's chain: breaker admission, maximum processing time, the user's
 * interceptors, binding and invoking. A stage calls {@link Next#proceed()} once to run the rest of the chain and returns
 * (or continues) the stage it got; the last stage calls the handler. OkHttp's {@code Interceptor.Chain} is the model.
 */
interface CallStage {

    /** Runs this stage around the rest of the chain. */
    CompletionStage<Void> apply(CallContext call, Next next) throws Exception;

    /** The rest of the chain. */
    interface Next {
        CompletionStage<Void> proceed();
    }
}
