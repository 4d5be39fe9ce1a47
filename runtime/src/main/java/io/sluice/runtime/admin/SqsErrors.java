package io.sluice.runtime.admin;

import io.sluice.transport.SqsUnavailableException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Words an SQS call's failure for one line of the CLI's output, and classifies it. */
final class SqsErrors {

    /** Error codes by which a server says it does not offer an action. */
    private static final Set<String> UNSUPPORTED = Set.of("UnsupportedOperation",
            "AWS.SimpleQueueService.UnsupportedOperation", "InvalidAction", "UnknownOperation",
            "UnknownOperationException", "NotImplemented");

    private SqsErrors() {
    }

    /** The failure itself, without the wrappers a future adds. */
    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Why the call failed, in a few words: SQS's error code and message, or why the endpoint could not be reached (as
     * the worker's startup words it, {@link SqsUnavailableException#reason}).
     *
     * @param where the endpoint, as {@link SqsSession#where()} describes it
     */
    static String describe(Throwable error, String where) {
        Throwable cause = unwrap(error);
        if (cause instanceof QueueDoesNotExistException) {
            return "the queue does not exist";
        }
        if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails().errorMessage();
            return (code == null ? "HTTP " + service.statusCode() : code) + (message == null ? "" : ": " + message);
        }
        Optional<String> unreachable = SqsUnavailableException.reason(cause);
        if (unreachable.isPresent()) {
            return "cannot reach SQS at " + where + ": " + unreachable.get();
        }
        if (cause instanceof SdkClientException) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return "cannot call SQS at " + where + ": " + (root.getMessage() != null ? root.getMessage() : root);
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    /**
     * Whether the server refused the call because it does not offer the action (an older SQS-compatible server): an
     * unsupported-operation or unknown-action error code, or an HTTP 400/404/501 without any error code.
     */
    static boolean unsupported(Throwable error) {
        Throwable cause = unwrap(error);
        if (!(cause instanceof AwsServiceException service)) {
            return false;
        }
        String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
        if (code == null || code.isBlank()) {
            return service.statusCode() == 400 || service.statusCode() == 404 || service.statusCode() == 501;
        }
        return UNSUPPORTED.contains(code);
    }
}
