package io.sluice;

import static io.sluice.testutil.TestMessages.message;
import static io.sluice.testutil.TestMessages.receiptHandleOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.VirtualStop;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.testutil.RecordingListener;
import io.sluice.time.VirtualTime;
import io.sluice.transport.SqsUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class WorkerTest {

    private final FakeSqsTransport transport = new FakeSqsTransport();
    private final VirtualTime time = new VirtualTime();
    private final RecordingListener listener = new RecordingListener();
    private final List<Worker> workers = new ArrayList<>();

    @AfterEach
    void stopWorkers() {
        workers.forEach(worker -> VirtualStop.stop(worker, time, Duration.ofSeconds(1)));
    }

    record Order(String id) {
    }

    static class OrderHandler {
        final List<Order> orders = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "orders")
        public void handle(Order order) {
            if (order.id().startsWith("bad")) {
                throw new IllegalStateException("cannot process " + order.id());
            }
            orders.add(order);
        }
    }

    static class PaymentHandler {
        @SqsHandler(queue = "payments.fifo")
        public void handle(String body) {
        }
    }

    private Worker worker(WorkerConfig config, Object... handlers) {
        Worker worker = Worker.builder()
                .transport(transport)
                .handlers(handlers)
                .config(config)
                .scheduler(time)
                .executor(Runnable::run)
                .listener(listener)
                .build();
        workers.add(worker);
        return worker;
    }

    private Worker worker(Object... handlers) {
        return worker(WorkerConfig.defaults(), handlers);
    }

    // ---- startup ----

    @Test
    void buildValidatesHandlersAndListsTheirQueues() {
        Worker worker = worker(new OrderHandler(), new PaymentHandler());

        assertThat(worker.queues()).containsExactly("orders", "payments.fifo");
        assertThat(worker.handlers()).containsEntry("orders", "OrderHandler.handle")
                .containsEntry("payments.fifo", "PaymentHandler.handle");
        assertThat(worker.isRunning()).isFalse();
    }

    @Test
    void buildFailsWithoutTransport() {
        assertThatThrownBy(() -> Worker.builder().handlers(new OrderHandler()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transport");
    }

    @Test
    void startFailsNamingQueueAndHandlerWhenTheQueueDoesNotExist() {
        Worker worker = worker(new OrderHandler(), new PaymentHandler());

        HandlerDefinitionException error = catchThrowableOfType(HandlerDefinitionException.class, worker::start);

        assertThat(error).isNotNull();
        assertThat(error.problems()).hasSize(2);
        assertThat(error.problems().get(0)).contains("queue 'orders'", "OrderHandler.handle", "does not exist");
        assertThat(error.problems().get(1)).contains("queue 'payments.fifo'", "PaymentHandler.handle");
        assertThat(worker.isRunning()).isFalse();
        assertThat(transport.receives()).isEmpty();
        assertThat(transport.createQueueRequests()).as("never created without createQueues").isEmpty();
    }

    @Test
    void startFailsNamingQueueWhenTheEndpointFails() {
        transport.onGetQueueUrl(request -> CompletableFuture.failedFuture(SdkClientException.create("connection refused")));
        Worker worker = worker(new OrderHandler());

        assertThatThrownBy(worker::start)
                .as("not a handler problem (issue 8)")
                .isInstanceOf(SqsUnavailableException.class)
                .hasMessageContaining("queue 'orders'")
                .hasMessageContaining("OrderHandler.handle")
                .hasMessageContaining("connection refused");
    }

    @Test
    void startFailsNamingQueueWhenResolvingTimesOut() {
        transport.onGetQueueUrl(request -> new CompletableFuture<>());
        Worker worker = worker(WorkerConfig.builder().startupTimeout(Duration.ofMillis(50)).build(), new OrderHandler());

        CompletableFuture<Worker> starting = worker.startAsync();
        time.advance(Duration.ofMillis(50)); // the startup timeout runs on the worker's clock

        assertThatThrownBy(starting::join).cause()
                .as("not a handler problem (issue 8)")
                .isInstanceOf(SqsUnavailableException.class)
                .hasMessageContaining("queue 'orders'")
                .hasMessageContaining("did not resolve within the startup timeout of 50ms");
    }

    @Test
    void startsOnlyOnce() {
        transport.withQueue("orders");
        Worker worker = worker(new OrderHandler()).start();

        assertThat(worker.isRunning()).isTrue();
        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void createsMissingQueueWithDeadLetterQueueAndRedrivePolicy() throws Exception {
        worker(WorkerConfig.builder().createQueues(true).build(), new OrderHandler()).start();

        assertThat(transport.createQueueRequests()).extracting(CreateQueueRequest::queueName)
                .containsExactly("orders-dlq", "orders");
        // The DLQ's ARN for the RedrivePolicy; then, at startup, the queue's VisibilityTimeout and RedrivePolicy.
        assertThat(transport.getQueueAttributesRequests()).first().satisfies(request -> {
            assertThat(request.queueUrl()).isEqualTo(FakeSqsTransport.urlOf("orders-dlq"));
            assertThat(request.attributeNames()).contains(QueueAttributeName.QUEUE_ARN);
        });
        assertThat(transport.getQueueAttributesRequests()).last().satisfies(request -> {
            assertThat(request.queueUrl()).isEqualTo(FakeSqsTransport.urlOf("orders"));
            assertThat(request.attributeNames()).contains(QueueAttributeName.REDRIVE_POLICY);
        });
        Map<String, String> attributes = transport.createQueueRequests().get(1).attributesAsStrings();
        JsonNode redrive = new ObjectMapper().readTree(attributes.get("RedrivePolicy"));
        assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(FakeSqsTransport.arnOf("orders-dlq"));
        assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(3);
        assertThat(attributes).doesNotContainKey("FifoQueue");
        assertThat(transport.lastReceive().request().queueUrl()).isEqualTo(FakeSqsTransport.urlOf("orders"));
    }

    @Test
    void createsFifoQueueWithFifoDeadLetterQueue() throws Exception {
        worker(WorkerConfig.builder().createQueues(true).build(), new PaymentHandler()).start();

        List<CreateQueueRequest> created = transport.createQueueRequests();
        assertThat(created).extracting(CreateQueueRequest::queueName).containsExactly("payments-dlq.fifo", "payments.fifo");
        assertThat(created.get(0).attributesAsStrings()).containsEntry("FifoQueue", "true")
                .doesNotContainKey("RedrivePolicy");
        assertThat(created.get(1).attributesAsStrings()).containsEntry("FifoQueue", "true");
        JsonNode redrive = new ObjectMapper().readTree(created.get(1).attributesAsStrings().get("RedrivePolicy"));
        assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(FakeSqsTransport.arnOf("payments-dlq.fifo"));
        assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(3);
    }

    @Test
    void createdQueueUsesConfiguredDeadLetterQueueAndMaxReceiveCount() throws Exception {
        WorkerConfig config = WorkerConfig.builder().createQueues(true)
                .queue("orders", QueueConfig.builder().deadLetterQueue("orders-poison").maxReceiveCount(7).build())
                .build();

        worker(config, new OrderHandler()).start();

        assertThat(transport.createQueueRequests()).extracting(CreateQueueRequest::queueName)
                .containsExactly("orders-poison", "orders");
        JsonNode redrive = new ObjectMapper().readTree(
                transport.createQueueRequests().get(1).attributesAsStrings().get("RedrivePolicy"));
        assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(FakeSqsTransport.arnOf("orders-poison"));
        assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(7);
    }

    @Test
    void createdQueueWithoutDeadLetterQueueHasNoRedrivePolicy() {
        WorkerConfig config = WorkerConfig.builder().createQueues(true)
                .queue("orders", QueueConfig.builder().noDeadLetterQueue().build()).build();

        worker(config, new OrderHandler()).start();

        assertThat(transport.createQueueRequests()).singleElement().satisfies(request -> {
            assertThat(request.queueName()).isEqualTo("orders");
            assertThat(request.attributesAsStrings()).doesNotContainKey("RedrivePolicy");
        });
    }

    @Test
    void existingQueueIsNotCreated() {
        transport.withQueue("orders");

        worker(WorkerConfig.builder().createQueues(true).build(), new OrderHandler()).start();

        assertThat(transport.createQueueRequests()).isEmpty();
        assertThat(transport.receives()).isNotEmpty();
    }

    static class PlaceholderHandler {
        final List<String> bodies = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "${orders.queue}")
        public void handle(String body) {
            bodies.add(body);
        }
    }

    private static WorkerConfig.Builder placeholders(Map<String, String> values) {
        return WorkerConfig.builder().placeholders(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void aPlaceholderQueueTakesTheSettingsOfTheResolvedName() {
        transport.withQueue("orders-prod");
        WorkerConfig config = placeholders(Map.of("orders.queue", "orders-prod"))
                .queue("orders-prod", QueueConfig.builder().concurrency(3).build()).build();

        Worker worker = worker(config, new PlaceholderHandler()).start();

        assertThat(worker.queues()).containsExactly("orders-prod");
        assertThat(transport.getQueueUrlRequests()).extracting(GetQueueUrlRequest::queueName)
                .containsExactly("orders-prod");
        assertThat(transport.lastReceive().request().maxNumberOfMessages()).as("the queue's concurrency of 3")
                .isEqualTo(3);
    }

    @Test
    void aPlaceholderWithoutValueFailsBuildNamingTheHandlerAndTheKey() {
        assertThatThrownBy(() -> worker(placeholders(Map.of()).build(), new PlaceholderHandler()))
                .isInstanceOf(HandlerDefinitionException.class)
                .hasMessageContaining("PlaceholderHandler.handle: no value for key 'orders.queue'")
                .hasMessageContaining("ORDERS_QUEUE");
    }

    @Test
    void aQueueGivenByUrlIsConsumedAsGivenAndNamedByItsLastSegment() {
        transport.withQueue("orders");
        PlaceholderHandler handler = new PlaceholderHandler();
        WorkerConfig config = placeholders(Map.of("orders.queue", FakeSqsTransport.urlOf("orders")))
                .createQueues(true).build();

        Worker worker = worker(config, handler).start();
        transport.addMessages(message("m1", "hello"));

        assertThat(worker.queues()).containsExactly("orders");
        assertThat(transport.getQueueUrlRequests()).isEmpty();
        assertThat(transport.createQueueRequests()).as("a queue given by URL is never created").isEmpty();
        assertThat(transport.lastReceive().request().queueUrl()).isEqualTo(FakeSqsTransport.urlOf("orders"));
        assertThat(handler.bodies).containsExactly("hello");
        assertThat(listener.deliveries.get("m1").queue()).isEqualTo("orders");
    }

    // ---- handling ----

    @Test
    void successfulHandlingDeletesTheMessage() {
        transport.withQueue("orders");
        OrderHandler handler = new OrderHandler();
        worker(handler).start();

        transport.addMessages(message("m1", "{\"id\": \"o-1\"}"));
        assertThat(handler.orders).containsExactly(new Order("o-1"));
        assertThat(listener.handled).containsExactly("m1");
        time.advance(WorkerConfig.DEFAULT_DELETE_FLUSH_INTERVAL);

        assertThat(transport.deleteRequests()).singleElement().satisfies(request -> {
            assertThat(request.queueUrl()).isEqualTo(FakeSqsTransport.urlOf("orders"));
            assertThat(request.entries()).singleElement()
                    .satisfies(entry -> assertThat(entry.receiptHandle()).isEqualTo(receiptHandleOf("m1")));
        });
        assertThat(listener.deleted).containsExactly("m1");
        assertThat(listener.deliveries.get("m1").handler()).isEqualTo("OrderHandler.handle");
        assertThat(listener.deliveries.get("m1").receiveCount()).isEqualTo(1);
    }

    @Test
    void failedHandlingIsRetriedThenBackedOffAndNeverDeleted() {
        transport.withQueue("orders");
        worker(new OrderHandler()).start();

        transport.addMessages(message("m1", "{\"id\": \"bad-1\"}"));
        time.advance(Duration.ofMinutes(1));

        assertThat(listener.failed).containsExactly("m1", "m1", "m1");
        assertThat(listener.retried).containsExactly("m1#1", "m1#2");
        assertThat(listener.failures.get("m1")).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot process bad-1");
        assertThat(listener.handled).isEmpty();
        assertThat(transport.deleteRequests()).isEmpty();
        // No DLQ is known and this was delivery 1 of 3: it comes back after the first back-off (5 s, jittered).
        assertThat(transport.visibilityChanges()).singleElement().satisfies(entry -> {
            assertThat(entry.receiptHandle()).isEqualTo(receiptHandleOf("m1"));
            assertThat(entry.visibilityTimeout()).isBetween(2, 5);
        });
    }

    @Test
    void poisonMessageIsReportedAsBindingFailureAndNotDeleted() {
        transport.withQueue("orders");
        worker(new OrderHandler()).start();

        transport.addMessages(message("m1", "{not json"));
        time.advance(Duration.ofMinutes(1));

        assertThat(listener.failures.get("m1")).isInstanceOf(MessageBindingException.class)
                .hasMessageContaining("m1")
                .hasMessageContaining("OrderHandler.handle");
        assertThat(transport.deleteRequests()).isEmpty();
    }

    @Test
    void handlingGoesOnAfterAFailure() {
        transport.withQueue("orders");
        OrderHandler handler = new OrderHandler();
        worker(handler).start();

        transport.addMessages(message("m1", "{\"id\": \"bad-1\"}"), message("m2", "{\"id\": \"o-2\"}"));
        transport.addMessages(message("m3", "{\"id\": \"o-3\"}"));
        time.advance(WorkerConfig.DEFAULT_DELETE_FLUSH_INTERVAL);

        assertThat(handler.orders).extracting(Order::id).containsExactly("o-2", "o-3");
        assertThat(transport.deletedReceiptHandles()).containsExactly(receiptHandleOf("m2"), receiptHandleOf("m3"));
        assertThat(listener.failed).containsExactly("m1");
    }

    @Test
    void deleteThatFailsForGoodIsReported() {
        transport.withQueue("orders");
        transport.onDelete(request -> CompletableFuture.completedFuture(FakeSqsTransport.deletedExcept(request,
                handle -> BatchResultErrorEntry.builder()
                        .code("ReceiptHandleIsInvalid").message("expired").senderFault(true))));
        worker(new OrderHandler()).start();

        transport.addMessages(message("m1", "{\"id\": \"o-1\"}"));
        time.advance(WorkerConfig.DEFAULT_DELETE_FLUSH_INTERVAL);

        assertThat(listener.deleteFailed).containsExactly("m1");
        assertThat(listener.failures.get("m1")).hasMessageContaining("ReceiptHandleIsInvalid");
        assertThat(listener.deleted).isEmpty();
    }

    // ---- shutdown ----

    @Test
    void stopFlushesPendingDeletesAndCancelsTheOpenReceive() throws InterruptedException {
        transport.withQueue("orders");
        Worker worker = worker(new OrderHandler()).start();
        transport.addMessages(message("m1", "{\"id\": \"o-1\"}"));
        assertThat(transport.deleteRequests()).as("waiting for the flush interval").isEmpty();

        boolean clean = VirtualStop.stop(worker, time, Duration.ofSeconds(5));

        assertThat(clean).isTrue();
        assertThat(transport.deletedReceiptHandles()).containsExactly(receiptHandleOf("m1"));
        assertThat(transport.receives()).last().satisfies(receive -> assertThat(receive.isCancelled()).isTrue());
        assertThat(worker.isRunning()).isFalse();
        assertThat(worker.inFlight()).isZero();
        assertThat(transport.isClosed()).as("the caller owns the transport").isFalse();
        assertThat(worker.awaitTermination(Duration.ZERO)).isTrue();
    }

    @Test
    void stopClosesAnOwnedTransport() {
        transport.withQueue("orders");
        Worker worker = Worker.builder().ownedTransport(transport).handlers(new OrderHandler()).scheduler(time)
                .executor(Runnable::run).build().start();

        VirtualStop.stop(worker, time, Duration.ofSeconds(1));

        assertThat(transport.isClosed()).isTrue();
    }

    @Test
    void stopBeforeStartReleasesResourcesAndMakesStartFail() {
        Worker worker = Worker.builder().ownedTransport(transport).handlers(new OrderHandler()).build();

        assertThat(worker.stop()).isTrue();

        assertThat(transport.isClosed()).isTrue();
        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
    }
}
