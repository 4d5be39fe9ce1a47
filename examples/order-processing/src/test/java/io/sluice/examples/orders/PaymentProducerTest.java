package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.producer.SqsProducer;
import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * {@link PaymentProducer} sends what the article's {@code send_payment_request} sends, through Sluice's producer on
 * {@link InMemorySqs} (which keeps FIFO groups and deduplication as SQS does), each customer's payments in order, and
 * stops at a payment SQS did not accept.
 */
class PaymentProducerTest {

    private final InMemorySqs sqs = InMemorySqs.create();
    private final List<SqsProducer> producers = new ArrayList<>();

    @AfterEach
    void close() {
        producers.forEach(SqsProducer::close);
        sqs.close();
    }

    private PaymentProducer producer(SqsTransport transport) {
        SqsProducer producer = SqsProducer.create(transport);
        producers.add(producer);
        return new PaymentProducer(producer, PaymentProcessor.QUEUE);
    }

    private String fifoQueue() {
        return sqs.createQueue(CreateQueueRequest.builder().queueName(PaymentProcessor.QUEUE)
                .attributesWithStrings(Map.of("FifoQueue", "true")).build()).join().queueUrl();
    }

    /** Receives (and deletes) everything, group by group as a FIFO queue hands it out. */
    private List<Message> drain(String url) {
        List<Message> received = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(url)
                    .maxNumberOfMessages(10).messageSystemAttributeNamesWithStrings("All").messageAttributeNames("All")
                    .build()).join().messages();
            if (batch.isEmpty()) {
                return received;
            }
            received.addAll(batch);
            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(batch.get(i).receiptHandle()).build());
            }
            sqs.deleteMessageBatch(DeleteMessageBatchRequest.builder().queueUrl(url).entries(deletes).build()).join();
        }
    }

    @Test
    void sendsTheArticlesMessageGroupAndDeduplicationIdsWithPythonsBytesInOrder() {
        String url = fifoQueue();
        List<Payment> payments = SamplePayments.named("t1", 3).next(25);

        List<String> messageIds = producer(sqs).place(payments);

        assertThat(messageIds).hasSize(25).doesNotHaveDuplicates();
        List<Message> received = drain(url);
        assertThat(received).hasSize(25);
        for (Message message : received) {
            Payment payment = payments.get(messageIds.indexOf(message.messageId()));
            assertThat(message.body()).isEqualTo(PythonJson.dumps(payment));
            assertThat(message.attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID,
                    payment.customerId()).containsEntry(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID,
                    payment.transactionId());
            assertThat(message.messageAttributes()).as("no attribute but the article's").isEmpty();
        }
        // Each customer's payments come out in the order they were made.
        for (int customer = 1; customer <= 3; customer++) {
            String id = "cust-t1-" + customer;
            assertThat(received.stream().filter(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)
                    .equals(id)).map(m -> payments.get(messageIds.indexOf(m.messageId())).sequence()).toList())
                    .as("sequences of %s as received", id).isSorted().hasSize(customer == 1 ? 9 : 8);
        }
    }

    @Test
    void aTransactionSentTwiceIsDeliveredOnce() {
        String url = fifoQueue();
        List<Payment> payments = SamplePayments.named("t2", 2).next(3);
        PaymentProducer producer = producer(sqs);

        producer.place(payments);
        producer.place(payments.subList(1, 2)); // the same transaction_id: the MessageDeduplicationId

        assertThat(drain(url)).hasSize(3);
    }

    /**
     * A transport that fails the payment {@code transactionId} in every call that carries it, {@code times} times, as
     * the server's fault (which the producer retries), and passes the rest of the call on; records every call.
     */
    private static final class Failing extends ForwardingSqsTransport {
        final List<SendMessageBatchRequest> requests = new CopyOnWriteArrayList<>();
        private final String transactionId;
        private final AtomicInteger failures;

        Failing(SqsTransport delegate, String transactionId, int times) {
            super(delegate);
            this.transactionId = transactionId;
            this.failures = new AtomicInteger(times);
        }

        @Override
        public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
            requests.add(request);
            List<SendMessageBatchRequestEntry> failed = request.entries().stream()
                    .filter(entry -> entry.messageDeduplicationId().equals(transactionId)
                            && failures.getAndDecrement() > 0)
                    .toList();
            List<SendMessageBatchRequestEntry> passed = new ArrayList<>(request.entries());
            passed.removeAll(failed);
            List<SendMessageBatchResultEntry> sent = passed.isEmpty() ? List.of()
                    : super.sendMessageBatch(request.toBuilder().entries(passed).build()).join().successful();
            return CompletableFuture.completedFuture(SendMessageBatchResponse.builder().successful(sent)
                    .failed(failed.stream().map(entry -> BatchResultErrorEntry.builder().id(entry.id())
                            .code("InternalError").message("try again").senderFault(false).build()).toList())
                    .build());
        }
    }

    private static List<String> transactionIds(List<Message> messages) {
        return messages.stream().map(message -> message.attributes()
                .get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID)).toList();
    }

    @Test
    void aPaymentRetriedAfterATransientFailureIsNotOvertakenByItsCustomersNext() {
        String url = fifoQueue();
        // The 13th payment (customer 3's third) fails once; the producer sends it again.
        Failing failing = new Failing(sqs, "txn-t5-0013", 1);
        List<Payment> payments = SamplePayments.named("t5", 5).next(30);

        List<String> messageIds = producer(failing).place(payments);

        assertThat(messageIds).hasSize(30).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(failing.requests).as("at most one payment per customer per call").allSatisfy(request ->
                assertThat(request.entries()).extracting(SendMessageBatchRequestEntry::messageGroupId)
                        .doesNotHaveDuplicates());
        assertThat(failing.requests.stream().mapToInt(request -> request.entries().size()).sum())
                .as("30 payments and the retry").isEqualTo(31);
        assertThat(transactionIds(drain(url)).stream().filter(id -> Integer.parseInt(id.substring(7)) % 5 == 3))
                .as("customer 3's payments as received").containsExactly("txn-t5-0003", "txn-t5-0008",
                        "txn-t5-0013", "txn-t5-0018", "txn-t5-0023", "txn-t5-0028");
    }

    @Test
    void aPaymentThatWasNotAcceptedStopsItsCustomersLaterOnesSoThatNoneOvertakesIt() {
        String url = fifoQueue();
        // The 13th payment fails whenever it is sent: the producer tries it three times, then gives up.
        Failing failing = new Failing(sqs, "txn-t3-0013", Integer.MAX_VALUE);
        List<Payment> payments = SamplePayments.named("t3", 5).next(30);

        assertThatThrownBy(() -> producer(failing).place(payments))
                .isInstanceOf(PaymentProducer.PaymentProducerException.class)
                .hasMessageContaining("4 of 30 payment(s) were not placed on '" + PaymentProcessor.QUEUE
                        + "': txn-t3-0013 (")
                .hasMessageContaining("InternalError: try again")
                .hasMessageContaining("txn-t3-0018 (")
                .hasMessageContaining("would break its order");
        List<String> notPlaced = List.of("txn-t3-0013", "txn-t3-0018", "txn-t3-0023", "txn-t3-0028");
        assertThat(failing.requests.stream().flatMap(request -> request.entries().stream())
                .map(SendMessageBatchRequestEntry::messageDeduplicationId).filter(notPlaced::contains))
                .as("the 13th tried three times; customer 3's later payments never sent")
                .containsExactly("txn-t3-0013", "txn-t3-0013", "txn-t3-0013");
        assertThat(transactionIds(drain(url))).containsExactlyInAnyOrderElementsOf(payments.stream()
                .map(Payment::transactionId).filter(id -> !notPlaced.contains(id)).toList());
    }

    @Test
    void aPaymentWithoutItsGroupOrDeduplicationIdIsRefusedBeforeSendingAnything() {
        String url = fifoQueue();
        List<Payment> payments = new ArrayList<>(SamplePayments.named("t4", 2).next(2));
        payments.add(new Payment(null, "txn-x", 1L, null, null, null));

        assertThatThrownBy(() -> producer(sqs).place(payments))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customer_id");
        assertThat(drain(url)).isEmpty();
    }
}
