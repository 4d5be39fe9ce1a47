package io.sluice.internal.call;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A queue's call stages in order; {@link #run} passes a call through them, the last one calling the handler. */
final class StageChain {

    private final List<CallStage> stages;

    StageChain(List<CallStage> stages) {
        this.stages = List.copyOf(stages);
    }

    CompletionStage<Void> run(CallContext call) {
        return proceed(call, 0);
    }

    private CompletionStage<Void> proceed(CallContext call, int index) {
        try {
            CompletionStage<Void> result = stages.get(index).apply(call, () -> proceed(call, index + 1));
            return result != null ? result : CompletableFuture.failedFuture(
                    new IllegalStateException(stages.get(index) + " returned null"));
        } catch (Throwable t) { // a stage must never lose the call
            return CompletableFuture.failedFuture(t);
        }
    }

    @Override
    public String toString() {
        return "StageChain" + stages;
    }
}
