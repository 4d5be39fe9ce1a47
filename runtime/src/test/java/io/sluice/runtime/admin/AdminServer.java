package io.sluice.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.DeadLetterReason;
import io.sluice.it.ElasticMqServer;
import io.sluice.runtime.SluiceSettings;
import io.sluice.testutil.SensitiveValues;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * An embedded ElasticMQ for the admin CLI's tests: runs the CLI against it as a user would (settings naming the
 * endpoint, output captured), and gives the test its own SDK client to set queues up and look at them.
 */
final class AdminServer implements AutoCloseable {

    /** What a run of the CLI printed, and its exit status. */
    record Run(int status, String out, String err) {

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private final ElasticMqServer server = ElasticMqServer.start();
    private final SqsAsyncClient client = SqsAsyncClient.builder()
            .endpointOverride(server.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();

    /** The worker's settings for this server, as {@code sluice.*} keys. */
    SluiceSettings settings() {
        return SluiceSettings.of(Map.of("sluice.endpoint", server.endpoint().toString(), "sluice.region", "us-east-1",
                "sluice.access-key-id", "test", "sluice.secret-access-key", "test"));
    }

    String endpoint() {
        return server.endpoint().toString();
    }

    SqsAsyncClient client() {
        return client;
    }

    /** Runs {@code admin args}, with {@code input} as standard input. */
    Run answering(String input, String... args) {
        return admin(settings(), Clock.systemUTC(), input, args);
    }

    Run admin(String... args) {
        return answering("", args);
    }

    Run admin(SluiceSettings settings, Clock clock, String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AdminContext context = new AdminContext(settings, clock, AdminContext.Pause.SLEEP,
                new PrintWriter(out), new PrintWriter(err), new BufferedReader(new StringReader(input)));
        int status = SluiceAdmin.run(context, args);
        return new Run(status, out.toString(), err.toString());
    }

    String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        return client.createQueue(b -> b.queueName(name).attributes(attributes)).join().queueUrl();
    }

    String createQueue(String name) {
        return createQueue(name, Map.of());
    }

    /** Creates {@code name} with {@code dlq} as its dead-letter queue (created too); returns the queue's URL. */
    String createQueueWithDlq(String name, String dlq, int maxReceiveCount) {
        Map<QueueAttributeName, String> fifo = name.endsWith(".fifo")
                ? Map.of(QueueAttributeName.FIFO_QUEUE, "true") : Map.of();
        String dlqUrl = createQueue(dlq, fifo);
        String dlqArn = attributes(dlqUrl).get("QueueArn");
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>(fifo);
        attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn
                + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}");
        return createQueue(name, attributes);
    }

    String url(String queue) {
        return client.getQueueUrl(b -> b.queueName(queue)).join().queueUrl();
    }

    Map<String, String> attributes(String url) {
        return client.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All")).join()
                .attributesAsStrings();
    }

    /** Visible, in flight and delayed messages of the queue at {@code url}. */
    List<Integer> depth(String url) {
        Map<String, String> attributes = attributes(url);
        return List.of(Integer.parseInt(attributes.get("ApproximateNumberOfMessages")),
                Integer.parseInt(attributes.get("ApproximateNumberOfMessagesNotVisible")),
                Integer.parseInt(attributes.get("ApproximateNumberOfMessagesDelayed")));
    }

    String send(String url, String body) {
        return send(SendMessageRequest.builder().queueUrl(url).messageBody(body).build());
    }

    /** Sends {@code request}; its body is registered as one that no log line may show (the log guard). */
    String send(SendMessageRequest request) {
        SensitiveValues.body(request.messageBody());
        return client.sendMessage(request).join().messageId();
    }

    /**
     * Sends a message to a DLQ as Sluice dead-letters one: its own attributes plus the reason, one attribute per field.
     */
    String sendDeadLetter(String dlqUrl, String body, String sourceQueue, String errorClass, String group) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("tenant", string("acme"));
        attributes.put(DeadLetterReason.ERROR_CLASS, string(errorClass));
        attributes.put(DeadLetterReason.ERROR_MESSAGE, string("failed on " + body));
        attributes.put(DeadLetterReason.HANDLER, string("OrderHandler.handle"));
        attributes.put(DeadLetterReason.ATTEMPTS, string("3"));
        attributes.put(DeadLetterReason.FIRST_FAILURE, string("2026-11-30T08:00:00Z"));
        attributes.put(DeadLetterReason.LAST_FAILURE, string("2026-11-30T08:01:00Z"));
        if (sourceQueue != null) {
            attributes.put(DeadLetterReason.SOURCE_QUEUE, string(sourceQueue));
        }
        SendMessageRequest.Builder request = SendMessageRequest.builder().queueUrl(dlqUrl).messageBody(body)
                .messageAttributes(attributes);
        if (group != null) {
            request.messageGroupId(group).messageDeduplicationId(Integer.toHexString(body.hashCode()) + group);
        }
        return send(request.build());
    }

    /** Sends {@code count} dead letters {@code {"n": i}} from {@code sourceQueue}, failed with a declined payment. */
    void sendDeadLetters(String dlqUrl, int count, String sourceQueue) {
        for (int i = 0; i < count; i++) {
            sendDeadLetter(dlqUrl, "{\"n\": " + i + "}", sourceQueue, "com.shop.PaymentDeclinedException", null);
        }
    }

    static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** Receives (and deletes) every message of the queue at {@code url}, in the order received. */
    List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> messages = client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).join().messages();
            if (messages.isEmpty()) {
                return all;
            }
            all.addAll(messages);
            for (Message message : messages) {
                client.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle())).join();
            }
        }
    }

    static void assertNoReason(Message message) {
        assertThat(message.messageAttributes().keySet()).noneMatch(name -> name.startsWith("sluice."));
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
