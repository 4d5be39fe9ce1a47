package io.sluice.internal.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class FailuresTest {

    private static Throwable sdk(Throwable cause) {
        return new CompletionException(SdkClientException.builder().message("Unable to execute HTTP request: "
                + cause.getMessage()).cause(cause).build());
    }

    @Test
    void namesWhyAnEndpointCannotBeReached() {
        assertThat(Failures.unreachable(sdk(new ConnectException("Connection refused: /127.0.0.1:9"))))
                .hasValue("connection refused");
        assertThat(Failures.unreachable(sdk(new UnknownHostException("sqs.nowhere.invalid"))))
                .hasValue("unknown host 'sqs.nowhere.invalid'");
        assertThat(Failures.unreachable(ApiCallTimeoutException.create(10_000))).hasValue("timed out (no answer)");
        assertThat(Failures.unreachable(QueueDoesNotExistException.builder().message("no").statusCode(400).build()))
                .as("SQS answered").isEmpty();
    }

    @Test
    void aRefusedAttemptWinsOverATimeOutThatASlowMachineAddedToIt() {
        ApiCallTimeoutException timedOut = ApiCallTimeoutException.create(10_000);
        timedOut.addSuppressed(sdk(new ConnectException("Connection refused: /127.0.0.1:9")).getCause());
        Throwable wrapped = new CompletionException(SdkClientException.builder().message("attempt timed out")
                .cause(new ConnectException("Connection refused")).build());
        wrapped.getCause().addSuppressed(ApiCallTimeoutException.create(5_000));

        assertThat(Failures.unreachable(timedOut)).hasValue("connection refused");
        assertThat(Failures.unreachable(wrapped)).hasValue("connection refused");
    }

    @Test
    void onlyAFourHundredThatIsNotThrottlingIsPermanent() {
        assertThat(Failures.isPermanent(new CompletionException(
                SqsException.builder().statusCode(400).message("bad").build()))).isTrue();
        assertThat(Failures.isPermanent(SqsException.builder().statusCode(500).build())).isFalse();
        assertThat(Failures.isPermanent(SqsException.builder().statusCode(400)
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode("ThrottlingException").build()).build())).isFalse();
        assertThat(Failures.isPermanent(sdk(new ConnectException("refused")))).isFalse();
    }

    @Test
    void rootMessageIsOneLine() {
        assertThat(Failures.rootMessage(new CompletionException(new IllegalStateException("two\n  lines"))))
                .isEqualTo("two lines");
    }
}
