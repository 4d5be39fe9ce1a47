package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.SluiceJson;
import io.sluice.testutil.CountingTransport;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.time.VirtualTime;
import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsProducerTest {

    record Invoice(String id, long cents) {
    }

    private final VirtualTime time = new VirtualTime();
    private final InMemorySqs sqs = InMemorySqs.builder().scheduler(time).build();
    private final CountingTransport counted = new CountingTransport(sqs);
    private final SqsProducer producer = SqsProducer.builder().transport(counted).scheduler(time).build();

    @AfterEach
    void close() {
        producer.close();
        sqs.close();
    }

    private String queue(String name, Map<String, String> attributes) {
        return sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).join().queueUrl();
    }

    private List<Message> receiveAll(String url) {
        List<Message> all = new ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).join().messages();
            all.addAll(batch);
        } while (!batch.isEmpty());
        return all;
    }

    @Test
    void sendsThePayloadAsJsonWithTheWorkersMapperAndReturnsTheMessageId() throws Exception {
        String url = queue("invoices", Map.of());

        SendResult result = producer.send("invoices", new Invoice("inv-1", 4200));

        Message received = receiveAll(url).get(0);
        assertThat(received.messageId()).isEqualTo(result.messageId());
        assertThat(result.sequenceNumber()).isNull();
        ObjectMapper mapper = SluiceJson.defaultMapper();
        assertThat(mapper.readValue(received.body(), Invoice.class)).isEqualTo(new Invoice("inv-1", 4200));
        assertThat(received.messageAttributes()).isEmpty(); // no envelope, no type attribute
    }

    @Test
    void aStringIsSentAsItIsWithAttributes() {
        String url = queue("raw", Map.of());

        producer.send("raw", OutgoingMessage.of("{\"order_id\": \"ord-1\"}").attribute("tenant", "acme")
                .attribute("priority", 7));

        Message received = receiveAll(url).get(0);
        assertThat(received.body()).isEqualTo("{\"order_id\": \"ord-1\"}");
        assertThat(received.messageAttributes().get("tenant").stringValue()).isEqualTo("acme");
        assertThat(received.messageAttributes().get("priority").dataType()).isEqualTo("Number");
    }

    @Test
    void aFifoMessageCarriesItsGroupAndDeduplicationIdAndGetsASequenceNumber() {
        String url = queue("payments.fifo", Map.of("FifoQueue", "true"));

        SendResult result = producer.send("payments.fifo", OutgoingMessage.of(new Invoice("tx-1", 1)).group("cust-1")
                .deduplicationId("tx-1"));
        SendResult duplicate = producer.send("payments.fifo", OutgoingMessage.of(new Invoice("tx-1", 1))
                .group("cust-1").deduplicationId("tx-1"));

        assertThat(result.sequenceNumber()).isNotBlank();
        assertThat(duplicate.messageId()).isEqualTo(result.messageId()); // SQS answers a duplicate with the original
        List<Message> received = receiveAll(url);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "cust-1")
                .containsEntry(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, "tx-1");
    }

    @Test
    void aFifoMessageWithoutAGroupIsRefusedBeforeAnyRequestNamingTheQueueAndTheRule() {
        queue("payments.fifo", Map.of("FifoQueue", "true"));

        assertThatThrownBy(() -> producer.send("payments.fifo", OutgoingMessage.of(new Invoice("tx-1", 1))
                .deduplicationId("tx-1")))
                .isInstanceOfSatisfying(SendFailedException.class, error -> {
                    assertThat(error.beforeRequest()).isTrue();
                    assertThat(error.code()).isEqualTo("InvalidParameterValue"); // what SendMessageBatch answers
                    assertThat(error.queue()).isEqualTo("payments.fifo");
                })
                .hasMessageContaining("message (Invoice) to queue 'payments.fifo' was refused before sending")
                .hasMessageContaining("MessageGroupId");
        assertThat(counted.sendCalls.get()).isZero();
    }

    @Test
    void sendAllOfAThousandMessagesMakesAHundredCallsAndReportsEachInOrder() {
        String url = queue("orders", Map.of());
        List<Invoice> invoices = IntStream.range(0, 1000).mapToObj(i -> new Invoice("inv-" + i, i)).toList();

        SendAllResult result = producer.sendAll("orders", invoices);

        assertThat(result.allSent()).isTrue();
        assertThat(counted.sendCalls.get()).isEqualTo(100);
        assertThat(result.messageIds()).hasSize(1000).doesNotHaveDuplicates();
        assertThat(receiveAll(url)).hasSize(1000);
        assertThat(result.outcomes()).extracting(SendOutcome::index).containsExactlyElementsOf(
                IntStream.range(0, 1000).boxed().toList());
    }

    @Test
    void sendAllOfLargeMessagesPacksAsManyAsOneMebibyteAllows() {
        queue("documents", Map.of());
        String body = "x".repeat(200 * 1024); // 200 KiB: five fit in SQS's 1 MiB per call, six do not
        List<String> documents = Collections.nCopies(1000, body);

        SendAllResult result = producer.sendAll("documents", documents);

        assertThat(result.allSent()).isTrue();
        assertThat(counted.sendCalls.get()).isEqualTo(200);
        assertThat(counted.largestSendBodies.get()).isLessThanOrEqualTo(1_048_576);
    }

    @Test
    void anInvalidOrOversizeMessageIsRefusedBeforeAnyRequestAndTheOthersAreStillSent() {
        String url = queue("small", Map.of("MaximumMessageSize", "1024"));
        List<Object> messages = List.of("first", "y".repeat(2000), OutgoingMessage.of("third")
                .attribute("AWS.trace", "x"), "fourth");

        SendAllResult result = producer.sendAll("small", messages);

        assertThat(result.outcomes()).extracting(outcome -> outcome.getClass().getSimpleName())
                .containsExactly("Sent", "Failed", "Failed", "Sent");
        SendOutcome.Failed oversize = result.failed().get(0);
        assertThat(oversize.error()).hasMessageContaining("message 2 of 4 (String) to queue 'small'")
                .hasMessageContaining("1024");
        assertThat(oversize.error().beforeRequest()).isTrue();
        assertThat(receiveAll(url)).extracting(Message::body).containsExactlyInAnyOrder("first", "fourth");
        assertThat(counted.sendCalls.get()).isEqualTo(1);
        assertThatThrownBy(result::throwIfAnyFailed).isInstanceOf(SendFailedException.class)
                .hasMessageStartingWith("2 of 4 message(s) to queue 'small' were not sent");
    }

    @Test
    void onlyTheEntriesThatFailedAreRetriedAndOutcomesAreExact() {
        FakeSqsTransport fake = new FakeSqsTransport().withQueue("orders");
        Map<String, Integer> failuresLeft = new ConcurrentHashMap<>(Map.of("b", 1, "c", 5));
        fake.onSend(request -> partlyFailing(request, failuresLeft));
        SqsProducer flaky = SqsProducer.builder().transport(fake).scheduler(time).maxAttempts(3).build();

        CompletableFuture<SendAllResult> sending = flaky.sendAllAsync("orders", List.of("a", "b", "c", "d", "bad"));
        for (int i = 0; i < 20 && !sending.isDone(); i++) {
            time.advance(Duration.ofSeconds(1));
        }
        SendAllResult result = sending.join();

        assertThat(fake.sendRequests()).extracting(request -> request.entries().stream()
                        .map(SendMessageBatchRequestEntry::messageBody).toList())
                .containsExactly(List.of("a", "b", "c", "d", "bad"), List.of("b", "c"), List.of("c"));
        assertThat(result.outcomes()).extracting(outcome -> outcome.getClass().getSimpleName())
                .containsExactly("Sent", "Sent", "Failed", "Sent", "Failed");
        assertThat(((SendOutcome.Failed) result.outcomes().get(2)).code()).isEqualTo("InternalError");
        assertThat(((SendOutcome.Failed) result.outcomes().get(4)).code()).isEqualTo("InvalidParameterValue");
        assertThat(((SendOutcome.Failed) result.outcomes().get(4)).error().senderFault()).isTrue();
        flaky.close();
    }

    @Test
    void onAFifoQueueEachGroupReachesSqsInOrderThroughConcurrentCallsAndRetries() {
        FakeSqsTransport fake = new FakeSqsTransport().withQueue("payments.fifo", Map.of("FifoQueue", "true",
                "ContentBasedDeduplication", "true"));
        Map<String, Integer> failuresLeft = new ConcurrentHashMap<>(Map.of("c1:2", 2, "c2:5", 1));
        List<String> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        fake.onSend(request -> partlyFailing(request, failuresLeft).thenApply(response -> {
            response.successful().forEach(ok -> accepted.add(ok.messageId().substring("id-".length())));
            return response;
        }));
        SqsProducer fifo = SqsProducer.builder().transport(fake).scheduler(time).maxCallsInFlight(4).build();
        List<OutgoingMessage> payments = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            for (String customer : List.of("c1", "c2", "c3")) {
                payments.add(OutgoingMessage.of(customer + ":" + i).group(customer));
            }
        }

        CompletableFuture<SendAllResult> sending = fifo.sendAllAsync("payments.fifo", payments);
        for (int i = 0; i < 20 && !sending.isDone(); i++) {
            time.advance(Duration.ofSeconds(1));
        }

        assertThat(sending.join().allSent()).isTrue();
        for (String customer : List.of("c1", "c2", "c3")) {
            assertThat(accepted.stream().filter(body -> body.startsWith(customer + ":")).toList())
                    .as("the order SQS accepted %s's payments in", customer)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 10).mapToObj(i -> customer + ":" + i).toList());
        }
        assertThat(fake.sendRequests()).allSatisfy(request -> assertThat(request.entries())
                .extracting(SendMessageBatchRequestEntry::messageGroupId).doesNotHaveDuplicates());
        fifo.close();
    }

    @Test
    void singleSendsWithinTheBatchWindowShareACall() {
        queue("orders", Map.of());
        SqsProducer batching = SqsProducer.builder().transport(counted).scheduler(time)
                .batchWindow(Duration.ofMillis(20)).build();

        List<CompletableFuture<SendResult>> sends = IntStream.range(0, 25)
                .mapToObj(i -> batching.sendAsync("orders", "m" + i)).toList();
        assertThat(counted.sendCalls.get()).isEqualTo(2); // two full batches at once; five wait for the window
        time.advance(Duration.ofMillis(20));

        assertThat(counted.sendCalls.get()).isEqualTo(3);
        assertThat(sends).allMatch(send -> send.isDone() && !send.isCompletedExceptionally());
        batching.close();
    }

    @Test
    void queueByUrlNeedsNoLookupAndAQueueIsResolvedOnce() {
        String url = queue("orders", Map.of());

        producer.send(url, "by url");
        producer.send("orders", "by name");
        producer.send("orders", "again");

        assertThat(counted.getQueueUrlCalls.get()).isEqualTo(1);
        assertThat(receiveAll(url)).hasSize(3);
    }

    @Test
    void aPlaceholderTakesTheQueueNameFromSettingsAndAnUnresolvedOneNamesTheKey() {
        String url = queue("orders-dev", Map.of());
        SqsProducer configured = SqsProducer.builder().transport(counted).scheduler(time)
                .placeholders(key -> key.equals("orders.queue") ? Optional.of("orders-dev") : Optional.empty())
                .build();

        configured.send("${orders.queue}", "one");

        assertThatThrownBy(() -> configured.send("${payments.queue}", "two")).isInstanceOf(SendFailedException.class)
                .hasMessageContaining("payments.queue");
        assertThat(receiveAll(url)).extracting(Message::body).containsExactly("one");
        configured.close();
    }

    @Test
    void aProducerAllowedOnlyToSendChecksAgainstSqsMaximumsAndStillSends() {
        String url = queue("orders", Map.of("MaximumMessageSize", "1024"));
        SqsTransport sendOnly = new ForwardingSqsTransport(sqs) {
            @Override
            public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
                return CompletableFuture.failedFuture(SqsException.builder().statusCode(403).awsErrorDetails(
                        AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("not allowed").build())
                        .message("not allowed").build());
            }
        };
        SqsProducer limited = SqsProducer.builder().transport(sendOnly).scheduler(time).build();

        limited.send("orders", "small");
        SendFailedException refusedBySqs = (SendFailedException) limited.sendAsync("orders", "z".repeat(2000))
                .handle((ok, error) -> error.getCause()).join();

        assertThat(receiveAll(url)).extracting(Message::body).containsExactly("small");
        assertThat(refusedBySqs.beforeRequest()).as("the queue's own limit was unknown: SQS judged").isFalse();
        assertThat(refusedBySqs.code()).isEqualTo("InvalidParameterValue");
        limited.close();
    }

    @Test
    void aMissingQueueFailsEachMessageNamingTheQueue() {
        SendAllResult result = producer.sendAll("nowhere", List.of("a", "b"));

        assertThat(result.failed()).hasSize(2);
        assertThat(result.failed().get(0).error()).hasMessageContaining("to queue 'nowhere' was not sent: the queue"
                + " cannot be resolved");
        assertThat(result.failed().get(0).code()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
    }

    @Test
    void aHookAddsAttributesOnTheSendingThreadAndTheyCountTowardTheLimit() {
        String url = queue("traced", Map.of());
        SqsProducer traced = SqsProducer.builder().transport(counted).scheduler(time)
                .hook((queue, attributes) -> attributes.put("traceparent", MessageAttributeValue.builder()
                        .dataType("String").stringValue("00-" + Thread.currentThread().getName()).build()))
                .build();

        traced.send("traced", "one");
        OutgoingMessage full = OutgoingMessage.of("two");
        for (int i = 0; i < 10; i++) {
            full = full.attribute("a" + i, "v");
        }
        OutgoingMessage tenAttributes = full;
        assertThatThrownBy(() -> traced.send("traced", tenAttributes)).isInstanceOf(SendFailedException.class)
                .hasMessageContaining("attributes");

        assertThat(receiveAll(url).get(0).messageAttributes().get("traceparent").stringValue())
                .isEqualTo("00-" + Thread.currentThread().getName());
        traced.close();
    }

    @Test
    void aDelayWithinFifteenMinutesIsSqsDelaySeconds() {
        String url = queue("later", Map.of());

        producer.send("later", OutgoingMessage.of("soon").delay(Duration.ofMillis(90_500)));

        time.advance(Duration.ofSeconds(90));
        assertThat(receiveAll(url)).isEmpty();
        time.advance(Duration.ofSeconds(1));
        List<Message> received = receiveAll(url);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).messageAttributes()).isEmpty();
    }

    @Test
    void aLongerDelayIsScheduledDeliveryWithTheDueTimeInAnAttribute() {
        String url = queue("reminders", Map.of());
        Instant due = time.clock().instant().plus(Duration.ofHours(1));

        producer.send("reminders", OutgoingMessage.of("remind me").deliverAt(due));

        time.advance(Duration.ofSeconds(899));
        assertThat(receiveAll(url)).isEmpty();
        time.advance(Duration.ofSeconds(1));
        Message early = receiveAll(url).get(0);
        assertThat(early.messageAttributes().get("sluice.deliver-at").stringValue()).isEqualTo(due.toString());
    }

    @Test
    void aDueTimeBeyondTheRetentionPeriodOrADelayOnAFifoQueueIsRefused() {
        queue("short-lived", Map.of("MessageRetentionPeriod", "3600"));
        queue("payments.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));

        assertThatThrownBy(() -> producer.send("short-lived", OutgoingMessage.of("x").delay(Duration.ofHours(2))))
                .isInstanceOf(SendFailedException.class).hasMessageContaining("retention period of 1h");
        assertThatThrownBy(() -> producer.send("payments.fifo", OutgoingMessage.of("x").group("g")
                .delay(Duration.ofMinutes(1))))
                .isInstanceOfSatisfying(SendFailedException.class, error ->
                        assertThat(error.code()).isEqualTo("InvalidParameterValue"))
                .hasMessageContaining("DelaySeconds");
        assertThat(counted.sendCalls.get()).isZero();
    }

    @Test
    void scheduledDeliveryNeedsRoomForItsAttribute() {
        queue("reminders", Map.of());
        OutgoingMessage full = OutgoingMessage.of("x");
        for (int i = 0; i < 10; i++) {
            full = full.attribute("a" + i, "v");
        }
        OutgoingMessage tenAttributes = full;

        assertThatThrownBy(() -> producer.send("reminders", tenAttributes.delay(Duration.ofHours(1))))
                .isInstanceOf(SendFailedException.class)
                .hasMessageContaining("its due time takes a message attribute (sluice.deliver-at), but it has 10");
        assertThat(producer.send("reminders", tenAttributes.delay(Duration.ofMinutes(15))).messageId()).isNotBlank();
    }

    private static CompletableFuture<SendMessageBatchResponse> partlyFailing(SendMessageBatchRequest request,
            Map<String, Integer> failuresLeft) {
        List<SendMessageBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (SendMessageBatchRequestEntry entry : request.entries()) {
            String body = entry.messageBody();
            if (body.equals("bad")) {
                failed.add(BatchResultErrorEntry.builder().id(entry.id()).senderFault(true)
                        .code("InvalidParameterValue").message("refused").build());
            } else if (failuresLeft.getOrDefault(body, 0) > 0) {
                failuresLeft.merge(body, -1, Integer::sum);
                failed.add(BatchResultErrorEntry.builder().id(entry.id()).senderFault(false).code("InternalError")
                        .message("try again").build());
            } else {
                ok.add(SendMessageBatchResultEntry.builder().id(entry.id()).messageId("id-" + body).build());
            }
        }
        return CompletableFuture.completedFuture(SendMessageBatchResponse.builder().successful(ok).failed(failed)
                .build());
    }
}
