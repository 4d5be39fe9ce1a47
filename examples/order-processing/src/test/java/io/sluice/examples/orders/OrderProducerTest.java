package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** How {@link OrderProducer} batches and how it reports what SQS did not accept, against a scripted transport. */
class OrderProducerTest {

    private static final String URL = "http://sqs.local/000000000000/order-processing";

    /** Answers each SendMessageBatch with what {@code answer} makes of it; records the requests. */
    private static final class ScriptedTransport implements SqsTransport {
        final List<SendMessageBatchRequest> requests = new CopyOnWriteArrayList<>();
        final Function<SendMessageBatchRequest, CompletableFuture<SendMessageBatchResponse>> answer;

        ScriptedTransport(Function<SendMessageBatchRequest, CompletableFuture<SendMessageBatchResponse>> answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
            requests.add(request);
            return answer.apply(request);
        }

        @Override
        public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
            return CompletableFuture.completedFuture(GetQueueUrlResponse.builder().queueUrl(URL).build());
        }

        @Override
        public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
                ChangeMessageVisibilityBatchRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** Accepts every entry, giving it the message id {@code msg-<order_id>}. */
    private static CompletableFuture<SendMessageBatchResponse> acceptAll(SendMessageBatchRequest request) {
        List<SendMessageBatchResultEntry> sent = new ArrayList<>();
        for (SendMessageBatchRequestEntry entry : request.entries()) {
            sent.add(SendMessageBatchResultEntry.builder().id(entry.id()).messageId("msg-" + orderIdOf(entry)).build());
        }
        return CompletableFuture.completedFuture(SendMessageBatchResponse.builder().successful(sent).build());
    }

    private static String orderIdOf(SendMessageBatchRequestEntry entry) {
        String body = entry.messageBody();
        int start = body.indexOf("\"order_id\": \"") + "\"order_id\": \"".length();
        return body.substring(start, body.indexOf('"', start));
    }

    @Test
    void sendsBatchesOfAtMostTenWithPythonsBytesAndReturnsTheMessageIdsInOrder() {
        ScriptedTransport transport = new ScriptedTransport(OrderProducerTest::acceptAll);
        List<Order> orders = SampleOrders.generate(25);

        List<String> messageIds = OrderProducer.forQueue(transport, "order-processing", Duration.ofSeconds(5))
                .place(orders);

        assertThat(transport.requests).extracting(request -> request.entries().size()).containsExactly(10, 10, 5);
        assertThat(transport.requests).allSatisfy(request -> assertThat(request.queueUrl()).isEqualTo(URL));
        List<String> bodies = transport.requests.stream()
                .flatMap(request -> request.entries().stream()).map(SendMessageBatchRequestEntry::messageBody).toList();
        assertThat(bodies).containsExactlyElementsOf(orders.stream().map(PythonJson::dumps).toList());
        assertThat(messageIds).containsExactlyElementsOf(orders.stream().map(o -> "msg-" + o.orderId()).toList());
    }

    @Test
    void anEntryThatFailsFailsTheCallNamingTheOrderAndTheReason() {
        ScriptedTransport transport = new ScriptedTransport(request -> {
            SendMessageBatchResponse accepted = acceptAll(request).join();
            List<SendMessageBatchResultEntry> sent = new ArrayList<>(accepted.successful());
            SendMessageBatchResultEntry rejected = sent.remove(1);
            return CompletableFuture.completedFuture(SendMessageBatchResponse.builder()
                    .successful(sent)
                    .failed(BatchResultErrorEntry.builder().id(rejected.id()).code("InvalidMessageContents")
                            .message("bad character").senderFault(true).build())
                    .build());
        });
        List<Order> orders = SampleOrders.generate(3);

        assertThatThrownBy(() -> new OrderProducer(transport, URL, Duration.ofSeconds(5)).place(orders))
                .isInstanceOf(OrderProducer.OrderProducerException.class)
                .hasMessageContaining("1 of 3 order(s) were not placed")
                .hasMessageContaining(orders.get(1).orderId() + " (InvalidMessageContents: bad character,"
                        + " sender's fault)")
                .hasMessageNotContaining(orders.get(0).orderId());
    }

    @Test
    void anEntryMissingFromTheResponseIsAFailureToo() {
        ScriptedTransport transport = new ScriptedTransport(request -> CompletableFuture.completedFuture(
                SendMessageBatchResponse.builder().build()));
        List<Order> orders = SampleOrders.generate(2);

        assertThatThrownBy(() -> new OrderProducer(transport, URL, Duration.ofSeconds(5)).place(orders))
                .isInstanceOf(OrderProducer.OrderProducerException.class)
                .hasMessageContaining("2 of 2 order(s)")
                .hasMessageContaining("neither as sent nor as failed");
    }

    @Test
    void aFailedCallFailsItsWholeBatch() {
        ScriptedTransport transport = new ScriptedTransport(request -> request.entries().size() == 10
                ? acceptAll(request)
                : CompletableFuture.failedFuture(SqsException.builder().message("throttled").statusCode(400).build()));
        List<Order> orders = SampleOrders.generate(14);

        assertThatThrownBy(() -> new OrderProducer(transport, URL, Duration.ofSeconds(5)).place(orders))
                .isInstanceOf(OrderProducer.OrderProducerException.class)
                .hasMessageContaining("4 of 14 order(s)")
                .hasMessageContaining("orders " + orders.get(10).orderId() + " .. " + orders.get(13).orderId())
                .hasMessageContaining("throttled");
    }

    @Test
    void nothingToPlaceSendsNothing() {
        ScriptedTransport transport = new ScriptedTransport(OrderProducerTest::acceptAll);

        assertThat(new OrderProducer(transport, URL, Duration.ofSeconds(5)).place(List.of())).isEmpty();
        assertThat(transport.requests).isEmpty();
    }
}
