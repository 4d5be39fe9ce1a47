package io.sluice.internal.call;

import io.sluice.internal.limit.AdaptiveLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * Samples each call for the queue's {@link AdaptiveLimiter}: how long it took, how many calls ran when it started, and
 * whether it failed against the downstream ({@link DownstreamOutcome}); a call that says nothing about the downstream
 * (poison, a stop) is no sample. It comes after the breaker's admission: a call the breaker refuses never ran.
 */
final class LimitStage implements CallStage {

    private final AdaptiveLimiter limiter;
    private final Predicate<Throwable> countsAsFailure;
    private final IntSupplier calling;
    private final Clock clock;

    LimitStage(AdaptiveLimiter limiter, Predicate<Throwable> countsAsFailure, IntSupplier calling, Clock clock) {
        this.limiter = limiter;
        this.countsAsFailure = countsAsFailure;
        this.calling = calling;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> apply(CallContext call, Next next) {
        Instant started = clock.instant();
        int inFlight = calling.getAsInt();
        call.call().outcome().whenComplete((ok, error) -> {
            DownstreamOutcome outcome = DownstreamOutcome.of(call, error, countsAsFailure);
            if (outcome.verdict() != DownstreamOutcome.Verdict.NEUTRAL) {
                long nanos = Duration.between(started, clock.instant()).toNanos();
                limiter.onSample(nanos, inFlight, outcome.verdict() == DownstreamOutcome.Verdict.FAILED);
            }
        });
        return next.proceed();
    }

    @Override
    public String toString() {
        return "adaptive concurrency " + limiter;
    }
}
