package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import io.sluice.QueueConfig;
import io.sluice.WorkerConfig;
import io.sluice.annotations.SqsHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** {@link SluiceTestKit.Builder#manualStart()}: queues created first, filled while no worker runs, then a backlog. */
class SluiceTestKitManualStartTest {

    public record Payment(String transaction, String customer, int cents) {
    }

    public record Order(String id) {
    }

    public static final class Handlers {
        /** {@code group:transaction}, in the order the handler ran. */
        final List<String> payments = new CopyOnWriteArrayList<>();
        final List<String> orders = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "payments.fifo")
        public void pay(Payment payment, Message message) {
            if (payment.cents() < 0) {
                throw new IllegalArgumentException("negative amount in " + payment.transaction());
            }
            payments.add(message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID) + ":"
                    + payment.transaction());
        }

        @SqsHandler(queue = "orders")
        public void order(Order order) {
            orders.add(order.id());
        }
    }

    private final Handlers handlers = new Handlers();

    @RegisterExtension
    final SluiceTestKit kit = SluiceTestKit.builder()
            .handlers(handlers)
            .config(WorkerConfig.builder()
                    .queue("orders", QueueConfig.builder().deadLetterQueue("orders-parking").maxReceiveCount(4).build())
                    .build())
            .manualStart()
            .build();

    @Test
    void queuesAndTheirDeadLetterQueuesExistBeforeTheWorkerStarts() {
        assertThat(kit.worker().isRunning()).isFalse();

        Map<String, String> fifo = attributes("payments.fifo");
        assertThat(fifo).containsEntry("FifoQueue", "true");
        assertThat(fifo.get("RedrivePolicy")).contains(":payments-dlq.fifo\"", "\"maxReceiveCount\":3");
        assertThat(attributes("payments-dlq.fifo")).containsEntry("FifoQueue", "true");

        assertThat(attributes("orders")).doesNotContainKey("FifoQueue");
        assertThat(attributes("orders").get("RedrivePolicy")).contains(":orders-parking\"", "\"maxReceiveCount\":4");
        assertThat(attributes("orders-parking")).isNotNull();
    }

    @Test
    void prefilledMessagesWaitForStartWorkerAndAreAllHandledAfterIt() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String customer = "cust-" + (i % 3);
            String transaction = "tx-" + i;
            kit.message(new Payment(transaction, customer, 100 + i)).group(customer).deduplicationId(transaction)
                    .sendTo("payments.fifo");
            sent.add(customer + ":" + transaction);
        }
        for (int i = 0; i < 20; i++) {
            kit.send("orders", new Order("ord-" + i));
        }
        kit.advance(java.time.Duration.ofMinutes(5));

        assertThat(handlers.payments).as("handled before startWorker()").isEmpty();
        assertThat(handlers.orders).as("handled before startWorker()").isEmpty();
        assertThat(kit.sqs().messages("payments.fifo")).hasSize(30);
        assertThat(kit.sqs().messages("orders")).hasSize(20);

        kit.startWorker();

        kit.assertQueueEmpty("payments.fifo");
        kit.assertQueueEmpty("orders");
        kit.assertNothingInFlight();
        assertThat(handlers.payments).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(byGroup(handlers.payments).keySet()).containsExactly("cust-0", "cust-1", "cust-2");
        assertThat(byGroup(handlers.payments).values()).allSatisfy(transactions -> assertThat(transactions).hasSize(10));
        assertThat(handlers.orders).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void eachGroupOfAPrefilledBacklogIsHandledInTheOrderItWasSent() {
        Map<String, List<String>> sentByGroup = new TreeMap<>();
        for (int i = 0; i < 60; i++) {
            String customer = "cust-" + (i % 4);
            kit.message(new Payment("tx-" + i, customer, i)).group(customer).sendTo("payments.fifo");
            sentByGroup.computeIfAbsent(customer, ignored -> new ArrayList<>()).add("tx-" + i);
        }

        kit.startWorker();
        kit.assertQueueEmpty("payments.fifo");

        assertThat(byGroup(handlers.payments)).isEqualTo(sentByGroup);
    }

    @Test
    void prefilledPoisonPaymentIsDeadLetteredToTheFifoDeadLetterQueue() {
        kit.message(new Payment("tx-bad", "cust-1", -1)).group("cust-1").deduplicationId("tx-bad")
                .sendTo("payments.fifo");
        kit.message(new Payment("tx-ok", "cust-2", 1)).group("cust-2").deduplicationId("tx-ok")
                .sendTo("payments.fifo");

        kit.startWorker();

        Payment dead = kit.assertDeadLettered("payments.fifo", Payment.class, p -> p.transaction().equals("tx-bad"));
        assertThat(dead.customer()).isEqualTo("cust-1");
        assertThat(kit.sqs().messages("payments-dlq.fifo")).singleElement().satisfies(message -> assertThat(
                message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo("cust-1"));
        assertThat(handlers.payments).containsExactly("cust-2:tx-ok");
    }

    @Test
    void assertionsOnTheWorkerFailAtOnceBeforeStartWorker() {
        kit.send("orders", new Order("ord-1"));

        assertThatThrownBy(() -> kit.assertHandled("orders", Order.class, order -> true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("assertHandled waits for the worker, which has not started")
                .hasMessageContaining("startWorker()");
        assertThatThrownBy(() -> kit.assertFailed("orders", Order.class, order -> true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("assertFailed");
        assertThatThrownBy(() -> kit.assertDeadLettered("orders", Order.class, order -> true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("assertDeadLettered");

        kit.startWorker();
        assertThat(kit.assertHandled("orders", Order.class, order -> true)).isEqualTo(new Order("ord-1"));
    }

    @Test
    void startWorkerTwiceFails() {
        kit.startWorker();

        assertThatThrownBy(kit::startWorker)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("startWorker() was called before");
    }

    @Test
    void startWorkerFailsOnAKitThatStartsItsWorkerItself() {
        try (SluiceTestKit automatic = SluiceTestKit.forHandlers(new Handlers())) {
            automatic.start();

            assertThatThrownBy(automatic::startWorker)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("unless it is built with manualStart()");
        }
    }

    @Test
    void kitOverModulesStartsItsWorkerManuallyToo() {
        Handlers bound = new Handlers();
        try (SluiceTestKit modules = SluiceTestKit.builder().modules(new AbstractModule() {
            @Override
            protected void configure() {
                bind(Handlers.class).toInstance(bound);
            }
        }).manualStart().build()) {
            modules.start();
            modules.message(new Payment("tx-m", "cust-m", 1)).group("cust-m").sendTo("payments.fifo");
            modules.send("orders", new Order("ord-m"));
            assertThat(attributes(modules, "payments-dlq.fifo")).containsEntry("FifoQueue", "true");
            assertThat(bound.payments).isEmpty();

            modules.startWorker();

            modules.assertHandled("orders", Order.class, order -> order.id().equals("ord-m"));
            modules.assertQueueEmpty("payments.fifo");
            assertThat(bound.payments).containsExactly("cust-m:tx-m");
        }
    }

    private Map<String, String> attributes(String queue) {
        return attributes(kit, queue);
    }

    private static Map<String, String> attributes(SluiceTestKit kit, String queue) {
        String url = kit.sqs().getQueueUrl(b -> b.queueName(queue)).join().queueUrl();
        return kit.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All")).join()
                .attributesAsStrings();
    }

    /** {@code group:transaction} entries by group, each group's transactions in handling order. */
    private static Map<String, List<String>> byGroup(List<String> entries) {
        Map<String, List<String>> groups = new TreeMap<>();
        for (String entry : entries) {
            String[] parts = entry.split(":", 2);
            groups.computeIfAbsent(parts[0], ignored -> new ArrayList<>()).add(parts[1]);
        }
        return groups;
    }
}
