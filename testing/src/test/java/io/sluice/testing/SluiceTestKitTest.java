package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.QueueConfig;
import io.sluice.WorkerConfig;
import io.sluice.annotations.ReceiveCount;
import io.sluice.annotations.SqsHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SluiceTestKitTest {

    public record Order(String id, int quantity) {
    }

    /** Accepts positive quantities and throws for the rest; payments fail until their 30th receive. */
    public static final class Orders {
        final List<Order> handled = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "orders")
        public void handle(Order order, @ReceiveCount int receiveCount) {
            if (order.quantity() <= 0) {
                throw new IllegalArgumentException("quantity must be positive: " + order.id());
            }
            handled.add(order);
        }

        @SqsHandler(queue = "payments")
        public void pay(Order order, @ReceiveCount int receiveCount) {
            if (receiveCount < 8) {
                throw new IllegalStateException("downstream unavailable, receive #" + receiveCount);
            }
            handled.add(order);
        }

        @SqsHandler(queue = "audit")
        public void audit(String line) {
            throw new IllegalStateException("audit store down");
        }
    }

    private final Orders orders = new Orders();

    @RegisterExtension
    final SluiceTestKit kit = SluiceTestKit.builder()
            .handlers(orders)
            .config(WorkerConfig.builder()
                    .queue("orders", QueueConfig.builder().maxReceiveCount(3).build())
                    .queue("audit", QueueConfig.builder().noDeadLetterQueue().build())
                    .queue("payments", QueueConfig.builder().maxReceiveCount(100).build())
                    .build())
            .patience(Duration.ofHours(1))
            // Stepping through an hour of virtual time (assertQueueEmptyFails...) is a few thousand steps: leave a slow
            // machine room, so that the virtual-time patience, not the real-time limit, is what runs out.
            .realTimeLimit(Duration.ofSeconds(30))
            .build();

    @Test
    void handledPayloadIsReturnedByAssertHandled() {
        kit.send("orders", new Order("ord-1", 2));

        Order order = kit.assertHandled("orders", Order.class, o -> o.id().equals("ord-1"));

        assertThat(order.quantity()).isEqualTo(2);
        assertThat(orders.handled).containsExactly(new Order("ord-1", 2));
        kit.assertQueueEmpty("orders");
        kit.assertNothingInFlight();
    }

    @Test
    void assertHandledFailsWhenNoHandledPayloadMatches() {
        kit.send("orders", new Order("ord-1", 2));

        assertThatThrownBy(() -> kit.assertHandled("orders", Order.class, o -> o.id().equals("ord-2")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("queue 'orders' to handle a Order")
                .hasMessageContaining("ord-1");
    }

    @Test
    void assertHandledFailsWhenTheHandlerThrows() {
        kit.send("orders", new Order("bad", 0));

        assertThatThrownBy(() -> kit.assertHandled("orders", Order.class, o -> o.id().equals("bad")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("quantity must be positive: bad");
    }

    @Test
    void failureIsReportedWithItsCause() {
        kit.send("orders", new Order("bad", 0));

        Throwable cause = kit.assertFailed("orders", Order.class, o -> o.id().equals("bad"));

        assertThat(cause).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad");
    }

    @Test
    void assertFailedFailsWhenTheHandlerSucceeds() {
        kit.send("orders", new Order("ord-1", 2));

        assertThatThrownBy(() -> kit.assertFailed("orders", Order.class, o -> true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to fail handling");
    }

    @Test
    void messageThatAlwaysFailsIsDeadLetteredAfterMaxReceiveCountInVirtualTime() {
        Instant start = kit.time().now();
        long realStart = System.nanoTime();
        kit.send("orders", new Order("poison", -1));

        Order dead = kit.assertDeadLettered("orders", Order.class, o -> o.id().equals("poison"));

        assertThat(dead.id()).isEqualTo("poison");
        // three deliveries of three calls each (200 ms, 400 ms apart), with two redelivery back-offs between them
        // (5 s then 10 s, jittered down to half rounded up: 3 s and 5 s): at least 9.8 s, passed on the virtual clock only
        assertThat(Duration.between(start, kit.time().now())).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
        // less real time than the virtual time it spans: nothing slept (in practice it takes milliseconds)
        assertThat(Duration.ofNanos(System.nanoTime() - realStart)).isLessThan(Duration.ofSeconds(9));
        kit.assertQueueEmpty("orders");
        assertThat(kit.deadLetters("orders")).singleElement().satisfies(letter -> {
            assertThat(letter.payload(Order.class)).isEqualTo(new Order("poison", -1));
            assertThat(letter.reason().sourceQueue()).isEqualTo("orders");
            assertThat(letter.reason().attempts()).isEqualTo(3);
            assertThat(letter.reason().errorClass()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(letter.reason().handler()).endsWith(".handle");
        });
    }

    @Test
    void assertDeadLetteredFailsForAMessageThatWasHandled() {
        kit.send("orders", new Order("ord-1", 2));

        assertThatThrownBy(() -> kit.assertDeadLettered("orders", Order.class, o -> o.id().equals("ord-1")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("dead-lettered from queue 'orders' to 'orders-dlq'");
    }

    @Test
    void assertDeadLetteredFailsForAQueueWithoutDeadLetterQueue() {
        assertThatThrownBy(() -> kit.assertDeadLettered("audit", String.class, line -> true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no RedrivePolicy");
    }

    @Test
    void assertQueueEmptyFailsWhileAMessageKeepsFailing() {
        kit.send("audit", "login alice");

        assertThatThrownBy(() -> kit.assertQueueEmpty("audit"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("queue 'audit' to be empty")
                .hasMessageContaining("1h of virtual time passed")
                .hasMessageContaining("login alice");
    }

    @Test
    void assertNothingInFlightFailsWhileAMessageKeepsFailing() {
        kit.send("audit", "login alice");

        assertThatThrownBy(kit::assertNothingInFlight)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("nothing to be in flight")
                .hasMessageContaining("ApproximateNumberOfMessagesNotVisible=1");
    }

    @Test
    void minutesOfRedeliveryBackOffRunInMilliseconds() {
        long realStart = System.nanoTime();
        Instant start = kit.time().now();
        kit.send("payments", new Order("pay-1", 1));

        kit.assertHandled("payments", Order.class, o -> o.id().equals("pay-1"));

        // 7 failed deliveries, each backed off 5 s x 2^(n-1) jittered between half and all of it (5 s .. 320 s):
        // between 317.5 s and 635 s of virtual time, plus 600 ms of in-process retries per delivery
        Duration elapsed = Duration.between(start, kit.time().now());
        assertThat(elapsed).isBetween(Duration.ofMillis(317_500), Duration.ofSeconds(635 + 5));
        assertThat(kit.assertFailed("payments", Order.class, o -> o.id().equals("pay-1")))
                .hasMessageContaining("receive #1");
        // a small fraction of the virtual time it spans: nothing slept (in practice it takes milliseconds)
        assertThat(Duration.ofNanos(System.nanoTime() - realStart)).isLessThan(Duration.ofSeconds(30));
    }

    /** An asynchronous handler whose stage the test completes. */
    public static final class Pending {
        final CompletableFuture<Void> stage = new CompletableFuture<>();

        @SqsHandler(queue = "slow")
        public CompletableFuture<Void> handle(String body) {
            return stage;
        }
    }

    @Test
    void assertionFailsWithinTheRealTimeLimitWhileAnAsyncHandlerIsStillRunning() {
        Pending pending = new Pending();
        try (SluiceTestKit slow = SluiceTestKit.builder().handlers(pending)
                .realTimeLimit(Duration.ofMillis(300)).build()) {
            slow.start();
            slow.send("slow", "hello");
            long started = System.nanoTime();

            assertThatThrownBy(() -> slow.assertHandled("slow", String.class, body -> true))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("real-time limit of 0.3s ran out");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the limit, not the hour of patience, ended it")
                    .isLessThan(Duration.ofSeconds(10));

            pending.stage.complete(null);
            assertThat(slow.assertHandled("slow", String.class, body -> body.equals("hello"))).isEqualTo("hello");
        }
    }

    @Test
    void advanceMovesTheVirtualClock() {
        Instant before = kit.time().now();
        kit.advance(Duration.ofMinutes(10));
        assertThat(kit.time().now()).isEqualTo(before.plus(Duration.ofMinutes(10)));
    }

    @Test
    void sendToAQueueWithoutHandlerFailsNamingTheQueues() {
        assertThatThrownBy(() -> kit.send("nope", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no queue 'nope'")
                .hasMessageContaining("orders");
    }
}
