package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** The AWS CRT HTTP client, chosen in {@link SqsClientConfig}, against ElasticMQ over HTTP. */
class CrtClientIT {

    @Test
    void theCrtClientSendsReceivesAndDeletes() throws Exception {
        SqsClientConfig config;
        try (ElasticMqServer server = ElasticMqServer.start()) {
            config = SqsClientConfig.builder().endpoint(server.endpoint()).region("us-east-1").credentials("x", "x")
                    .httpClient(SqsClientConfig.HttpClient.CRT).build();
            try (SqsAsyncClient client = config.newClient(); SqsTransport transport = SqsTransport.of(client)) {
                assertThat(client.serviceClientConfiguration().toString()).isNotEmpty();
                String url = client.createQueue(b -> b.queueName("crt")).get(30, TimeUnit.SECONDS).queueUrl();
                transport.sendMessageBatch(b -> b.queueUrl(url).entries(SendMessageBatchRequestEntry.builder().id("1")
                        .messageBody("{\"n\":1}").build())).get(30, TimeUnit.SECONDS);
                List<Message> received = transport.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5))
                        .get(30, TimeUnit.SECONDS).messages();

                assertThat(received).extracting(Message::body).containsExactly("{\"n\":1}");
                assertThat(client.deleteMessage(b -> b.queueUrl(url).receiptHandle(received.get(0).receiptHandle()))
                        .get(30, TimeUnit.SECONDS).sdkHttpResponse().isSuccessful()).isTrue();
            }
        }
        assertThat(config.toString()).contains("httpClient=CRT");
    }
}
