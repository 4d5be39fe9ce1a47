package io.sluice.internal.call;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sluice.Batch;
import io.sluice.internal.handler.BatchBinding;
import io.sluice.internal.support.Failures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The first stage: the circuit breaker must admit the call (else it fails with {@link NotAdmitted}, which is not a
 * failure: the delivery is held or released). When the call ends, its outcome is recorded: success; a failure that
 * counts against the downstream (a retryable one); nothing for poison, a cancellation at stop, or a batch call whose
 * items were not all failed (a batch call is one call: it failed only if it threw or every item failed).
 */
final class BreakerStage implements CallStage {

    private final CircuitBreaker breaker;
    private final Predicate<Throwable> countsAsFailure;
    private final Clock clock;

    BreakerStage(CircuitBreaker breaker, Predicate<Throwable> countsAsFailure, Clock clock) {
        this.breaker = breaker;
        this.countsAsFailure = countsAsFailure;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> apply(CallContext call, Next next) {
        if (!breaker.tryAcquirePermission()) {
            throw NotAdmitted.INSTANCE;
        }
        Instant started = clock.instant();
        call.call().outcome().whenComplete((ok, error) -> record(call, error, started));
        return next.proceed();
    }

    private void record(CallContext call, Throwable error, Instant started) {
        long nanos = Duration.between(started, clock.instant()).toNanos();
        Throwable failure = error != null ? Failures.unwrap(error) : allItemsFailed(call.batch());
        if (failure == null) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        } else if (!(failure instanceof ShutdownCancellation) && countsAsFailure.test(failure)) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
        } else {
            breaker.releasePermission(); // poison, or a stop: says nothing about the downstream
        }
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

    @Override
    public String toString() {
        return "breaker admission '" + breaker.getName() + "'";
    }
}
