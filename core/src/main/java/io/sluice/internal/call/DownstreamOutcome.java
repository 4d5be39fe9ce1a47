package io.sluice.internal.call;

import io.sluice.Batch;
import io.sluice.internal.handler.BatchBinding;
import io.sluice.internal.support.Failures;
import java.util.function.Predicate;

/**
 * What an ended call says about the downstream, for the circuit breaker and the adaptive concurrency limit alike: it
 * succeeded; it failed in a way that counts against the downstream (a retryable failure; a batch call failed only if it
 * threw or every item failed); or nothing (poison, a cancellation at stop, a batch call whose items did not all fail).
 *
 * @param failure the failure when it failed, else {@code null}
 */
record DownstreamOutcome(Verdict verdict, Throwable failure) {

    enum Verdict { SUCCEEDED, FAILED, NEUTRAL }

    private static final DownstreamOutcome SUCCEEDED = new DownstreamOutcome(Verdict.SUCCEEDED, null);
    private static final DownstreamOutcome NEUTRAL = new DownstreamOutcome(Verdict.NEUTRAL, null);

    static DownstreamOutcome of(CallContext call, Throwable error, Predicate<Throwable> countsAsFailure) {
        Throwable failure = error != null ? Failures.unwrap(error) : allItemsFailed(call.batch());
        if (failure == null) {
            return SUCCEEDED;
        }
        if (!(failure instanceof ShutdownCancellation) && countsAsFailure.test(failure)) {
            return new DownstreamOutcome(Verdict.FAILED, failure);
        }
        return NEUTRAL;
    }

    /** The first item's failure when every item of a batch call failed, else {@code null}. */
    private static Throwable allItemsFailed(BatchBinding binding) {
        if (binding == null || binding.batch().size() == 0) {
            return null;
        }
        Throwable first = null;
        for (Batch.Item<Object> item : binding.batch()) {
            if (!item.failed()) {
                return null;
            }
            first = first == null ? item.failure() : first;
        }
        return first;
    }
}
