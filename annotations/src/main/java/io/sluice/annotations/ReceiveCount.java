package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds the message's {@code ApproximateReceiveCount} (1 on the first delivery) to an {@code int}, {@code long},
 * {@code Integer} or {@code Long} parameter of an {@link SqsHandler} method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ReceiveCount {
}
