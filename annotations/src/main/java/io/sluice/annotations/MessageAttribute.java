package io.sluice.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds one message attribute to a parameter of an {@link SqsHandler} method: its string value to a {@code String}
 * parameter, or the whole SDK {@code MessageAttributeValue}. The parameter is {@code null} when the message does not
 * carry the attribute, unless {@link #required()} is set, in which case such a message fails the handler.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface MessageAttribute {

    /** The attribute's name. */
    String value();

    /** Whether a message without this attribute is a failure rather than a {@code null} argument. */
    boolean required() default false;
}
