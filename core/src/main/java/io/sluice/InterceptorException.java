package io.sluice;

/** A {@link HandlerInterceptor} broke the chain: it threw, never proceeded, or proceeded twice. Names the interceptor. */
public final class InterceptorException extends SluiceException {

    public InterceptorException(String message, Throwable cause) {
        super(message, cause);
    }
}
