package io.sluice.internal.handler;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Parameter;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Produces one handler argument from a received message. Binders are created once per parameter at startup and must be
 * thread safe.
 */
interface ArgumentBinder {

    /**
     * The argument for {@code message}.
     *
     * @throws BindingFailure when the message cannot supply it (malformed body, missing required attribute)
     */
    Object bind(Message message) throws BindingFailure;

    /** Whether this binder consumes the message body (at most one per handler may). */
    default boolean bindsPayload() {
        return false;
    }

    /** Creates binders for the parameters it recognises. */
    interface Factory {

        /**
         * A binder for {@code parameter}, or {@code null} if this factory does not handle it.
         *
         * @throws IllegalArgumentException if the parameter is this factory's but declared wrongly; the message says
         *                                  what is allowed
         */
        ArgumentBinder create(Parameter parameter, ObjectMapper mapper);
    }

    /** Why a message could not be bound; carries no message body. */
    final class BindingFailure extends Exception {
        BindingFailure(String reason, Throwable cause) {
            super(reason, cause, false, false);
        }
    }
}
