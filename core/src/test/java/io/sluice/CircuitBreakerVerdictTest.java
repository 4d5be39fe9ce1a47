package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.VirtualStop;
import io.sluice.testutil.RecordingListener;
import io.sluice.time.VirtualTime;
import io.sluice.transport.memory.InMemorySqs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The breaker's verdict does not depend on concurrency, nor on failures returning before successes (issue 8): with the
 * default window, 100 handlers at once on a downstream where one call in ten fails at once and the rest succeed 20 ms
 * later never open a 50 % breaker; at 60 % failures it opens within a second. On virtual time, in memory.
 */
class CircuitBreakerVerdictTest {

    private static final int CONCURRENCY = 100;
    private static final Duration SUCCESS_LATENCY = Duration.ofMillis(20);

    private final VirtualTime time = new VirtualTime();
    private final InMemorySqs sqs = InMemorySqs.builder().scheduler(time).build();
    private final RecordingListener listener = new RecordingListener();
    private final List<Instant> opened = new CopyOnWriteArrayList<>();
    private Worker worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            VirtualStop.stop(worker, time, Duration.ofSeconds(1));
        }
        sqs.close();
    }

    /** A downstream that fails a fraction of calls at once and answers the others after 20 ms. */
    static class FlakyDownstreamHandler {
        private final VirtualTime time;
        private final double failureRate;
        private final SplittableRandom random = new SplittableRandom(8);

        FlakyDownstreamHandler(VirtualTime time, double failureRate) {
            this.time = time;
            this.failureRate = failureRate;
        }

        @SqsHandler(queue = "payments", concurrency = CONCURRENCY)
        @CircuitBreaker(name = "payments", failureRateThreshold = 50)
        public CompletableFuture<Void> charge(String body) {
            boolean fails;
            synchronized (random) {
                fails = random.nextDouble() < failureRate;
            }
            if (fails) {
                throw new IllegalStateException("payment declined by a flaky downstream");
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            time.schedule(SUCCESS_LATENCY, () -> done.complete(null));
            return done;
        }
    }

    private Instant start(double failureRate, int messages) {
        String dlqUrl = sqs.createQueue(b -> b.queueName("payments-dlq")).join().queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNamesWithStrings("QueueArn")).join()
                .attributesAsStrings().get("QueueArn");
        String url = sqs.createQueue(b -> b.queueName("payments").attributesWithStrings(Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}"))).join().queueUrl();
        for (int from = 0; from < messages; from += 10) {
            int first = from;
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(java.util.stream.IntStream.range(first, first + 10)
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("payment " + i)
                            .build()).toList())).join();
        }
        Instant started = time.now();
        worker = Worker.builder().transport(sqs).handlers(new FlakyDownstreamHandler(time, failureRate))
                .scheduler(time).executor(Runnable::run).listener(listener)
                .listener(WorkerListener.on(WorkerEvent.CircuitStateChanged.class, change -> {
                    if (change.to() == CircuitState.OPEN) {
                        opened.add(time.now());
                    }
                }))
                .build().start();
        return started;
    }

    private void runFor(Duration duration) {
        for (long ms = 0; ms < duration.toMillis(); ms++) {
            time.advance(Duration.ofMillis(1));
        }
    }

    @Test
    void aTenPercentFailureRateWithFailuresReturningFirstNeverOpensAFiftyPercentBreaker() {
        int messages = 10_000;
        start(0.10, messages);

        for (int second = 0; second < 60 && listener.deleted.size() < messages; second++) {
            runFor(Duration.ofSeconds(1));
        }

        assertThat(listener.circuitChanges).as("the breaker never left CLOSED").isEmpty();
        assertThat(listener.failed).as("about one call in ten failed").hasSizeBetween(800, 1_400);
        assertThat(listener.deleted).as("every payment handled and deleted").hasSize(messages);
        assertThat(listener.deadLettered).isEmpty();
    }

    @Test
    void aSixtyPercentFailureRateOpensTheBreakerWithinASecond() {
        Instant started = start(0.60, 2_000);

        runFor(Duration.ofSeconds(1));

        assertThat(listener.circuitChanges).startsWith("payments:CLOSED->OPEN");
        assertThat(Duration.between(started, opened.get(0))).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anExplicitMinimumBelowTheConcurrencyIsHonoured() {
        BreakerPolicy policy = BreakerPolicy.builder().minimumCalls(10).build();

        assertThat(policy.effectiveMinimumCalls(CONCURRENCY)).isEqualTo(10);
        assertThat(BreakerPolicy.builder().build().effectiveMinimumCalls(CONCURRENCY)).isEqualTo(100);
        assertThat(BreakerPolicy.builder().build().effectiveMinimumCalls(250)).as("the concurrency raises it")
                .isEqualTo(250);
        assertThat(BreakerPolicy.builder().build().effectiveMinimumCalls(4)).isEqualTo(100);
    }
}
