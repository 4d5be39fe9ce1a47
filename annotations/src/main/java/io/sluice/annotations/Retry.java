package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * In-process retry of an {@link SqsHandler} method: when the handler fails with a retryable exception, Sluice calls it
 * again on the same delivery (the message stays invisible meanwhile) after an exponential delay, up to {@link
 * #attempts()} calls per delivery. When those are spent, the {@link Redelivery} policy takes over.
 *
 * <p>An exception is retryable when it is an instance of one of {@link #retryOn()} (every exception when empty) and of
 * none of {@link #noRetryOn()}. A non-retryable exception makes the message poison: it is dead-lettered on this
 * receive. A message whose body cannot be bound ({@code MessageBindingException}) is always poison. External
 * configuration ({@code sluice.queues.<queue>.retry.attempts}) overrides {@link #attempts()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Retry {

    /** Handler calls per delivery, 1..10 (1: no in-process retry); {@code 0} means the worker's default (3). */
    int attempts() default 0;

    /** Wait before the first in-process retry, in milliseconds; {@code 0} means the worker's default (200 ms). */
    long delayMillis() default 0;

    /** Each further wait is the previous one times this, at least 1; {@code 0} means the worker's default (2). */
    double multiplier() default 0;

    /** The exceptions worth retrying; empty means every exception not in {@link #noRetryOn()}. */
    Class<? extends Throwable>[] retryOn() default {};

    /** Exceptions that retrying cannot fix (validation failures...): the message is dead-lettered at once. */
    Class<? extends Throwable>[] noRetryOn() default {};
}
