package io.sluice.internal.support;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
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
     * the failure is something else.
     */
    public static Optional<String> unreachable(Throwable error) {
        for (Throwable cause = unwrap(error); cause != null; cause = cause.getCause()) {
            String type = cause.getClass().getName();
            if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException
                    || cause instanceof SocketTimeoutException || type.endsWith("ConnectTimeoutException")
                    || type.endsWith("ReadTimeoutException") || type.endsWith(".TimeoutException")) {
                return Optional.of("timed out (no answer)");
            }
            if (cause instanceof UnknownHostException) {
                return Optional.of("unknown host '" + cause.getMessage() + "'");
            }
            if (cause instanceof NoRouteToHostException) {
                return Optional.of("no route to host");
            }
            if (cause instanceof ConnectException) {
                return Optional.of("connection refused");
            }
            if (cause instanceof SSLException) {
                return Optional.of("TLS failed (" + cause.getMessage() + ")");
            }
            if (type.endsWith("ClosedChannelException") || String.valueOf(cause.getMessage()).contains(
                    "Connection reset")) {
                return Optional.of("connection reset");
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }
}
