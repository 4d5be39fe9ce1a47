package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.annotations.CircuitBreaker;
import io.sluice.annotations.Redelivery;
import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Batch handlers ({@code Batch<T>}): several messages per call; partial failure sends back only the failed messages,
 * each through its own retry, back-off and dead-letter policy; poison goes to the DLQ alone; on FIFO queues a batch
 * keeps each group's order and a failure releases its group's later messages.
 */
class WorkerBatchTest {

    private final List<InMemoryWorld> worlds = new ArrayList<>();

    static List<Threads> threads() {
        return Threads.available();
    }

    @AfterEach
    void close() {
        worlds.forEach(InMemoryWorld::close);
    }

    private InMemoryWorld world(Threads threads) {
        InMemoryWorld world = new InMemoryWorld(threads, 7);
        worlds.add(world);
        return world;
    }

    record Invoice(String id, int amount) {
    }

    /** Fails the invoices with a negative amount (they come back), records every batch it gets. */
    static class InvoiceStore {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final Map<String, Integer> seen = new ConcurrentHashMap<>();
        final Set<String> stored = ConcurrentHashMap.newKeySet();

        @SqsHandler(queue = "invoices", concurrency = 20, maxBatchSize = 10, maxBatchWaitMillis = 200)
        @Retry(attempts = 1)
        @Redelivery(backoffSeconds = 1, maxBackoffSeconds = 1)
        public void store(Batch<Invoice> batch) {
            batches.add(batch.items().stream().map(item -> item.payload().id()).toList());
            for (Batch.Item<Invoice> item : batch) {
                seen.merge(item.payload().id(), 1, Integer::sum);
                if (item.payload().amount() < 0 && item.receiveCount() < 2) {
                    item.fail(new IllegalStateException("ledger refused " + item.payload().id()));
                } else {
                    stored.add(item.payload().id());
                }
            }
        }
    }

