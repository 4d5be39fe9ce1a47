package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds all message attributes to a {@code Map<String, String>} parameter (string and number values; binary values are
 * Base64) or a {@code Map<String, MessageAttributeValue>} parameter of an {@link SqsHandler} method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface MessageAttributes {
}
