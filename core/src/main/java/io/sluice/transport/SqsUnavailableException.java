package io.sluice.transport;

/**
 * SQS cannot be used at all, for a reason outside the handlers: the client cannot be built (no region is configured)
 * or its endpoint does not answer (connection refused, timed out, unknown host). The message is one line naming the
 * endpoint or the missing setting and the root cause, e.g. {@code cannot reach SQS at http://localhost:9324 (region
 * us-east-1): connection refused, while resolving queue 'orders' for OrderProcessor.process}.
 */
public final class SqsUnavailableException extends RuntimeException {

    public SqsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
