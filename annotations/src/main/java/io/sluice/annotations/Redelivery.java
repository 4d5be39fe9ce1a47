package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What happens once a delivery's in-process attempts ({@link Retry}) are spent: before {@link #maxAttempts()}
 * deliveries, the message is made visible again after a back-off computed from its receive count (exponential with
 * jitter, capped); on delivery number {@link #maxAttempts()} it is dead-lettered with the reason attached.
 *
 * <p>{@link #maxAttempts()} counts deliveries (receives), not handler calls: at most {@code maxAttempts × attempts}
 * handler calls in all. With a {@code RedrivePolicy} on the queue it must not exceed its {@code maxReceiveCount} (SQS
 * would move the message first); by default it equals it. External configuration ({@code
 * sluice.queues.<queue>.max-attempts}) overrides it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Redelivery {

    /** Deliveries before dead-lettering, 1..1000; {@code 0} means the queue's maxReceiveCount, or the default 3. */
    int maxAttempts() default 0;

    /** Back-off after the first failed delivery, in seconds; {@code 0} means the worker's default (5 s). */
    long backoffSeconds() default 0;

    /** The longest back-off, in seconds, at most 12 h; {@code 0} means the worker's default (15 min). */
    long maxBackoffSeconds() default 0;
}
