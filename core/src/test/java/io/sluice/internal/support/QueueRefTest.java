package io.sluice.internal.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueueRefTest {

    @Test
    void aNameIsResolvedLater() {
        QueueRef ref = QueueRef.parse(" orders ");

        assertThat(ref).isEqualTo(new QueueRef("orders", null, null));
        assertThat(ref.hasUrl()).isFalse();
        assertThat(ref.fifo()).isFalse();
        assertThat(ref).hasToString("orders");
        assertThat(QueueRef.parse("payments.fifo").fifo()).isTrue();
        assertThat(QueueRef.parse("orders queue").name()).as("names are checked by QueueNames, not here")
                .isEqualTo("orders queue");
    }

    @Test
    void anAwsUrlGivesItsNameAndAccount() {
        String url = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";

        QueueRef ref = QueueRef.parse(url);

        assertThat(ref).isEqualTo(new QueueRef("orders", url, "123456789012"));
        assertThat(ref.hasUrl()).isTrue();
        assertThat(ref).hasToString(url);
    }

    @Test
    void emulatorUrlsAreUrlsToo() {
        assertThat(QueueRef.parse("http://localhost:9324/000000000000/orders"))
                .isEqualTo(new QueueRef("orders", "http://localhost:9324/000000000000/orders", "000000000000"));
        assertThat(QueueRef.parse("http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/orders").account())
                .isEqualTo("000000000000");
        assertThat(QueueRef.parse("http://localhost:9324/queue/orders"))
                .as("ElasticMQ's URL without an account")
                .isEqualTo(new QueueRef("orders", "http://localhost:9324/queue/orders", null));
    }

    @Test
    void aTrailingSlashIsNotPartOfTheName() {
        QueueRef ref = QueueRef.parse("https://sqs.eu-west-1.amazonaws.com/123456789012/orders/");

        assertThat(ref.name()).isEqualTo("orders");
        assertThat(ref.account()).isEqualTo("123456789012");
        assertThat(ref.url()).as("used as given").isEqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/orders/");
    }

    @Test
    void aFifoUrlNamesAFifoQueue() {
        QueueRef ref = QueueRef.parse("https://sqs.us-east-1.amazonaws.com/123456789012/payments.fifo");

        assertThat(ref.name()).isEqualTo("payments.fifo");
        assertThat(ref.fifo()).isTrue();
    }

    @Test
    void junkFailsNamingIt() {
        assertThatThrownBy(() -> QueueRef.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> QueueRef.parse(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\" \"");
        assertThatThrownBy(() -> QueueRef.parse("https://sqs.eu-west-1.amazonaws.com/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no queue name in its path");
        assertThatThrownBy(() -> QueueRef.parse("https://sqs.eu-west-1.amazonaws.com"))
                .hasMessageContaining("has no queue name in its path");
        assertThatThrownBy(() -> QueueRef.parse("https://sqs eu-west-1/123456789012/orders"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a valid URL");
    }

    @Test
    void anArnGivesItsQueueAndAccount() {
        assertThat(QueueRef.fromArn("arn:aws:sqs:eu-west-1:123456789012:orders-dlq"))
                .isEqualTo(new QueueRef("orders-dlq", null, "123456789012"));
        assertThat(QueueRef.fromArn("arn:aws-cn:sqs:cn-north-1:210987654321:payments-dlq.fifo"))
                .isEqualTo(new QueueRef("payments-dlq.fifo", null, "210987654321"));
        assertThat(QueueRef.fromArn("arn:aws:sqs:elasticmq:000000000000:orders-dlq").account())
                .as("ElasticMQ's").isEqualTo("000000000000");
        assertThat(QueueRef.fromArn("arn:aws:sqs:us-east-1::orders-dlq"))
                .as("without an account").isEqualTo(new QueueRef("orders-dlq", null, null));
    }

    @Test
    void anythingButAnSqsArnFails() {
        assertThatThrownBy(() -> QueueRef.fromArn("arn:aws:sns:us-east-1:123456789012:topic"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an SQS queue ARN: arn:aws:sns:us-east-1:123456789012:topic");
        assertThatThrownBy(() -> QueueRef.fromArn("orders-dlq")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueueRef.fromArn("arn:aws:sqs:us-east-1:123456789012:"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueueRef.fromArn(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
