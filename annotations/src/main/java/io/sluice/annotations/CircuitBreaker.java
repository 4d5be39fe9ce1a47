package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Guards an {@link SqsHandler} method with a circuit breaker: when too many recent calls failed, the breaker opens and
 * the queue's pollers stop receiving (no receive count is burnt, nothing reaches the dead-letter queue because of an
 * outage); after {@link #waitInOpenSeconds()} it lets {@link #permittedInHalfOpen()} probe messages through, and
 * closes (polling resumes) when they succeed. Poison messages do not count as failures.
 *
 * <p>Handlers naming the same {@link #name()} share one breaker (a shared downstream); the first definition wins.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CircuitBreaker {

    /** The breaker's name; empty means the queue's name. */
    String name() default "";

    /** Failure rate, in percent (1..100), at which the breaker opens. */
    int failureRateThreshold() default 50;

    /**
     * Calls recorded before the failure rate is computed (and the size of the sliding window); 0, the default, means
     * 100 or the queue's concurrency, whichever is larger, so that the first, fastest outcomes of a burst of concurrent
     * calls (failures often return first) cannot open the breaker on a healthy downstream.
     */
    int minimumCalls() default 0;

    /** How long the breaker stays open before probing, in seconds. */
    long waitInOpenSeconds() default 30;

    /** Probe messages let through while half-open. */
    int permittedInHalfOpen() default 3;
}
