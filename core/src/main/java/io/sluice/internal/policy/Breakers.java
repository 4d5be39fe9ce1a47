package io.sluice.internal.policy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.sluice.BreakerPolicy;
import io.sluice.CircuitState;
import io.sluice.WorkerEvent;
import io.sluice.internal.events.Events;
import io.sluice.time.Scheduler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breakers of one worker, by name: queues naming the same breaker share it (the first queue's policy
 * wins). Each breaker runs on the worker's clock, records failures only for what it is given (poison is released, not
 * recorded), and has its state transitions logged and published as {@link WorkerEvent.CircuitStateChanged}.
 */
public final class Breakers {

    private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);

    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    private final Scheduler scheduler;
    private final Events events;
    private final Map<String, Integer> concurrency;

    /**
     * @param concurrency by breaker name, the handlers that run at once in all the queues it guards: the window of a
     *                    breaker without an explicit {@code minimumCalls} is at least that
     */
    public Breakers(Scheduler scheduler, Events events, Map<String, Integer> concurrency) {
        this.scheduler = scheduler;
        this.events = events;
        this.concurrency = Map.copyOf(concurrency);
    }

    /** The breaker named {@code name}, created from {@code policy} the first time. */
    public synchronized CircuitBreaker breaker(String name, BreakerPolicy policy) {
        if (registry.find(name).isPresent()) {
            return registry.find(name).get();
        }
        int guarded = concurrency.getOrDefault(name, 1);
        int window = policy.effectiveMinimumCalls(guarded);
        if (window < guarded) {
            LOG.warn("Circuit breaker '{}': minimumCalls {} is below the {} handlers its queues run at once; the first,"
                    + " fastest outcomes of a burst (failures often return first) can open it on a healthy downstream."
                    + " Leave minimumCalls unset for max({}, concurrency)", name, window, guarded,
                    BreakerPolicy.DEFAULT_MINIMUM_CALLS);
        }
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .clock(scheduler.clock())
                .failureRateThreshold(policy.failureRateThreshold())
                .minimumNumberOfCalls(window)
                .slidingWindow(window, window, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .waitDurationInOpenState(policy.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(policy.permittedInHalfOpen())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        CircuitBreaker breaker = registry.circuitBreaker(name, config);
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitState from = map(event.getStateTransition().getFromState());
            CircuitState to = map(event.getStateTransition().getToState());
            if (from == to) {
                return;
            }
            if (to == CircuitState.OPEN) {
                LOG.warn("Circuit breaker '{}' {} -> {}: polling of its queues pauses for {}", name, from, to,
                        io.sluice.time.Durations.format(policy.waitInOpen()));
            } else {
                LOG.info("Circuit breaker '{}' {} -> {}{}", name, from, to,
                        to == CircuitState.CLOSED ? ": polling resumes" : ": letting probe messages through");
            }
            events.publish(new WorkerEvent.CircuitStateChanged(name, from, to));
        });
        return breaker;
    }

    /** Sluice's name for a breaker state. */
    public static CircuitState map(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
            default -> CircuitState.CLOSED;
        };
    }
}
