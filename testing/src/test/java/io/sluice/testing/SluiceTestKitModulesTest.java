package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.sluice.annotations.MessageAttribute;
import io.sluice.annotations.SqsHandler;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit over a user's Guice module: same handler classes, same module, transport swapped in by one line. */
class SluiceTestKitModulesTest {

    public record Shipment(String orderId, String carrier) {
    }

    @Singleton
    public static final class Ledger {
        final List<String> entries = new CopyOnWriteArrayList<>();
    }

    public static final class Shipping {
        private final Ledger ledger;

        @Inject
        Shipping(Ledger ledger) {
            this.ledger = ledger;
        }

        @SqsHandler(queue = "shipments")
        public void ship(Shipment shipment, @MessageAttribute("tenant") String tenant) {
            ledger.entries.add(tenant + ":" + shipment.orderId());
        }
    }

    /** What production binds: a handler, and a transport that must not be used in tests. */
    static final class ShippingModule extends AbstractModule {
        @Override
        protected void configure() {
            bind(Shipping.class);
            bind(SqsTransport.class).toInstance(new UnusableTransport());
        }
    }

    @RegisterExtension
    final SluiceTestKit kit = SluiceTestKit.forModules(new ShippingModule());

    @Test
    void handlerFromTheModuleRunsOnTheInMemoryTransport() {
        kit.send("shipments", new Shipment("ord-7", "ups"), Map.of("tenant", "acme"));

        kit.assertHandled("shipments", Shipment.class, s -> s.carrier().equals("ups"));

        assertThat(kit.injector().getInstance(Ledger.class).entries).containsExactly("acme:ord-7");
        assertThat(kit.injector().getInstance(SqsTransport.class)).isNotInstanceOf(UnusableTransport.class);
        assertThat(kit.sqs()).isInstanceOf(InMemorySqs.class);
        kit.assertQueueEmpty("shipments");
    }

    @Test
    void unbindablePayloadFailsAssertHandledAndEndsInTheDeadLetterQueue() {
        kit.send("shipments", "not json");

        assertThatThrownBy(() -> kit.assertHandled("shipments", Shipment.class, s -> true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("not json")
                .hasMessageContaining("MessageBindingException");
        // the kit created the queue with a DLQ after 3 receives, as WorkerConfig.createQueues does
        kit.assertDeadLettered("shipments", String.class, body -> body.equals("not json"));
        kit.assertQueueEmpty("shipments");
    }

    /** Fails every call: proves the module's own transport binding is overridden. */
    static final class UnusableTransport implements SqsTransport {
        private static UnsupportedOperationException unusable() {
            return new UnsupportedOperationException("the production transport must not be used in tests");
        }

        @Override
        public java.util.concurrent.CompletableFuture<software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse>
                getQueueUrl(software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest request) {
            throw unusable();
        }

        @Override
        public java.util.concurrent.CompletableFuture<software.amazon.awssdk.services.sqs.model.CreateQueueResponse>
                createQueue(software.amazon.awssdk.services.sqs.model.CreateQueueRequest request) {
            throw unusable();
        }

        @Override
        public java.util.concurrent.CompletableFuture<
                software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse> getQueueAttributes(
                software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest request) {
            throw unusable();
        }

        @Override
        public java.util.concurrent.CompletableFuture<software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse>
                receiveMessage(software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest request) {
            throw unusable();
        }

        @Override
        public java.util.concurrent.CompletableFuture<
                software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse> deleteMessageBatch(
                software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest request) {
            throw unusable();
        }

        @Override
        public java.util.concurrent.CompletableFuture<
                software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse>
                changeMessageVisibilityBatch(
                software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest request) {
            throw unusable();
        }

        @Override
        public java.util.concurrent.CompletableFuture<
                software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse> sendMessageBatch(
                software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest request) {
            throw unusable();
        }

        @Override
        public void close() {
        }
    }
}
