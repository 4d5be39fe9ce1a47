package io.sluice.transport;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

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

    /**
     * Why the endpoint could not be reached, in a few words ({@code connection refused}, {@code timed out}, {@code
     * unknown host 'x'}, ...), when that is what {@code error} means; empty when the endpoint answered (an SQS error) or
     * the failure is something else. Every cause is read, and the earlier attempts the SDK attaches as suppressed (by
     * their message: the SDK keeps no cause on them): an answer about the endpoint itself (unknown host, refused, TLS,
     * reset) wins over a time-out, which a slow machine can add to any of them.
     */
    public static Optional<String> reason(Throwable error) {
        Deque<Throwable> pending = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        pending.add(error); // a future's wrapper is read like any other cause
        boolean timedOut = false;
        String definite = null;
        int definiteRank = Integer.MAX_VALUE;
        while (!pending.isEmpty() && seen.size() < 64) {
            Throwable cause = pending.poll();
            if (!seen.add(cause)) {
                continue;
            }
            String type = cause.getClass().getName();
            if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException
                    || cause instanceof SocketTimeoutException || type.endsWith("ConnectTimeoutException")
                    || type.endsWith("ReadTimeoutException") || type.endsWith(".TimeoutException")) {
                timedOut = true;
            }
            String answer = null;
            int rank = Integer.MAX_VALUE;
            if (cause instanceof UnknownHostException) {
                answer = "unknown host '" + cause.getMessage() + "'";
                rank = 0;
            } else if (cause instanceof NoRouteToHostException) {
                answer = "no route to host";
                rank = 1;
            } else if (cause instanceof ConnectException
                    || String.valueOf(cause.getMessage()).contains("Connection refused")) {
                answer = "connection refused";
                rank = 2;
            } else if (cause instanceof SSLException) {
                answer = "TLS failed (" + cause.getMessage() + ")";
                rank = 3;
            } else if (type.endsWith("ClosedChannelException") || String.valueOf(cause.getMessage()).contains(
                    "Connection reset")) {
                answer = "connection reset";
                rank = 4;
            }
            if (answer != null && rank < definiteRank) {
                definite = answer;
                definiteRank = rank;
            }
            if (cause.getCause() != null) {
                pending.add(cause.getCause());
            }
            pending.addAll(Arrays.asList(cause.getSuppressed()));
        }
        if (definite != null) {
            return Optional.of(definite);
        }
        return timedOut ? Optional.of("timed out (no answer)") : Optional.empty();
    }
}
