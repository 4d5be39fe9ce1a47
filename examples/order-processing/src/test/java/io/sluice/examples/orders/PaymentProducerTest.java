package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * {@link PaymentProducer} sends what the article's {@code send_payment_request} sends, on {@link InMemorySqs} (which
 * keeps FIFO groups and deduplication as SQS does), and stops at a payment SQS did not accept.
 */
class PaymentProducerTest {

    private final InMemorySqs sqs = InMemorySqs.create();

    @AfterEach
    void close() {
        sqs.close();
    }

    private String fifoQueue() {
        return sqs.createQueue(CreateQueueRequest.builder().queueName("payments.fifo")
                .attributesWithStrings(Map.of("FifoQueue", "true")).build()).join().queueUrl();
    }

    /** Receives (and deletes) everything, group by group as a FIFO queue hands it out. */
    private List<Message> drain(String url) {
        List<Message> received = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(url)
                    .maxNumberOfMessages(10).messageSystemAttributeNamesWithStrings("All").build()).join().messages();
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

        List<String> messageIds = PaymentProducer.forQueue(sqs, "payments.fifo", Duration.ofSeconds(5)).place(payments);

        assertThat(messageIds).hasSize(25).doesNotHaveDuplicates();
        List<Message> received = drain(url);
        assertThat(received).hasSize(25);
        for (Message message : received) {
            Payment payment = payments.get(messageIds.indexOf(message.messageId()));
            assertThat(message.body()).isEqualTo(PythonJson.dumps(payment));
            assertThat(message.attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID,
                    payment.customerId()).containsEntry(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID,
                    payment.transactionId());
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
        PaymentProducer producer = new PaymentProducer(sqs, url, Duration.ofSeconds(5));

        producer.place(payments);
        producer.place(payments.subList(1, 2)); // the same transaction_id: the MessageDeduplicationId

        assertThat(drain(url)).hasSize(3);
    }

    @Test
    void stopsAtAPaymentThatWasNotAcceptedSoThatNoLaterOneOvertakesIt() {
        String url = fifoQueue();
        List<SendMessageBatchRequest> requests = new CopyOnWriteArrayList<>();
        // Rejects the 13th payment: the second batch's third entry.
        SqsTransport rejecting = new Delegating(sqs) {
            @Override
            public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
                requests.add(request);
                if (requests.size() != 2) {
                    return sqs.sendMessageBatch(request);
                }
                SendMessageBatchResponse sent = sqs.sendMessageBatch(request.toBuilder()
                        .entries(request.entries().subList(0, 2)).build()).join();
                List<SendMessageBatchResultEntry> successful = new ArrayList<>(sent.successful());
                successful.addAll(sqs.sendMessageBatch(request.toBuilder()
                        .entries(request.entries().subList(3, request.entries().size())).build()).join().successful());
                return CompletableFuture.completedFuture(SendMessageBatchResponse.builder().successful(successful)
                        .failed(BatchResultErrorEntry.builder().id("2").code("InternalError").message("try again")
                                .senderFault(false).build())
                        .build());
            }
        };
        List<Payment> payments = SamplePayments.named("t3", 5).next(30);

        assertThatThrownBy(() -> new PaymentProducer(rejecting, url, Duration.ofSeconds(5)).place(payments))
                .isInstanceOf(PaymentProducer.PaymentProducerException.class)
                .hasMessageContaining("txn-t3-0013 (InternalError: try again)")
                .hasMessageContaining("placed after a payment that was not: txn-t3-0014, txn-t3-0015")
                .hasMessageContaining("the 10 later payment(s) were not sent");
        assertThat(requests).as("no batch after the failed one").hasSize(2);
    }

    @Test
    void aPaymentWithoutItsGroupOrDeduplicationIdIsRefusedBeforeSendingAnything() {
        String url = fifoQueue();
        List<Payment> payments = new ArrayList<>(SamplePayments.named("t4", 2).next(2));
        payments.add(new Payment(null, "txn-x", 1L, null, null, null));

        assertThatThrownBy(() -> new PaymentProducer(sqs, url, Duration.ofSeconds(5)).place(payments))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customer_id");
        assertThat(drain(url)).isEmpty();
    }

    /** Passes every call to {@code delegate}. */
    private static class Delegating implements SqsTransport {
        private final SqsTransport delegate;

        Delegating(SqsTransport delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
            return delegate.getQueueUrl(request);
        }

        @Override
        public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
            return delegate.createQueue(request);
        }

        @Override
        public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
            return delegate.getQueueAttributes(request);
        }

        @Override
        public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
            return delegate.receiveMessage(request);
        }

        @Override
        public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
            return delegate.deleteMessageBatch(request);
        }

        @Override
        public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
                ChangeMessageVisibilityBatchRequest request) {
            return delegate.changeMessageVisibilityBatch(request);
        }

        @Override
        public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
            return delegate.sendMessageBatch(request);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
