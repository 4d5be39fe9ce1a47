package io.sluice.internal.call;

import io.sluice.internal.policy.HandlerTimeoutException;
import io.sluice.time.Durations;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels a call that runs longer than the queue's maximum processing time: its thread is interrupted (or its stage
 * cancelled) and the call fails with a {@link HandlerTimeoutException}, which is not retried in process.
 */
final class DeadlineStage implements CallStage {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineStage.class);

    private final Scheduler scheduler;
    private final Duration maxProcessingTime;
    private final String handler;

    DeadlineStage(Scheduler scheduler, Duration maxProcessingTime, String handler) {
        this.scheduler = scheduler;
        this.maxProcessingTime = maxProcessingTime;
        this.handler = handler;
    }

    @Override
    public CompletionStage<Void> apply(CallContext call, Next next) {
        Scheduler.Cancellable timer = scheduler.schedule(maxProcessingTime, () -> {
            if (call.call().cancel(new HandlerTimeoutException(handler, maxProcessingTime))) {
                LOG.warn("{} exceeded its maximum processing time of {} for {}: cancelled", handler,
                        Durations.format(maxProcessingTime), call.deliveries());
            }
        });
        call.call().outcome().whenComplete((ok, error) -> timer.cancel());
        return next.proceed();
    }

    @Override
    public String toString() {
        return "max processing time " + Durations.format(maxProcessingTime);
    }
}
