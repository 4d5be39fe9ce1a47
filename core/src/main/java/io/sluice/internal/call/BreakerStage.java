package io.sluice.internal.call;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
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
        DownstreamOutcome outcome = DownstreamOutcome.of(call, error, countsAsFailure);
        switch (outcome.verdict()) {
            case SUCCEEDED -> breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            case FAILED -> breaker.onError(nanos, TimeUnit.NANOSECONDS, outcome.failure());
            case NEUTRAL -> breaker.releasePermission(); // poison, or a stop: says nothing about the downstream
        }
    }

    @Override
    public String toString() {
        return "breaker admission '" + breaker.getName() + "'";
    }
}
