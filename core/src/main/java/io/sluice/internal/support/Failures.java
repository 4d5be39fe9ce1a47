package io.sluice.internal.support;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What a failed SQS call or stage means, decided in one place: the cause behind the future's wrapper, whether retrying
 * can help (a 4xx that is not throttling cannot). Why an endpoint is unreachable is worded by the public
 * {@code io.sluice.transport.SqsUnavailableException#reason}, which the admin CLI uses too.
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
}
