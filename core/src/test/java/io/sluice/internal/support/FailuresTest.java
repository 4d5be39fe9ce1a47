package io.sluice.internal.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class FailuresTest {

    private static Throwable sdk(Throwable cause) {
        return new CompletionException(SdkClientException.builder().message("Unable to execute HTTP request: "
                + cause.getMessage()).cause(cause).build());
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
