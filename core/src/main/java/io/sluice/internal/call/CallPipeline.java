package io.sluice.internal.call;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sluice.HandlerInterceptor;
import io.sluice.internal.events.Events;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.limit.AdaptiveLimiter;
import io.sluice.internal.polling.Permits;
import io.sluice.internal.policy.FailurePolicy;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Assembles one queue's call pipeline: the chain of stages (breaker admission, the adaptive limit's sample, maximum
 * processing time, the logging
 * context, the user's interceptors in order, bind and invoke), the {@link CallRunner} that runs calls through it, and the {@link
 * CallOutcomes} that settle what the calls return.
 */
public final class CallPipeline {

    private HandlerMethod handler;
    private Executor executor;
    private Scheduler scheduler;
    private Events events;
    private FailurePolicy policy;
    private CircuitBreaker breaker;
    private Duration maxProcessingTime;
    private final List<HandlerInterceptor> interceptors = new ArrayList<>();
    private boolean ordered;
    private AdaptiveLimiter limiter;
    private Permits starts;

    private CallPipeline() {
    }

    public static CallPipeline builder() {
        return new CallPipeline();
    }

    public CallPipeline handler(HandlerMethod handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    public CallPipeline executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    public CallPipeline scheduler(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    public CallPipeline events(Events events) {
        this.events = Objects.requireNonNull(events, "events");
        return this;
    }

    public CallPipeline failurePolicy(FailurePolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** The breaker guarding the handler ({@code null} for none). */
    public CallPipeline breaker(CircuitBreaker breaker) {
        this.breaker = breaker;
        return this;
    }

    /** The longest call before it is cancelled; {@code null} for no limit. */
    public CallPipeline maxProcessingTime(Duration maxProcessingTime) {
        this.maxProcessingTime = maxProcessingTime;
        return this;
    }

    /** FIFO: in a batch call, the messages after a failed one of its group come back after it. */
    public CallPipeline ordered(boolean ordered) {
        this.ordered = ordered;
        return this;
    }

    /** Samples each call for this adaptive concurrency limit ({@code null}: a fixed concurrency). */
    public CallPipeline limiter(AdaptiveLimiter limiter) {
        this.limiter = limiter;
        return this;
    }

    /** The call slots when the queue holds more messages than may run (prefetch); {@code null}: no wait. */
    public CallPipeline starts(Permits starts) {
        this.starts = starts;
        return this;
    }

    public CallPipeline interceptors(List<HandlerInterceptor> interceptors) {
        this.interceptors.addAll(interceptors);
        return this;
    }

    public CallRunner build() {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(policy, "policy");
        List<CallStage> stages = new ArrayList<>();
        CallRunner[] runner = new CallRunner[1];
        CallOutcomes[] outcomes = new CallOutcomes[1];
        if (breaker != null) {
            stages.add(new BreakerStage(breaker, cause -> outcomes[0].countsAsFailure(cause), scheduler.clock()));
        }
        if (limiter != null) {
            stages.add(new LimitStage(limiter, cause -> outcomes[0].countsAsFailure(cause), () -> runner[0].calling(),
                    scheduler.clock()));
        }
        if (maxProcessingTime != null) {
            stages.add(new DeadlineStage(scheduler, maxProcessingTime, handler.name()));
        }
        stages.add(new MdcStage(handler.queue(), handler.name()));
        interceptors.forEach(interceptor -> stages.add(new InterceptorStage(interceptor)));
        stages.add(new InvokeStage(handler, events, scheduler.clock()));
        runner[0] = new CallRunner(handler, executor, scheduler, new StageChain(stages), starts);
        outcomes[0] = new CallOutcomes(runner[0], policy, events, scheduler.clock(), handler.queue(), ordered);
        runner[0].outcomes(outcomes[0]);
        return runner[0];
    }
}
