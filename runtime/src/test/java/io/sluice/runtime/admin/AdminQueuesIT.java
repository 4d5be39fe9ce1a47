package io.sluice.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The admin CLI's {@code queues}, {@code purge} and {@code send} against ElasticMQ, and how it fails. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminQueuesIT {

    private final AdminServer sqs = new AdminServer();

    @TempDir
    Path files;

    @AfterAll
    void stop() {
        sqs.close();
    }

    @Test
    void queuesListsEachQueuesDepthAndItsDeadLetterQueuesDepth() throws Exception {
        String url = sqs.createQueueWithDlq("depth-orders", "depth-orders-dlq", 3);
        String dlqUrl = sqs.url("depth-orders-dlq");
        for (int i = 0; i < 3; i++) {
            sqs.send(url, "{\"n\": " + i + "}");
        }
        sqs.client().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).visibilityTimeout(60)).join();
        sqs.send(dlqUrl, "{\"dead\": 1}");
        sqs.send(dlqUrl, "{\"dead\": 2}");

        AdminServer.Run run = sqs.admin("queues", "--prefix", "depth-");

        assertThat(run.status()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).matches("QUEUE +VISIBLE +IN FLIGHT +DELAYED +AGE OF OLDEST\\* +DLQ +DLQ VISIBLE");
        assertThat(lines.get(1)).matches("depth-orders +2 +1 +0 +- +depth-orders-dlq +2");
        assertThat(lines.get(2)).matches("depth-orders-dlq +2 +0 +0 +- +- +-");
        assertThat(lines.get(3)).startsWith("* not in SQS's API").contains("ApproximateAgeOfOldestMessage");

        AdminServer.Run json = sqs.admin("queues", "--prefix", "depth-orders", "--json");

        JsonNode rows = new ObjectMapper().readTree(json.out());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("queue").asText()).isEqualTo("depth-orders");
        assertThat(rows.get(0).get("visible").asLong()).isEqualTo(2);
        assertThat(rows.get(0).get("inFlight").asLong()).isEqualTo(1);
        assertThat(rows.get(0).get("deadLetterQueue").asText()).isEqualTo("depth-orders-dlq");
        assertThat(rows.get(0).get("deadLetterVisible").asLong()).isEqualTo(2);
        assertThat(rows.get(0).get("maxReceiveCount").asInt()).isEqualTo(3);
    }

    @Test
    void purgeWithoutConfirmationPurgesNothing() {
        String url = sqs.createQueue("purge-kept");
        sqs.send(url, "{}");
        sqs.send(url, "{}");

        AdminServer.Run run = sqs.answering("purge-kept-typo\n", "purge", "purge-kept");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("Purge all ~2 messages of purge-kept? Type the queue name to confirm:")
                .contains("aborted: nothing purged");
        assertThat(sqs.answering("", "purge", "purge-kept").status()).as("no answer at all").isEqualTo(1);
        assertThat(sqs.depth(url)).containsExactly(2, 0, 0);
    }

    @Test
    void purgeEmptiesTheQueueWithYesOrWhenItsNameIsTypedBack() {
        String url = sqs.createQueue("purge-yes");
        sqs.send(url, "{}");
        String typed = sqs.createQueue("purge-typed");
        sqs.send(typed, "{}");

        AdminServer.Run yes = sqs.admin("purge", "purge-yes", "--yes");
        AdminServer.Run confirmed = sqs.answering("purge-typed\n", "purge", typed);

        assertThat(yes.status()).isZero();
        assertThat(yes.out()).contains("purged 'purge-yes'");
        assertThat(yes.err()).doesNotContain("Type the queue name");
        assertThat(confirmed.status()).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(sqs.depth(url)).containsExactly(0, 0, 0);
            assertThat(sqs.depth(typed)).containsExactly(0, 0, 0);
        });
    }

    @Test
    void sendSendsEachJsonLineAsItIs() throws Exception {
        String url = sqs.createQueue("send-lines");
        Path file = Files.writeString(files.resolve("orders.jsonl"),
                "{\"order_id\": \"ord-1\"}\n\n{\"order_id\":\"ord-2\",  \"items\": [1, 2]}\r\n\"just a string\"\n");

        AdminServer.Run run = sqs.admin("send", "send-lines", file.toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("sent 3 of 3 messages to 'send-lines'");
        assertThat(sqs.drain(url)).extracting(Message::body).containsExactlyInAnyOrder("{\"order_id\": \"ord-1\"}",
                "{\"order_id\":\"ord-2\",  \"items\": [1, 2]}", "\"just a string\"");
    }

    @Test
    void sendReportsABadLineByItsNumberAndSendsNothingUnlessToldToSkipIt() throws Exception {
        String url = sqs.createQueue("send-bad");
        Path file = Files.writeString(files.resolve("bad.jsonl"), "{\"n\": 1}\n{\"n\": 2,\n{\"n\": 3} trailing\n"
                + "{\"n\": 4}\n");

        AdminServer.Run refused = sqs.admin("send", "send-bad", file.toString());

        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.errLines()).hasSize(3);
        assertThat(refused.errLines().get(0)).startsWith("line 2: not JSON");
        assertThat(refused.errLines().get(1)).startsWith("line 3: not JSON");
        assertThat(refused.errLines().get(2)).isEqualTo("nothing sent: 2 lines of " + file
                + " cannot be sent (--skip-invalid sends the others)");
        assertThat(sqs.depth(url)).containsExactly(0, 0, 0);

        AdminServer.Run skipped = sqs.admin("send", "send-bad", file.toString(), "--skip-invalid");

        assertThat(skipped.status()).isZero();
        assertThat(skipped.out()).contains("sent 2 of 2 messages to 'send-bad'; skipped 2 lines");
        assertThat(sqs.drain(url)).extracting(Message::body).containsExactlyInAnyOrder("{\"n\": 1}", "{\"n\": 4}");
    }

    @Test
    void sendToAFifoQueueTakesGroupAndDeduplicationIdFromFieldsOfEachLine() throws Exception {
        String url = sqs.createQueue("send-payments.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
        Path file = Files.writeString(files.resolve("payments.jsonl"),
                "{\"customer\": \"c-1\", \"tx\": \"t-1\"}\n{\"customer\": \"c-2\", \"tx\": \"t-2\"}\n"
                        + "{\"tx\": \"t-3\"}\n{\"customer\": \"c-1\", \"tx\": \"t-1\"}\n");

        assertThat(sqs.admin("send", "send-payments.fifo", file.toString()).status()).as("no group: usage")
                .isEqualTo(2);
        AdminServer.Run run = sqs.admin("send", "send-payments.fifo", file.toString(), "--group-field", "customer",
                "--group-id", "unknown", "--dedup-field", "tx");

        assertThat(run.status()).isZero();
        List<Message> received = sqs.drain(url);
        assertThat(received).extracting(message -> message.attributes()
                        .get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                .as("the fourth line repeats t-1: SQS drops it").containsExactlyInAnyOrder("c-1", "c-2", "unknown");
        assertThat(received).extracting(message -> message.attributes()
                        .get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
                .containsExactlyInAnyOrder("t-1", "t-2", "t-3");
    }

    @Test
    void anEndpointThatRefusesConnectionsIsOneClearErrorLine() throws Exception {
        try (Socket bound = new Socket()) {
            bound.bind(new InetSocketAddress("127.0.0.1", 0));
            String endpoint = "http://127.0.0.1:" + bound.getLocalPort();

            AdminServer.Run run = sqs.admin("queues", "--endpoint", endpoint);

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).containsExactly("error: ListQueues failed: cannot reach SQS at " + endpoint
                    + " (region us-east-1): connection refused");
        }
    }

    @Test
    void aMissingQueueIsOneErrorLineNamingIt() {
        AdminServer.Run run = sqs.admin("dlq", "peek", "no-such-queue");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("error: GetQueueUrl for queue 'no-such-queue' failed: the queue"
                + " does not exist");
    }
}
