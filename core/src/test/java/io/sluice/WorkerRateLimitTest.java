package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import io.sluice.transport.ForwardingSqsTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/** {@code maxMessagesPerSecond}: a queue's receives kept within a rate, before the receive, on virtual time. */
class WorkerRateLimitTest {

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 13);

    @AfterEach
    void close() {
        world.close();
    }

    static final class Orders {
        final AtomicInteger handled = new AtomicInteger();

        @SqsHandler(queue = "orders", concurrency = 50, maxMessagesPerSecond = 20)
        public void handle(String body) {
            handled.incrementAndGet();
        }
    }

    /** Every receive's size, as asked. */
    static final class ReceiveSizes extends ForwardingSqsTransport {
        final List<Integer> asked = new CopyOnWriteArrayList<>();

        ReceiveSizes(io.sluice.transport.SqsTransport delegate) {
            super(delegate);
        }

        @Override
        public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
            asked.add(request.maxNumberOfMessages());
            return super.receiveMessage(request);
        }
    }

    private String backlog(int count) {
        String url = world.queueWithDeadLetterQueue("orders", "orders-dlq", 3, Map.of());
        world.sendNumbered(url, count);
        return url;
    }

    @Test
    void theAnnotationsRateHoldsAcrossTheQueuesPollersAndEveryReceiveAsksOnlyForTokens() {
        backlog(1000);
        Orders orders = new Orders();
        ReceiveSizes sizes = new ReceiveSizes(world.sqs);
        world.start(Worker.builder().handlers(orders), sizes);

        world.runUntil(() -> false, Duration.ofMillis(50), Duration.ofSeconds(10));

        assertThat(orders.handled.get()).as("20/s for 10 s, five pollers, plus the first receive's worth")
                .isBetween(195, 215);
        assertThat(sizes.asked.stream().mapToInt(Integer::intValue).sum()).as("asked for no more than it got")
                .isLessThanOrEqualTo(orders.handled.get() + 10);
        assertThat(sizes.asked.size()).as("full receives, not one message at a time: requests per message stay low")
                .isLessThanOrEqualTo(orders.handled.get() / 10 + 6);
    }

    @Test
    void queueConfigOverridesTheAnnotation() {
        backlog(1000);
        Orders orders = new Orders();
        world.start(Worker.builder().handlers(orders).config(WorkerConfig.builder()
                .queue("orders", QueueConfig.builder().maxMessagesPerSecond(5).build()).build()));

        world.runUntil(() -> false, Duration.ofMillis(50), Duration.ofSeconds(10));

        assertThat(orders.handled.get()).isBetween(48, 56);
    }
}
