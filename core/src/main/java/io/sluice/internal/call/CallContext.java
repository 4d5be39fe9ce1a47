package io.sluice.internal.call;

import io.sluice.Invocation;
import io.sluice.internal.handler.BatchBinding;
import java.util.List;
import java.util.function.Supplier;

/** What the stages of one call share: the call, the public view interceptors see, and the bound batch (if any). */
final class CallContext {

    private final HandlerCall call;
    private final Supplier<Invocation> view;
    private volatile Invocation invocation;
    private volatile BatchBinding batch;

    /** @param view makes the interceptors' view, on first use (a call through no interceptor never needs it) */
    CallContext(HandlerCall call, Supplier<Invocation> view) {
        this.call = call;
        this.view = view;
    }

    HandlerCall call() {
        return call;
    }

    Invocation invocation() {
        Invocation made = invocation;
        if (made == null) {
            made = view.get();
            invocation = made; // made from immutable facts: two threads making it at once make equal ones
        }
        return made;
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
