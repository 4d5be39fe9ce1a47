package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.MessageId;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The handler's thread carries the call's queue, message id and handler in its logging context, and only then. */
class WorkerLoggingContextTest {

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 3);

    @AfterEach
    void close() {
        world.close();
    }

    static final class Recording {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "orders")
        public void handle(String body, @MessageId String id) {
            seen.add(MDC.get("sluice.queue") + "|" + MDC.get("sluice.messageId") + "|" + MDC.get("sluice.handler")
                    + "|" + id);
        }

        @SqsHandler(queue = "payments")
        public CompletionStage<Void> pay(String body, @MessageId String id) {
            seen.add(MDC.get("sluice.queue") + "|" + MDC.get("sluice.messageId") + "|" + id);
            return CompletableFuture.completedFuture(null);
        }
    }

    @Test
    void blockingAndAsyncHandlersSeeTheirCallInTheContextAndTheThreadIsCleanAfter() {
        String orders = world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        String payments = world.queueWithDeadLetterQueue("payments", "payments-dlq", 3, Map.of());
        Recording handler = new Recording();
        world.start(Worker.builder().handlers(handler));
        MDC.put("sluice.queue", "the test's own value");

        String orderId = world.send(orders, "{}", Map.of());
        String paymentId = world.send(payments, "{}", Map.of());
        world.runUntil(() -> handler.seen.size() == 2, Duration.ofMillis(100), Duration.ofSeconds(5));

        assertThat(handler.seen).containsExactlyInAnyOrder(
                "orders|" + orderId + "|Recording.handle|" + orderId,
                "payments|" + paymentId + "|" + paymentId);
        assertThat(MDC.get("sluice.queue")).as("put back as it was").isEqualTo("the test's own value");
        assertThat(MDC.get("sluice.messageId")).isNull();
        assertThat(MDC.get("sluice.handler")).isNull();
        MDC.clear();
    }
}