    private static List<String> invoices(int count, Set<Integer> negative) {
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            bodies.add("{\"id\":\"inv-" + i + "\",\"amount\":" + (negative.contains(i) ? -1 : i) + "}");
        }
        return bodies;
    }

    @ParameterizedTest
    @MethodSource("threads")
    void onlyTheFailedItemsOfABatchComeBackTheOthersAreDeleted(Threads threads) {
        InMemoryWorld world = world(threads);
        String url = world.queueWithDeadLetterQueue("invoices", "invoices-dlq", 5, Map.of());
        world.send(url, invoices(30, Set.of(3, 17)), null);
        InvoiceStore store = new InvoiceStore();

        world.start(Worker.builder().handlers(store));
        world.runUntil(() -> store.stored.size() == 30 && world.events.deleted.size() == 30, Duration.ofMillis(50),
                Duration.ofMinutes(1));

        assertThat(store.stored).hasSize(30);
        assertThat(world.events.deleted).hasSize(30).doesNotHaveDuplicates();
        assertThat(store.batches).as("several messages per call, never more than 10")
                .allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(10))
                .anySatisfy(batch -> assertThat(batch).hasSizeGreaterThan(1));
        assertThat(store.seen).as("only the two failed invoices were handled twice")
                .containsEntry("inv-3", 2).containsEntry("inv-17", 2)
                .allSatisfy((id, times) -> assertThat(times).isEqualTo(id.equals("inv-3") || id.equals("inv-17")
                        ? 2 : 1));
        assertThat(world.events.of(WorkerEvent.Redelivered.class)).extracting(event -> event.delivery().messageId())
                .hasSize(2);
        assertThat(world.events.of(WorkerEvent.BatchHandled.class)).isNotEmpty()
                .anySatisfy(batch -> assertThat(batch.failed()).isEqualTo(1));
    }

    @ParameterizedTest
    @MethodSource("threads")
    void aMessageThatCannotBeBoundIsDeadLetteredAloneAndTheRestOfItsBatchRuns(Threads threads) {
        InMemoryWorld world = world(threads);
        String url = world.queueWithDeadLetterQueue("invoices", "invoices-dlq", 5, Map.of());
        List<String> bodies = invoices(9, Set.of());
        bodies.add(4, "not an invoice at all");
        world.send(url, bodies, null);
        InvoiceStore store = new InvoiceStore();

        world.start(Worker.builder().handlers(store));
        world.runUntil(() -> world.events.deleted.size() == 9 && world.events.deadLettered.size() == 1,
                Duration.ofMillis(50), Duration.ofMinutes(1));

        assertThat(store.stored).hasSize(9);
        assertThat(store.batches.stream().flatMap(List::stream)).as("the poison never reached the handler")
                .hasSize(9);
        assertThat(world.sqs.messages("invoices-dlq")).singleElement().satisfies(dead -> {
            assertThat(dead.body()).isEqualTo("not an invoice at all");
            assertThat(dead.messageAttributes().get("sluice.error.class").stringValue())
                    .isEqualTo(MessageBindingException.class.getName());
            assertThat(dead.messageAttributes().get("sluice.error.message").stringValue()).contains("batch item")
                    .doesNotContain("not an invoice");
        });
    }

    static class ThrowingStore {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "invoices", concurrency = 10, maxBatchSize = 5)
        @Retry(attempts = 2, delayMillis = 100)
        @CircuitBreaker(name = "ledger", minimumCalls = 2, failureRateThreshold = 50, waitInOpenSeconds = 60)
        public void store(Batch<Invoice> batch) {
            batchSizes.add(batch.size());
            throw new IllegalStateException("the ledger is down");
        }
    }

    @Test
    void throwingFailsEveryItemAndTheBreakerCountsABatchCallAsOneCall() {
        InMemoryWorld world = world(Threads.INLINE);
        String url = world.queueWithDeadLetterQueue("invoices", "invoices-dlq", 5, Map.of());
        world.send(url, invoices(5, Set.of()), null);
        ThrowingStore store = new ThrowingStore();

        world.start(Worker.builder().handlers(store));
        world.runUntil(() -> !world.events.circuitChanges.isEmpty(), Duration.ofMillis(50), Duration.ofSeconds(10));

        assertThat(store.batchSizes).as("one batch of five, retried once in process").containsExactly(5, 5);
        assertThat(world.events.failed).as("every item failed, on each call").hasSize(10);
        assertThat(world.events.circuitChanges).as("two calls, not ten, opened a 2-call breaker")
                .containsExactly("ledger:CLOSED->OPEN");
    }

    /** A FIFO batch handler: fails "g1:3" on its first delivery; records what it saw per group. */
    static class FifoBatchStore {
        final Map<String, List<Integer>> firstStored = new ConcurrentHashMap<>();
        final Set<String> done = ConcurrentHashMap.newKeySet();
        final List<List<String>> batches = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "ledger.fifo", concurrency = 10, maxBatchSize = 10)
        @Retry(attempts = 1)
        @Redelivery(backoffSeconds = 1, maxBackoffSeconds = 1)
        public void store(Batch<String> batch) {
            batches.add(batch.payloads());
            for (Batch.Item<String> item : batch) {
                String body = item.payload();
                if (item.groupFailed()) {
                    continue; // an earlier message of its group failed: this one comes back after it
                }
                if (body.equals("g1:3") && item.receiveCount() == 1) {
                    item.fail(new IllegalStateException("g1:3 refused once"));
                    continue;
                }
                if (done.add(body)) {
                    firstStored.computeIfAbsent(item.groupId(), g -> new CopyOnWriteArrayList<>())
                            .add(Integer.parseInt(body.substring(3)));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("threads")
    void aFifoBatchKeepsEachGroupsOrderAndAFailureReleasesItsGroupsLaterMessages(Threads threads) {
        InMemoryWorld world = world(threads);
        String url = world.queueWithDeadLetterQueue("ledger.fifo", "ledger-dlq.fifo", 5, Map.of());
        List<String> bodies = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            for (String group : List.of("g1", "g2")) {
                bodies.add(group + ":" + i);
                groups.add(group);
            }
        }
        world.send(url, bodies, groups);
        FifoBatchStore store = new FifoBatchStore();

        world.start(Worker.builder().handlers(store));
        world.runUntil(() -> world.events.deleted.size() == 12, Duration.ofMillis(50), Duration.ofMinutes(1));

        assertThat(world.events.deleted).hasSize(12);
        assertThat(store.firstStored.get("g1")).isEqualTo(List.of(1, 2, 3, 4, 5, 6));
        assertThat(store.firstStored.get("g2")).isEqualTo(List.of(1, 2, 3, 4, 5, 6));
        for (List<String> batch : store.batches) {
            for (String group : List.of("g1", "g2")) {
                List<Integer> ofGroup = batch.stream().filter(body -> body.startsWith(group))
                        .map(body -> Integer.parseInt(body.substring(3))).toList();
                assertThat(ofGroup).as("a batch holds a group's messages in order").isSorted();
            }
        }
        assertThat(world.events.released).as("g1's messages after g3 went back unhandled-as-far-as-SQS-knows")
                .isNotEmpty().allSatisfy(released -> assertThat(released).endsWith(":GROUP_STOPPED"));
    }

    static class TooLargeBatches {
        @SqsHandler(queue = "invoices", concurrency = 5, maxBatchSize = 10)
        public void store(Batch<Invoice> batch) {
        }
    }

    @Test
    void aBatchLargerThanTheConcurrencyIsRefusedAtStartNamingTheHandler() {
        InMemoryWorld world = world(Threads.INLINE);
        world.queueWithDeadLetterQueue("invoices", "invoices-dlq", 5, Map.of());

        assertThatThrownBy(() -> Worker.builder().transport(world.sqs).handlers(new TooLargeBatches())
                .scheduler(world.time).build().start())
                .isInstanceOf(HandlerDefinitionException.class)
                .hasMessageContaining("TooLargeBatches.store")
                .hasMessageContaining("maxBatchSize must be between 1 and the queue's concurrency 5");
    }

    static class BatchWithOtherParameters {
        @SqsHandler(queue = "invoices")
        public void store(Batch<Invoice> batch, Message message) {
        }
    }

    @Test
    void aBatchHandlerTakesItsBatchAsItsOnlyParameter() {
        assertThatThrownBy(() -> Worker.builder().transport(new io.sluice.testutil.FakeSqsTransport())
                .handlers(new BatchWithOtherParameters()).build())
                .isInstanceOf(HandlerDefinitionException.class)
                .hasMessageContaining("BatchWithOtherParameters.store")
                .hasMessageContaining("takes its Batch<T> as its only parameter");
    }
}
