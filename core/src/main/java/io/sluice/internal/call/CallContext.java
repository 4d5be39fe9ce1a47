package io.sluice.internal.call;

import io.sluice.Invocation;
import io.sluice.internal.handler.BatchBinding;
import java.util.List;

/** What the stages of one call share: the call, the public view interceptors see, and the bound batch (if any). */
final class CallContext {

    private final HandlerCall call;
    private final Invocation invocation;
    private volatile BatchBinding batch;

    CallContext(HandlerCall call, Invocation invocation) {
        this.call = call;
        this.invocation = invocation;
    }

    HandlerCall call() {
        return call;
    }

    Invocation invocation() {
        return invocation;
    }

    List<DeliveryState> deliveries() {
        return call.deliveries();
    }

    /** The batch the invoke stage bound, or {@code null} (single handlers, or not bound yet). */
    BatchBinding batch() {
        return batch;
    }

    void batch(BatchBinding bound) {
        this.batch = bound;
    }
}
