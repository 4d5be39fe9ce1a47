package io.sluice.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsErrorsTest {

    private static SqsException error(int status, String code) {
        return (SqsException) SqsException.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode(code).errorMessage("the message").build()).build();
    }

    @Test
    void aServerWithoutTheActionIsToldApartFromOtherErrors() {
        assertThat(SqsErrors.unsupported(error(400, "AWS.SimpleQueueService.UnsupportedOperation"))).isTrue();
        assertThat(SqsErrors.unsupported(new ExecutionException(error(400, "UnsupportedOperation")))).isTrue();
        assertThat(SqsErrors.unsupported(error(400, "InvalidAction"))).isTrue();
        assertThat(SqsErrors.unsupported(SqsException.builder().statusCode(404).build())).as("no code").isTrue();
        assertThat(SqsErrors.unsupported(error(400, "InvalidParameterValue"))).isFalse();
        assertThat(SqsErrors.unsupported(error(403, "AccessDenied"))).isFalse();
        assertThat(SqsErrors.unsupported(SdkClientException.create("refused"))).isFalse();
    }

    @Test
    void describesAnSqsErrorByItsCodeAndAnUnreachableEndpointByWhy() {
        String where = "http://127.0.0.1:9 (region us-east-1)";

        assertThat(SqsErrors.describe(new CompletionException(error(403, "AccessDenied")), where))
                .isEqualTo("AccessDenied: the message");
        assertThat(SqsErrors.describe(QueueDoesNotExistException.builder().statusCode(400).build(), where))
                .isEqualTo("the queue does not exist");
        assertThat(SqsErrors.describe(new ExecutionException(SdkClientException.builder().message("Unable to execute"
                + " HTTP request").cause(new ConnectException("Connection refused")).build()), where))
                .isEqualTo("cannot reach SQS at " + where + ": connection refused");
        assertThat(SqsErrors.describe(SdkClientException.create("Unable to load credentials"), where))
                .isEqualTo("cannot call SQS at " + where + ": Unable to load credentials");
    }
}
