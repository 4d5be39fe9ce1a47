package io.sluice.testing.faults;

import java.net.ConnectException;
import java.net.SocketException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The exceptions the AWS SDK raises for each kind of failed call, built as it builds them (class, status, error code,
 * cause), so that code under test classifies them as it would the SDK's. Messages say the fault was injected.
 */
final class InjectedErrors {

    /** The SQS error code of {@link Fault#THROTTLING}; the SDK counts it as throttling. */
    static final String THROTTLED_CODE = "RequestThrottled";
    /** The SQS error code of {@link Fault#SERVER_ERROR}, and of an entry failed by {@link Fault#PARTIAL_BATCH}. */
    static final String INTERNAL_ERROR_CODE = "InternalError";

    private InjectedErrors() {
    }

    /** What a call failed by {@code fault} completes with. */
    static Throwable of(Fault fault, SqsAction action, FaultPlan plan) {
        return switch (fault) {
            case THROTTLING -> service(RequestThrottledException.builder(), 400, THROTTLED_CODE,
                    "Rate exceeded for " + action + " (injected)");
            case SERVER_ERROR -> service(SqsException.builder(), 500, INTERNAL_ERROR_CODE,
                    "We encountered an internal error. Please try again. (" + action + ", injected)");
            case TIMEOUT -> ApiCallAttemptTimeoutException.builder()
                    .message("HTTP request execution did not complete before the specified timeout configuration: "
                            + plan.timeoutAfter().toMillis() + " millis (" + action + ", injected)")
                    .build();
            case CONNECTION_RESET, LOST_RESPONSE -> SdkClientException.builder()
                    .message("Unable to execute HTTP request: Connection reset (" + action + ", injected"
                            + (fault == Fault.LOST_RESPONSE ? " after the server took the request)" : ")"))
                    .cause(new SocketException("Connection reset"))
                    .build();
            case CONNECTION_REFUSED -> SdkClientException.builder()
                    .message("Unable to execute HTTP request: Connection refused (" + action + ", injected)")
                    .cause(new ConnectException("Connection refused"))
                    .build();
            case LATENCY, PARTIAL_BATCH -> throw new IllegalArgumentException(fault + " does not fail a call");
        };
    }

    private static SqsException service(SqsException.Builder builder, int status, String code, String message) {
        return (SqsException) builder
                .message(message)
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Sqs")
                        .build())
                .build();
    }
}
