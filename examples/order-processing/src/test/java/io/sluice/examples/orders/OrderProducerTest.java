package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.producer.SendFailedException;
import io.sluice.producer.SqsProducer;
import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * What {@link OrderProducer} puts on the wire through Sluice's producer, and how it reports the orders SQS did not
 * accept, on {@link InMemorySqs} behind a transport that records (and, where a case says so, rewrites) the sends.
 */
class OrderProducerTest {

    private final InMemorySqs sqs = InMemorySqs.create();
    private final String url = sqs.createQueue(CreateQueueRequest.builder().queueName(OrderProcessor.QUEUE).build())
            .join().queueUrl();
    private final List<SqsProducer> producers = new ArrayList<>();

    @AfterEach
    void close() {
        producers.forEach(SqsProducer::close);
        sqs.close();
    }

    /** Records each SendMessageBatch and answers it with what {@code answer} makes of it. */
    private static final class ScriptedTransport extends ForwardingSqsTransport {
        final List<SendMessageBatchRequest> requests = new CopyOnWriteArrayList<>();
        final Function<SendMessageBatchRequest, CompletableFuture<SendMessageBatchResponse>> answer;

        ScriptedTransport(InMemorySqs sqs,
                Function<SendMessageBatchRequest, CompletableFuture<SendMessageBatchResponse>> answer) {
            super(sqs);
            this.answer = answer;
        }

        @Override
        public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
            requests.add(request);
            return answer.apply(request);
        }
    }

    private OrderProducer producer(ScriptedTransport transport) {
        SqsProducer producer = SqsProducer.create(transport);
        producers.add(producer);
        return new OrderProducer(producer, OrderProcessor.QUEUE);
    }

    @Test
    void sendsBatchesOfAtMostTenWithPythonsBytesAndReturnsTheMessageIdsInOrder() {
        ScriptedTransport transport = new ScriptedTransport(sqs, sqs::sendMessageBatch);
        List<Order> orders = SampleOrders.generate(25);

        List<String> messageIds = producer(transport).place(orders);

        assertThat(transport.requests).extracting(request -> request.entries().size()).containsExactly(10, 10, 5);
        assertThat(transport.requests).allSatisfy(request -> assertThat(request.queueUrl()).isEqualTo(url));
        List<SendMessageBatchRequestEntry> entries = transport.requests.stream()
                .flatMap(request -> request.entries().stream()).toList();
        assertThat(entries).extracting(SendMessageBatchRequestEntry::messageBody)
                .containsExactlyElementsOf(orders.stream().map(PythonJson::dumps).toList());
        assertThat(entries).as("no attribute, no FIFO ids: the article's send_message").allSatisfy(entry -> {
            assertThat(entry.messageAttributes()).isEmpty();
            assertThat(entry.messageGroupId()).isNull();
            assertThat(entry.delaySeconds()).isNull();
        });
        assertThat(messageIds).hasSize(25).doesNotHaveDuplicates();
        List<Message> received = new ArrayList<>();
        for (int receive = 0; receive < 10 && received.size() < 25; receive++) {
            received.addAll(sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(url).maxNumberOfMessages(10)
                    .build()).join().messages());
        }
        assertThat(received).hasSize(25).allSatisfy(message -> assertThat(message.body())
                .isEqualTo(PythonJson.dumps(orders.get(messageIds.indexOf(message.messageId())))));
    }

    @Test
    void anEntrySqsRefusesFailsThePlacementNamingTheOrderAndTheReason() {
        ScriptedTransport transport = new ScriptedTransport(sqs, request -> {
            SendMessageBatchRequestEntry refused = request.entries().get(1);
            List<SendMessageBatchRequestEntry> others = new ArrayList<>(request.entries());
            others.remove(refused);
            List<SendMessageBatchResultEntry> sent = sqs.sendMessageBatch(request.toBuilder().entries(others).build())
                    .join().successful();
            return CompletableFuture.completedFuture(SendMessageBatchResponse.builder().successful(sent)
                    .failed(BatchResultErrorEntry.builder().id(refused.id()).code("InvalidMessageContents")
                            .message("bad character").senderFault(true).build())
                    .build());
        });
        List<Order> orders = SampleOrders.generate(3);

        assertThatThrownBy(() -> producer(transport).place(orders))
                .isInstanceOf(OrderProducer.OrderProducerException.class)
                .hasMessageContaining("1 of 3 order(s) were not placed on '" + OrderProcessor.QUEUE + "': "
                        + orders.get(1).orderId() + " (")
                .hasMessageContaining("InvalidMessageContents: bad character")
                .hasMessageNotContaining(orders.get(0).orderId())
                .hasMessageNotContaining(orders.get(2).orderId())
                .cause().isInstanceOfSatisfying(SendFailedException.class,
                        error -> assertThat(error.code()).isEqualTo("InvalidMessageContents"));
        assertThat(transport.requests).as("the sender's fault: not retried").hasSize(1);
    }

    @Test
    void aCallSqsRefusesFailsEveryOrderOfItsBatchNamingEach() {
        ScriptedTransport transport = new ScriptedTransport(sqs, request -> request.entries().size() == 10
                ? sqs.sendMessageBatch(request)
                : CompletableFuture.failedFuture(SqsException.builder().message("access denied").statusCode(403)
                        .build()));
        List<Order> orders = SampleOrders.generate(14);

        assertThatThrownBy(() -> producer(transport).place(orders))
                .isInstanceOf(OrderProducer.OrderProducerException.class)
                .hasMessageContaining("4 of 14 order(s)")
                .hasMessageContaining("access denied")
                .hasMessageNotContaining(orders.get(9).orderId() + " (")
                .satisfies(error -> assertThat(orders.subList(10, 14)).allSatisfy(order ->
                        assertThat(error.getMessage()).contains(order.orderId() + " (")));
    }

    @Test
    void nothingToPlaceSendsNothing() {
        ScriptedTransport transport = new ScriptedTransport(sqs, sqs::sendMessageBatch);

        assertThat(producer(transport).place(List.of())).isEmpty();
        assertThat(transport.requests).isEmpty();
    }
}
