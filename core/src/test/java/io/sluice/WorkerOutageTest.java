package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.ReceiveCount;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import io.sluice.transport.ForwardingSqsTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * A downstream outage of ten minutes on virtual time (issue 12), with SQS moving a message to the DLQ after 3 receives:
 * the breaker opens, nothing reaches the dead-letter queue, every message is handled once the downstream is back, and
 * no receive is made (so no receive count is spent) while the breaker is open.
 */
class WorkerOutageTest {

    private static final Duration OUTAGE = Duration.ofMinutes(10);
    private static final int MESSAGES = 200;

    private final InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 3);

    @AfterEach
    void close() {
        world.close();
    }

    final class Payments {
        final Instant outageEnds = world.time.now().plus(OUTAGE);
        final Set<String> handled = ConcurrentHashMap.newKeySet();
        final AtomicInteger failedCalls = new AtomicInteger();
        final List<Integer> receiveCountsWhenHandled = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "payments", concurrency = 10)
        @CircuitBreaker(name = "payments-api", minimumCalls = 10, failureRateThreshold = 50, waitInOpenSeconds = 30,
                permittedInHalfOpen = 2)
        public void charge(String body, @MessageId String id, @ReceiveCount int receiveCount) {
            if (world.time.now().isBefore(outageEnds)) {
                failedCalls.incrementAndGet();
                throw new IllegalStateException("payments API unavailable");
            }
            handled.add(id);
            receiveCountsWhenHandled.add(receiveCount);
        }
    }

    /** The receives the worker makes, with the time of each. */
    static final class ReceiveClock extends ForwardingSqsTransport {
        final List<Instant> receives = new CopyOnWriteArrayList<>();
        private final java.util.function.Supplier<Instant> now;

        ReceiveClock(io.sluice.transport.SqsTransport delegate, java.util.function.Supplier<Instant> now) {
            super(delegate);
            this.now = now;
        }

        @Override
        public java.util.concurrent.CompletableFuture<ReceiveMessageResponse> receiveMessage(
                ReceiveMessageRequest request) {
            receives.add(now.get());
            return super.receiveMessage(request);
        }
    }

    @Test
    void aTenMinuteOutageDeadLettersNothingAndSpendsNoReceiveWhileTheBreakerIsOpen() {
        String url = world.queueWithDeadLetterQueue("payments", "payments-dlq", 3, Map.of("VisibilityTimeout", "30"));
        String dlq = world.join(world.sqs.getQueueUrl(b -> b.queueName("payments-dlq"))).queueUrl();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            bodies.add("{\"payment\":" + i + "}");
        }
        world.send(url, bodies, null);
        Payments payments = new Payments();
        ReceiveClock clock = new ReceiveClock(world.sqs, world.time::now);
        List<Instant[]> openIntervals = new CopyOnWriteArrayList<>();
        world.start(Worker.builder().handlers(payments).listener(WorkerListener.on(WorkerEvent.CircuitStateChanged.class,
                change -> {
                    if (change.to() == CircuitState.OPEN) {
                        openIntervals.add(new Instant[] {world.time.now(), null});
                    } else if (change.from() == CircuitState.OPEN) {
                        openIntervals.get(openIntervals.size() - 1)[1] = world.time.now();
                    }
                })), clock);

        boolean done = world.runUntil(() -> payments.handled.size() == MESSAGES, Duration.ofSeconds(1),
                OUTAGE.plus(Duration.ofMinutes(10)));

        assertThat(done).as("every payment handled after the outage; handled %s", payments.handled.size()).isTrue();
        assertThat(payments.failedCalls).as("calls failed during the outage").hasPositiveValue();
        assertThat(openIntervals).as("the breaker opened, again after each failed probe").hasSizeGreaterThan(5);
        for (Instant[] open : openIntervals) {
            Instant closed = open[1] != null ? open[1] : Instant.MAX;
            assertThat(clock.receives).as("no receive while the breaker was open from %s to %s", open[0], open[1])
                    .noneMatch(at -> at.isAfter(open[0]) && at.isBefore(closed));
        }
        assertThat(world.join(world.sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNamesWithStrings(
                "ApproximateNumberOfMessages"))).attributesAsStrings()).containsEntry("ApproximateNumberOfMessages",
                "0");
        assertThat(payments.receiveCountsWhenHandled).as("each handled before SQS would have moved it").allMatch(
                count -> count <= 3);
    }
}
