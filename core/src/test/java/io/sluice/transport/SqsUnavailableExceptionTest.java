package io.sluice.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

class SqsUnavailableExceptionTest {

    private static Throwable sdk(Throwable cause) {
        return new CompletionException(SdkClientException.builder().message("Unable to execute HTTP request: "
                + cause.getMessage()).cause(cause).build());
    }

    @Test
    void namesWhyAnEndpointCannotBeReached() {
        assertThat(SqsUnavailableException.reason(sdk(new ConnectException("Connection refused: /127.0.0.1:9"))))
                .hasValue("connection refused");
        assertThat(SqsUnavailableException.reason(sdk(new UnknownHostException("sqs.nowhere.invalid"))))
                .hasValue("unknown host 'sqs.nowhere.invalid'");
        assertThat(SqsUnavailableException.reason(ApiCallTimeoutException.create(10_000)))
                .hasValue("timed out (no answer)");
        assertThat(SqsUnavailableException.reason(QueueDoesNotExistException.builder().message("no").statusCode(400)
                .build())).as("SQS answered").isEmpty();
    }

    @Test
    void aRefusedAttemptWinsOverATimeOutThatASlowMachineAddedToIt() {
        ApiCallTimeoutException timedOut = ApiCallTimeoutException.create(10_000);
        timedOut.addSuppressed(sdk(new ConnectException("Connection refused: /127.0.0.1:9")).getCause());
        Throwable wrapped = new CompletionException(SdkClientException.builder().message("attempt timed out")
                .cause(new ConnectException("Connection refused")).build());
        wrapped.getCause().addSuppressed(ApiCallTimeoutException.create(5_000));

        assertThat(SqsUnavailableException.reason(timedOut)).hasValue("connection refused");
        assertThat(SqsUnavailableException.reason(wrapped)).hasValue("connection refused");
    }

    @Test
    void aRefusedEarlierAttemptCountsThoughTheSdkKeepsOnlyItsMessage() {
        // As the SDK (2.57) reports a call whose last attempt waited out the connection pool's acquire timeout.
        SdkClientException last = SdkClientException.builder().message("Unable to execute HTTP request: Acquire"
                + " operation took longer than the configured maximum time.").cause(new java.util.concurrent
                .TimeoutException("Acquire operation took longer than 30000 milliseconds.")).build();
        for (int attempt = 1; attempt <= 3; attempt++) {
            last.addSuppressed(SdkClientException.create("Request attempt " + attempt + " failure: Unable to execute"
                    + " HTTP request: Connection refused: /127.0.0.1:42883"));
        }

        assertThat(SqsUnavailableException.reason(new CompletionException(last))).hasValue("connection refused");
    }
}
