package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs an {@link SqsHandler} method under an adaptive concurrency limit instead of a fixed one: the limit rises while
 * the handler's latency holds and falls when its latency climbs or its calls fail, between {@link #min()} and {@link
 * #max()}. External configuration ({@code sluice.queues.<queue>.adaptive-concurrency.*}) overrides these values.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AdaptiveConcurrency {

    /** {@code vegas} (the default: keeps latency near the unloaded latency) or {@code gradient}. */
    String algorithm() default "vegas";

    /** The lowest limit. */
    int min() default 1;

    /** The highest limit; 0, the default, means the handler's concurrency. */
    int max() default 0;

    /** The starting limit; 0, the default, means 10 (within the bounds). */
    int initial() default 0;
}
