package io.sluice.internal.support;

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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * What a failed SQS call or stage means, decided in one place: the cause behind the future's wrapper, whether retrying
 * can help (a 4xx that is not throttling cannot), and whether the endpoint itself is unreachable (and why, in words).
 */
public final class Failures {

    private Failures() {
    }

    /** The cause behind {@link CompletionException} and {@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Whether SQS refused the call for the sender's fault (a 4xx that is not throttling): trying again cannot help.
     * Everything else (5xx, throttling, a failed connection, a timeout) is transient.
     */
    public static boolean isPermanent(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof AwsServiceException service && service.statusCode() >= 400
                && service.statusCode() < 500 && !service.isThrottlingException();
    }

    /** The message of the outermost cause (behind future wrappers) that has one, on one line. */
    public static String rootMessage(Throwable error) {
        for (Throwable cause = unwrap(error); cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage().replaceAll("\\s*\\R\\s*", " ");
            }
        }
        return unwrap(error).getClass().getSimpleName();
    }

    /**
     * Why the endpoint could not be reached, in a few words ({@code connection refused}, {@code timed out}, {@code
     * unknown host 'x'}, ...), when that is what {@code error} means; empty when the endpoint answered (an SQS error) or
     * the failure is something else. Every cause is read, and the earlier attempts the SDK attaches as suppressed: an
     * answer about the endpoint itself (unknown host, refused, TLS, reset) wins over a time-out, which a slow machine
     * can add to any of them.
     */
    public static Optional<String> unreachable(Throwable error) {
        Deque<Throwable> pending = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        pending.add(unwrap(error));
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
            } else if (cause instanceof ConnectException) {
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
