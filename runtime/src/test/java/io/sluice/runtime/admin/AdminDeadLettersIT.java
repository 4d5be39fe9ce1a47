package io.sluice.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.QueueConfig;
import io.sluice.RetryPolicy;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import io.sluice.annotations.MessageAttributes;
import io.sluice.annotations.SqsHandler;
import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The admin CLI's {@code dlq peek} and {@code dlq redrive} against ElasticMQ, with a real worker dead-lettering. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminDeadLettersIT {

    /** A failure the handler declares not worth retrying. */
    static final class PaymentDeclinedException extends RuntimeException {
        PaymentDeclinedException(String message) {
            super(message);
        }
    }

    private final AdminServer sqs = new AdminServer();

    @AfterAll
    void stop() {
        sqs.close();
    }

    @Test
    void aMessageTheWorkerDeadLetteredIsShownWithItsReasonAndRedrivenToItsHandler() throws Exception {
        AtomicBoolean declining = new AtomicBoolean(true);
        List<String> handled = new CopyOnWriteArrayList<>();
        List<Map<String, String>> handledAttributes = new CopyOnWriteArrayList<>();
        Object handler = new Object() {
            @SqsHandler(queue = "e2e-payments")
            public void handle(String body, @MessageAttributes Map<String, String> attributes) {
                if (declining.get()) {
                    throw new PaymentDeclinedException("card declined");
                }
                handled.add(body);
                handledAttributes.add(attributes);
            }
        };
        Set<String> deadLettered = ConcurrentHashMap.newKeySet();
        try (SqsTransport transport = SqsTransport.create(SqsClientConfig.builder().endpoint(sqs.endpoint())
                .region("us-east-1").credentials("test", "test").build())) {
            Worker worker = Worker.builder().transport(transport).handlers(handler)
                    .config(WorkerConfig.builder().createQueues(true)
                            .retry(RetryPolicy.builder().noRetryOn(PaymentDeclinedException.class).build())
                            .queue("e2e-payments", QueueConfig.builder().maxReceiveCount(3).build()).build())
                    .listener(WorkerListener.on(WorkerEvent.DeadLettered.class,
                            event -> deadLettered.add(event.delivery().messageId())))
                    .build().start();
            try {
                sqs.send(sqs.url("e2e-payments"), "{\"payment\": 7}");
                await().atMost(Duration.ofSeconds(20)).until(() -> deadLettered.size() == 1);

                AdminServer.Run peek = sqs.admin("dlq", "peek", "e2e-payments-dlq");

                assertThat(peek.status()).isZero();
                List<String> lines = peek.out().lines().toList();
                assertThat(lines).hasSize(2);
                assertThat(lines.get(0)).startsWith("MESSAGE ID").contains("RECEIVES", "SOURCE", "HANDLER", "ATTEMPTS",
                        "FIRST FAILURE", "LAST FAILURE", "EXCEPTION", "ERROR MESSAGE");
                assertThat(lines.get(1)).contains("e2e-payments", PaymentDeclinedException.class.getName(),
                        "card declined", ".handle").as("no body without --body").doesNotContain("payment\": 7");
                assertThat(peek.err()).contains("1 message of 'e2e-payments-dlq' shown");

                AdminServer.Run json = sqs.admin("dlq", "peek", "e2e-payments-dlq", "--json", "--body");

                JsonNode shown = new ObjectMapper().readTree(json.out());
                assertThat(shown).hasSize(1);
                JsonNode reason = shown.get(0).get("reason");
                assertThat(reason.get("errorClass").asText()).isEqualTo(PaymentDeclinedException.class.getName());
                assertThat(reason.get("errorMessage").asText()).isEqualTo("card declined");
                assertThat(reason.get("handler").asText()).endsWith(".handle");
                assertThat(reason.get("attempts").asInt()).isEqualTo(1);
                assertThat(reason.get("sourceQueue").asText()).isEqualTo("e2e-payments");
                assertThat(reason.get("lastFailure").asText()).matches("\\d{4}-.*Z");
                assertThat(shown.get(0).get("body").asText()).isEqualTo("{\"payment\": 7}");
                assertThat(shown.get(0).get("receiveCount").asInt()).as("the first peek received it once").isEqualTo(2);

                declining.set(false);
                AdminServer.Run redrive = sqs.admin("dlq", "redrive", "e2e-payments-dlq");

                assertThat(redrive.status()).isZero();
                assertThat(redrive.out()).contains("moved 1 message from 'e2e-payments-dlq' to 'e2e-payments'");
                await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 1);
                assertThat(handled).containsExactly("{\"payment\": 7}");
                assertThat(sqs.depth(sqs.url("e2e-payments-dlq"))).containsExactly(0, 0, 0);
            } finally {
                worker.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void redriveWithAFilterMovesOnlyMatchingMessagesAfreshAndLeavesTheOthersVisible() {
        String source = sqs.createQueueWithDlq("filter-orders", "filter-orders-dlq", 3);
        String dlq = sqs.url("filter-orders-dlq");
        for (int i = 0; i < 12; i++) {
            sqs.sendDeadLetter(dlq, "{\"declined\": " + i + "}", "filter-orders", "com.shop.PaymentDeclinedException",
                    null);
        }
        sqs.sendDeadLetter(dlq, "{\"bug\": 1}", "filter-orders", "java.lang.NullPointerException", null);
        sqs.sendDeadLetter(dlq, "{\"bug\": 2}", "filter-orders", "java.lang.IllegalStateException", null);

        AdminServer.Run run = sqs.admin("dlq", "redrive", "filter-orders-dlq", "--filter-exception",
                "PaymentDeclinedException");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("moved 12 messages from 'filter-orders-dlq' by receive, send, delete")
                .contains("left 2 messages that did not fail with PaymentDeclinedException");
        assertThat(sqs.depth(dlq)).as("the others are visible again at once").containsExactly(2, 0, 0);
        List<Message> moved = sqs.drain(source);
        assertThat(moved).hasSize(12).allSatisfy(message -> {
            assertThat(message.body()).startsWith("{\"declined\": ");
            AdminServer.assertNoReason(message);
            assertThat(message.messageAttributes().get("tenant").stringValue()).isEqualTo("acme");
        });

        AdminServer.Run byClassName = sqs.admin("dlq", "redrive", "filter-orders-dlq", "--filter-exception",
                "java.lang.NullPointerException");

        assertThat(byClassName.out()).contains("moved 1 message");
        assertThat(sqs.drain(source)).extracting(Message::body).containsExactly("{\"bug\": 1}");
        assertThat(sqs.depth(dlq)).containsExactly(1, 0, 0);
    }

    @Test
    void aLongRedriveWritesAProgressLineEveryTwoSeconds() {
        String source = sqs.createQueueWithDlq("progress-orders", "progress-orders-dlq", 3);
        String dlq = sqs.url("progress-orders-dlq");
        sqs.sendDeadLetters(dlq, 25, "progress-orders");
        // Each reading of this clock is a second later: a line is due at every other batch of ten.
        Clock ticking = new Clock() {
            private Instant now = Instant.parse("2026-11-30T08:00:00Z");

            @Override
            public synchronized Instant instant() {
                now = now.plusSeconds(1);
                return now;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };

        AdminServer.Run run = sqs.admin(sqs.settings(), ticking, "", "dlq", "redrive", "progress-orders-dlq",
                "--client-side");

        assertThat(run.status()).isZero();
        assertThat(run.errLines()).containsExactly("moved 20 of ~25 from 'progress-orders-dlq'");
        assertThat(sqs.drain(source)).hasSize(25);
    }

    @Test
    void dryRunListsWhatWouldMoveAndMovesNothing() {
        String source = sqs.createQueueWithDlq("dry-orders", "dry-orders-dlq", 3);
        String dlq = sqs.url("dry-orders-dlq");
        String first = sqs.sendDeadLetter(dlq, "{\"n\": 1}", "dry-orders", "com.shop.PaymentDeclinedException", null);
        String second = sqs.sendDeadLetter(dlq, "{\"n\": 2}", "dry-orders", "com.shop.PaymentDeclinedException", null);

        AdminServer.Run run = sqs.admin("dlq", "redrive", "dry-orders-dlq", "--dry-run");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains(first, second, "dry-orders", "com.shop.PaymentDeclinedException")
                .contains("dry run: 2 messages would move from 'dry-orders-dlq'; nothing moved");
        assertThat(sqs.depth(dlq)).containsExactly(2, 0, 0);
        assertThat(sqs.depth(source)).containsExactly(0, 0, 0);
    }

    @Test
    void redriveStopsAtMax() {
        String source = sqs.createQueueWithDlq("max-orders", "max-orders-dlq", 3);
        String dlq = sqs.url("max-orders-dlq");
        sqs.sendDeadLetters(dlq, 5, "max-orders");

        AdminServer.Run run = sqs.admin("dlq", "redrive", "max-orders-dlq", "--max", "3");

        assertThat(run.out()).contains("moved 3 messages");
        assertThat(sqs.depth(dlq)).containsExactly(2, 0, 0);
        assertThat(sqs.drain(source)).hasSize(3);
    }

    @Test
    void fifoRedriveKeepsEachGroupAndItsOrderWithNewDeduplicationIds() {
        String source = sqs.createQueueWithDlq("fifo-payments.fifo", "fifo-payments-dlq.fifo", 3);
        String dlq = sqs.url("fifo-payments-dlq.fifo");
        for (int i = 1; i <= 6; i++) {
            for (String group : List.of("c-1", "c-2")) {
                sqs.sendDeadLetter(dlq, "{\"" + group + "\": " + i + "}", "fifo-payments.fifo",
                        "com.shop.PaymentDeclinedException", group);
            }
        }
        AdminServer.Run run = sqs.admin("dlq", "redrive", "fifo-payments-dlq.fifo", "--client-side");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("moved 12 messages");
        List<Message> moved = sqs.drain(source);
        assertThat(moved).hasSize(12);
        for (String group : List.of("c-1", "c-2")) {
            assertThat(moved.stream().filter(message -> group.equals(message.attributes()
                    .get(MessageSystemAttributeName.MESSAGE_GROUP_ID))).map(Message::body))
                    .containsExactly(java.util.stream.IntStream.rangeClosed(1, 6)
                            .mapToObj(i -> "{\"" + group + "\": " + i + "}").toArray(String[]::new));
        }
        assertThat(moved).allSatisfy(message -> {
            assertThat(message.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
                    .startsWith("redrive-");
            AdminServer.assertNoReason(message);
        });
        assertThat(sqs.depth(dlq)).containsExactly(0, 0, 0);
    }

    @Test
    void whenTheServersMoveTaskMovesNothingTheMessagesAreMovedByReceiveSendDelete() {
        // ElasticMQ 1.7.1 completes StartMessageMoveTask on a FIFO DLQ without moving anything.
        String source = sqs.createQueueWithDlq("fallback-payments.fifo", "fallback-payments-dlq.fifo", 3);
        String dlq = sqs.url("fallback-payments-dlq.fifo");
        for (int i = 1; i <= 3; i++) {
            sqs.sendDeadLetter(dlq, "{\"n\": " + i + "}", "fallback-payments.fifo", "com.shop.X", "c-1");
        }

        AdminServer.Run run = sqs.admin("dlq", "redrive", "fallback-payments-dlq.fifo");

        assertThat(run.status()).isZero();
        assertThat(run.err()).contains("moved none of the ~3 messages of 'fallback-payments-dlq.fifo': moving them by"
                + " receive, send, delete");
        assertThat(run.out()).contains("moved 3 messages from 'fallback-payments-dlq.fifo' by receive, send, delete");
        assertThat(sqs.drain(source)).extracting(Message::body).containsExactly("{\"n\": 1}", "{\"n\": 2}",
                "{\"n\": 3}");
    }

    @Test
    void aMessageWithNoSourceQueueNeedsTo() {
        String dlq = sqs.createQueue("orphans-dlq");
        String target = sqs.createQueue("orphans-target");
        sqs.send(dlq, "{\"orphan\": 1}");

        AdminServer.Run refused = sqs.admin("dlq", "redrive", "orphans-dlq");

        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("names no source queue").contains("'orphans-dlq' is the dead-letter queue"
                + " of no queue").contains("give --to QUEUE");
        assertThat(sqs.depth(dlq)).containsExactly(1, 0, 0);

        AdminServer.Run moved = sqs.admin("dlq", "redrive", "orphans-dlq", "--to", "orphans-target");

        assertThat(moved.status()).isZero();
        assertThat(sqs.drain(target)).extracting(Message::body).containsExactly("{\"orphan\": 1}");
    }

    @Test
    void aUsageErrorExitsWithTwo() {
        assertThat(sqs.admin("dlq", "peek").status()).isEqualTo(2);
        assertThat(sqs.admin("dlq", "peek", "x", "--max", "0").status()).isEqualTo(2);
        assertThat(sqs.admin().status()).isEqualTo(2);
        assertThat(sqs.admin("dlq", "frobnicate").status()).isEqualTo(2);
    }
}
