package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.annotations.Retry;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.sluice.time.VirtualTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * FIFO queues keep each message group's order: one message of a group at a time, in the order received, across
 * receives and pollers; a failure stops its group until it is retried, redelivered or dead-lettered; deletes go in
 * order. On every threading set-up of {@link InMemoryWorld}.
 */
class WorkerFifoTest {

    private static final String QUEUE = "payments.fifo";
    private final List<InMemoryWorld> worlds = new ArrayList<>();

    static List<Threads> threads() {
        return Threads.available();
    }

    @AfterEach
    void close() {
        worlds.forEach(InMemoryWorld::close);
    }

    private InMemoryWorld world(Threads threads) {
        InMemoryWorld world = new InMemoryWorld(threads, 42);
        worlds.add(world);
        return world;
    }

    /** Records, per group, the order of first calls and the most calls of one group running at once. */
    static class GroupRecorder {
        final Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        final AtomicInteger mostInOneGroup = new AtomicInteger();
        final AtomicInteger runningOverall = new AtomicInteger();
        final AtomicInteger mostOverall = new AtomicInteger();
        final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        final Map<String, Integer> calls = new ConcurrentHashMap<>();
        final Map<String, String> ids = new ConcurrentHashMap<>();

        CompletableFuture<Void> handle(String body, Message message, VirtualTime time) {
            ids.put(body, message.messageId());
            String[] parts = body.split(":");
            String group = parts[0];
            int sequence = Integer.parseInt(parts[1]);
            int inGroup = running.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
            mostInOneGroup.accumulateAndGet(inGroup, Math::max);
            mostOverall.accumulateAndGet(runningOverall.incrementAndGet(), Math::max);
            CompletableFuture<Void> done = new CompletableFuture<>();
            Runnable finish = () -> {
                runningOverall.decrementAndGet();
                running.get(group).decrementAndGet();
            };
            try {
                calls.merge(body, 1, Integer::sum);
                if (body.endsWith(":fails-once") && failedOnce.add(body)) {
                    throw new IllegalStateException("transient failure (scripted)");
                }
                if (body.endsWith(":fails-delivery") && calls.get(body) <= 3) {
                    throw new IllegalStateException("fails its whole first delivery (scripted)");
                }
                if (body.endsWith(":poison")) {
                    throw new IllegalArgumentException("never processable (scripted)");
                }
            } catch (RuntimeException e) {
                finish.run();
                done.completeExceptionally(e);
                return done;
            }
            // The work takes 10 ms of virtual time: calls of different groups overlap, of one group they must not.
            time.schedule(Duration.ofMillis(10), () -> {
                List<Integer> order = handled.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>());
                if (!order.contains(sequence)) {
                    order.add(sequence);
                }
                finish.run();
                done.complete(null);
            });
            return done;
        }
    }

    static class FifoHandler {
        final GroupRecorder recorder = new GroupRecorder();
        final VirtualTime time;

        FifoHandler(VirtualTime time) {
            this.time = time;
        }

        @SqsHandler(queue = QUEUE, concurrency = 10)
        @Retry(attempts = 3, noRetryOn = IllegalArgumentException.class)
        public CompletableFuture<Void> handle(String body, Message message) {
            return recorder.handle(body, message, time);
        }
    }
    private static List<String> bodies(int groups, int perGroup, Map<String, String> suffixes) {
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= perGroup; i++) {
            for (int g = 1; g <= groups; g++) {
                String body = "g" + g + ":" + i;
                bodies.add(body + suffixes.getOrDefault(body, ""));
            }
        }
        return bodies;
    }

    private static List<String> groupsOf(List<String> bodies) {
        return bodies.stream().map(body -> body.substring(0, body.indexOf(':'))).toList();
    }

    private static List<Integer> oneTo(int count) {
        List<Integer> sequence = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            sequence.add(i);
        }
        return sequence;
    }

    @ParameterizedTest
    @MethodSource("threads")
    void aPrefilledQueueIsHandledInOrderPerGroupOneAtATimeWithGroupsInParallel(Threads threads) {
        InMemoryWorld world = world(threads);
        String url = world.queueWithDeadLetterQueue(QUEUE, "payments-dlq.fifo", 5, Map.of());
        List<String> bodies = bodies(5, 20, Map.of());
        world.send(url, bodies, groupsOf(bodies));
        FifoHandler handler = new FifoHandler(world.time);

        world.start(Worker.builder().handlers(handler));
        boolean drained = world.runUntil(() -> world.events.deleted.size() == 100, Duration.ofMillis(50),
                Duration.ofMinutes(2));

        assertThat(drained).as("all 100 handled and deleted").isTrue();
        for (int g = 1; g <= 5; g++) {
            assertThat(handler.recorder.handled.get("g" + g)).as("group g" + g + " in order").isEqualTo(oneTo(20));
        }
        assertThat(handler.recorder.mostInOneGroup).as("one message of a group at a time").hasValue(1);
        assertThat(handler.recorder.mostOverall.get()).as("groups run in parallel").isGreaterThan(1);
        assertDeletedInOrderPerGroup(world);
    }

    @ParameterizedTest
    @MethodSource("threads")
    void withPrefetchTheGroupsOrderHoldsAndNoMoreThanTheConcurrencyRun(Threads threads) {
        InMemoryWorld world = world(threads);
        String url = world.queueWithDeadLetterQueue(QUEUE, "payments-dlq.fifo", 5, Map.of());
        List<String> bodies = bodies(6, 15, Map.of("g2:3", ":fails-once", "g5:7", ":fails-delivery"));
        world.send(url, bodies, groupsOf(bodies));
        FifoHandler handler = new FifoHandler(world.time);

        world.start(Worker.builder().handlers(handler).config(WorkerConfig.builder()
                .queue(QUEUE, QueueConfig.builder().concurrency(4).prefetch(4).build()).build()));
        boolean drained = world.runUntil(() -> world.events.deleted.size() == 90, Duration.ofMillis(50),
                Duration.ofMinutes(5));

        assertThat(drained).as("all 90 handled and deleted").isTrue();
        for (int g = 1; g <= 6; g++) {
            assertThat(handler.recorder.handled.get("g" + g)).as("group g" + g + " in order").isEqualTo(oneTo(15));
        }
        assertThat(handler.recorder.mostInOneGroup).as("one message of a group at a time").hasValue(1);
        assertThat(handler.recorder.mostOverall.get()).as("prefetched messages wait for a call slot")
                .isBetween(2, 4);
        assertDeletedInOrderPerGroup(world);
    }

    @ParameterizedTest
    @MethodSource("threads")
    void aFailureIsRetriedInProcessBeforeAnyLaterMessageOfItsGroup(Threads threads) {
        InMemoryWorld world = world(threads);
        String url = world.queueWithDeadLetterQueue(QUEUE, "payments-dlq.fifo", 5, Map.of());
        List<String> bodies = bodies(3, 10, Map.of("g1:5", ":fails-once", "g2:1", ":fails-once"));
        world.send(url, bodies, groupsOf(bodies));
        FifoHandler handler = new FifoHandler(world.time);

        world.start(Worker.builder().handlers(handler));
        world.runUntil(() -> world.events.deleted.size() == 30, Duration.ofMillis(50), Duration.ofMinutes(2));

        assertThat(world.events.deleted).hasSize(30);
        assertThat(world.events.retried).containsExactlyInAnyOrder(handler.recorder.ids.get("g1:5:fails-once") + "#1",
                handler.recorder.ids.get("g2:1:fails-once") + "#1");
        for (int g = 1; g <= 3; g++) {
            assertThat(handler.recorder.handled.get("g" + g)).isEqualTo(oneTo(10));
        }
        assertDeletedInOrderPerGroup(world);
    }

    @ParameterizedTest
    @MethodSource("threads")
    void aDeliveryThatFailsStopsItsGroupItsSuccessorsAreReleasedAndComeBackAfterIt(Threads threads) {
        InMemoryWorld world = world(threads);
        String url = world.queueWithDeadLetterQueue(QUEUE, "payments-dlq.fifo", 5, Map.of());
        List<String> bodies = bodies(2, 10, Map.of("g1:4", ":fails-delivery"));
        world.send(url, bodies, groupsOf(bodies));
        FifoHandler handler = new FifoHandler(world.time);

        world.start(Worker.builder().handlers(handler));
        world.runUntil(() -> world.events.deleted.size() == 20, Duration.ofMillis(100), Duration.ofMinutes(5));

        assertThat(world.events.deleted).hasSize(20);
        assertThat(handler.recorder.handled.get("g1")).as("g1:4 came back after its back-off, then the rest")
                .isEqualTo(oneTo(10));
        assertThat(handler.recorder.handled.get("g2")).isEqualTo(oneTo(10));
        assertThat(world.events.of(WorkerEvent.GroupStopped.class)).singleElement().satisfies(stopped -> {
            assertThat(stopped.groupId()).isEqualTo("g1");
            assertThat(stopped.failed().messageId()).isEqualTo(handler.recorder.ids.get("g1:4:fails-delivery"));
        });
        assertThat(world.events.of(WorkerEvent.Redelivered.class)).extracting(event -> event.delivery().messageId())
                .containsExactly(handler.recorder.ids.get("g1:4:fails-delivery"));
        assertThat(world.events.released).as("only g1's later messages went back, unhandled")
                .allSatisfy(released -> assertThat(released).endsWith(":GROUP_STOPPED"));
        assertDeletedInOrderPerGroup(world);
    }

    @ParameterizedTest
    @MethodSource("threads")
    void aPoisonMessageIsDeadLetteredWithItsGroupAndTheGroupMovesOn(Threads threads) {
        InMemoryWorld world = world(threads);
        String url = world.queueWithDeadLetterQueue(QUEUE, "payments-dlq.fifo", 5, Map.of());
        List<String> bodies = bodies(2, 6, Map.of("g2:3", ":poison"));
        world.send(url, bodies, groupsOf(bodies));
        FifoHandler handler = new FifoHandler(world.time);

        world.start(Worker.builder().handlers(handler));
        world.runUntil(() -> world.events.deleted.size() == 11, Duration.ofMillis(50), Duration.ofMinutes(2));

        assertThat(world.events.deleted).hasSize(11);
        assertThat(handler.recorder.handled.get("g2")).isEqualTo(List.of(1, 2, 4, 5, 6));
        List<Message> dead = world.sqs.messages("payments-dlq.fifo");
        assertThat(dead).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo("g2:3:poison");
            assertThat(message.attributesAsStrings()).containsEntry("MessageGroupId", "g2");
            assertThat(message.messageAttributes()).containsKey("sluice.error.class");
        });
        assertDeletedInOrderPerGroup(world);
    }

    /** Deletes happened in each group's order (the n-th delete of a group is its n-th message). */
    private static void assertDeletedInOrderPerGroup(InMemoryWorld world) {
        Map<String, List<String>> receivedOrder = new ConcurrentHashMap<>();
        Map<String, List<String>> deletedOrder = new ConcurrentHashMap<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        for (WorkerEvent event : world.events.events) {
            if (event instanceof WorkerEvent.Received received && seen.add(received.delivery().messageId())) {
                receivedOrder.computeIfAbsent(received.delivery().groupId(), g -> new ArrayList<>())
                        .add(received.delivery().messageId());
            } else if (event instanceof WorkerEvent.Deleted deleted) {
                deletedOrder.computeIfAbsent(deleted.delivery().groupId(), g -> new ArrayList<>())
                        .add(deleted.delivery().messageId());
            }
        }
        deletedOrder.forEach((group, deleted) -> {
            List<String> expected = new ArrayList<>(receivedOrder.get(group));
            expected.retainAll(deleted);
            assertThat(deleted).as("deletes of group " + group + " in its order").isEqualTo(expected);
        });
    }
}
