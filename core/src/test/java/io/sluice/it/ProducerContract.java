package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.Worker;
import io.sluice.WorkerEvent;
import io.sluice.annotations.ReceiveCount;
import io.sluice.annotations.SqsHandler;
import io.sluice.producer.OutgoingMessage;
import io.sluice.producer.SendAllResult;
import io.sluice.producer.SendOutcome;
import io.sluice.producer.SendResult;
import io.sluice.producer.SqsProducer;
import io.sluice.testutil.CountingTransport;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The producer end to end on a real server: batches of ten, each message's outcome, checks before any request, FIFO
 * ids, and a scheduled message that a worker receives early, puts back and handles when due.
 */
abstract class ProducerContract extends ServerContract {

    ProducerContract(Supplier<TestServer> server) {
        super(server);
    }

    /** Whether the server returns a FIFO message's sequence number on send (ElasticMQ 1.7.1 does not). */
    boolean returnsSequenceNumbers() {
        return true;
    }

    private SqsProducer producer(SqsTransport transport) {
        SqsProducer producer = SqsProducer.create(transport);
        closeAfterEach(producer);
        return producer;
    }

    /** Receives until {@code expected} distinct messages arrived (each receive takes up to ten). */
    private static List<Message> receiveAll(SqsTransport sqs, String url, int expected) {
        List<Message> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Message> batch;
            do {
                batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                        .join().messages();
                batch.stream().filter(message -> ids.add(message.messageId())).forEach(all::add);
            } while (!batch.isEmpty() && all.size() < expected);
            return all.size() >= expected;
        });
        return all;
    }

    @Test
    void sendAllOfAThousandMessagesTakesAHundredCallsAndEveryMessageArrives() {
        SqsTransport sqs = client();
        String url = createQueue(sqs, "it-produce", Map.of());
        CountingTransport counted = new CountingTransport(transport());

        SendAllResult result = producer(counted).sendAll("it-produce", IntStream.range(0, 1000)
                .mapToObj(i -> "{\"order_id\": \"ord-" + i + "\"}").toList());

        assertThat(result.allSent()).isTrue();
        assertThat(counted.sendCalls.get()).isEqualTo(100);
        List<Message> received = receiveAll(sqs, url, 1000);
        assertThat(received).extracting(Message::messageId).containsExactlyInAnyOrderElementsOf(result.messageIds());
    }

    @Test
    void aMessageSqsWouldRefuseIsRefusedBeforeAnyRequestAndTheOthersAreSent() {
        SqsTransport sqs = client();
        String url = createQueue(sqs, "it-produce-checks", Map.of());
        CountingTransport counted = new CountingTransport(transport());

        SendAllResult result = producer(counted).sendAll(url, List.of("first",
                "x".repeat(1_048_577), OutgoingMessage.of("named").attribute("Amazon.trace", "1"), "last"));

        assertThat(result.outcomes()).extracting(outcome -> outcome instanceof SendOutcome.Sent)
                .containsExactly(true, false, false, true);
        assertThat(result.failed()).allSatisfy(failed -> assertThat(failed.error().beforeRequest()).isTrue());
        assertThat(counted.sendCalls.get()).isEqualTo(1);
        assertThat(receiveAll(sqs, url, 2)).extracting(Message::body).containsExactlyInAnyOrder("first", "last");
    }

    @Test
    void aFifoMessageKeepsItsGroupAndDeduplicationId() {
        SqsTransport sqs = client();
        String url = createQueue(sqs, "it-produce.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true"));

        SendResult sent = producer(transport()).send("it-produce.fifo", OutgoingMessage.of("{\"amount\": 5}")
                .group("cust-1").deduplicationId("tx-1"));

        Message received = receiveAll(sqs, url, 1).get(0);
        assertThat(received.messageId()).isEqualTo(sent.messageId());
        assertThat(received.attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "cust-1")
                .containsEntry(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, "tx-1");
        if (returnsSequenceNumbers()) {
            assertThat(sent.sequenceNumber()).isNotBlank();
        }
    }

    /** Records when each reminder was handled, and its receive count. */
    static final class Reminders {
        final List<String> handled = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "it-reminders")
        public void handle(String body, @ReceiveCount int receiveCount) {
            handled.add(body + "@" + receiveCount + "@" + Instant.now());
        }
    }

    @Test
    void aScheduledMessageReceivedEarlyIsPutBackAndHandledOnceWhenDue() {
        SqsTransport sqs = client();
        String url = createQueue(sqs, "it-reminders", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        Reminders reminders = new Reminders();
        List<WorkerEvent.Postponed> postponed = new CopyOnWriteArrayList<>();
        Worker worker = Worker.builder().transport(transport()).handlers(reminders)
                .listener(event -> {
                    if (event instanceof WorkerEvent.Postponed one) {
                        postponed.add(one);
                    }
                })
                .build().start();
        closeAfterEach(worker::stop);
        // As a long scheduled delivery arrives for its last stretch: SQS's delay is over, the due time 3 s ahead.
        Instant due = Instant.now().plusSeconds(3);
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(e -> e.id("0").messageBody("renew")
                .messageAttributes(Map.of("sluice.deliver-at", MessageAttributeValue.builder().dataType("String")
                        .stringValue(due.toString()).build())))).join();

        await().atMost(Duration.ofSeconds(30)).until(() -> !reminders.handled.isEmpty());

        assertThat(postponed).singleElement().satisfies(event -> assertThat(event.resent()).isTrue());
        String[] handled = reminders.handled.get(0).split("@");
        assertThat(handled[1]).as("receive count").isEqualTo("1");
        assertThat(Instant.parse(handled[2])).isAfterOrEqualTo(due.minusSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> attributes(sqs, url).entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("ApproximateNumberOfMessages"))
                .allMatch(entry -> entry.getValue().equals("0")));
        assertThat(reminders.handled).hasSize(1);
    }
}
