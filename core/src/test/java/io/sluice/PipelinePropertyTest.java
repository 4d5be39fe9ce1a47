package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Generated runs of the whole pipeline on the in-memory transport and virtual time: random groups, random handler
 * failures (retryable, poison, slow), random executor interleavings, standard and FIFO queues, single and batch
 * handlers, per-group caps. After each run: nothing is lost (every message handled and deleted, or dead-lettered with
 * its reason, and nothing left on the queue), a FIFO group's calls and deletes follow its order, no group has more
 * calls at once than its cap, and a message that never failed is never dead-lettered.
 *
 * <p>{@value #DEFAULT_CASES} cases per build from the seed {@value #DEFAULT_SEED}; {@code -Dsluice.property.seed=N}
 * (or {@code random}) and {@code -Dsluice.property.cases=N} explore others. A failing case prints its own seed, and
 * {@code -Dsluice.property.case=SEED} runs that case alone.
 */
class PipelinePropertyTest {

    static final int DEFAULT_CASES = 200;
    static final long DEFAULT_SEED = 20261130L;
    private static final Duration STEP = Duration.ofMillis(200);
    private static final Duration LIMIT = Duration.ofHours(2);

    /** What one generated run is made of. */
    record Scenario(long seed, boolean fifo, Threads threads, int concurrency, int groupCap, int batchSize,
            int retryAttempts, int maxAttempts, int visibilitySeconds, List<Spec> messages) {
        @Override
        public String toString() {
            return "seed " + seed + ": " + (fifo ? "FIFO" : "standard") + ", " + threads + ", concurrency "
                    + concurrency + (groupCap > 0 ? ", cap " + groupCap : "")
                    + (batchSize > 0 ? ", batches of " + batchSize : "") + ", " + retryAttempts + " call(s) x "
                    + maxAttempts + " deliveries, visibility " + visibilitySeconds + " s, " + messages.size()
                    + " messages";
        }
    }

    /**
     * One message: its group (or none), its place in the group, and what its handler does: {@code ok}; fail its first
     * {@code failures} calls; poison; or take {@code slowMillis} of virtual time.
     */
    record Spec(String group, int sequence, String kind, int failures, int slowMillis) {
        String body() {
            return group + ":" + sequence + ":" + kind + ":" + failures + ":" + slowMillis;
        }

        static Spec parse(String body) {
            String[] parts = body.split(":");
            return new Spec(parts[0], Integer.parseInt(parts[1]), parts[2], Integer.parseInt(parts[3]),
                    Integer.parseInt(parts[4]));
        }
    }

    static Stream<Arguments> scenarios() {
        String single = System.getProperty("sluice.property.case");
        if (single != null) {
            return Stream.of(Arguments.of(generate(Long.parseLong(single))));
        }
        String seedProperty = System.getProperty("sluice.property.seed", Long.toString(DEFAULT_SEED));
        long base = seedProperty.equals("random") ? new SplittableRandom().nextLong() : Long.parseLong(seedProperty);
        int cases = Integer.getInteger("sluice.property.cases", DEFAULT_CASES);
        System.out.println("PipelinePropertyTest: base seed " + base + ", " + cases + " cases");
        SplittableRandom seeds = new SplittableRandom(base);
        return IntStream.range(0, cases).mapToObj(i -> Arguments.of(generate(seeds.nextLong())));
    }

    static Scenario generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean fifo = random.nextInt(10) < 4;
        double threadRoll = random.nextDouble();
        Threads threads = threadRoll < 0.4 ? Threads.INLINE : threadRoll < 0.9 ? Threads.SHUFFLED : Threads.POOL;
        int concurrency = 1 + random.nextInt(8);
        int groupCap = !fifo && random.nextBoolean() ? 1 + random.nextInt(3) : 0;
        int batchSize = random.nextInt(10) < 3 ? 1 + random.nextInt(Math.min(5, concurrency)) : 0;
        int groups = 1 + random.nextInt(6);
        boolean grouped = fifo || groupCap > 0 || random.nextBoolean();
        int count = 1 + random.nextInt(40);
        Map<String, Integer> sequences = new HashMap<>();
        List<Spec> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String group = grouped ? "g" + (1 + random.nextInt(groups)) : "none";
            int sequence = sequences.merge(group, 1, Integer::sum);
            int roll = random.nextInt(100);
            String kind = roll < 60 ? "ok" : roll < 82 ? "flaky" : roll < 88 ? "poison" : "slow";
            int failures = kind.equals("flaky") ? 1 + random.nextInt(6) : 0;
            int slow = kind.equals("slow") ? random.nextInt(60_000) : random.nextInt(3) * 10;
            messages.add(new Spec(group, sequence, kind, failures, slow));
        }
        return new Scenario(seed, fifo, threads, concurrency, groupCap, batchSize, 1 + random.nextInt(3),
                1 + random.nextInt(3), 5 + random.nextInt(26), messages);
    }

    /** Plays every message's script and records what the invariants need. */
    static final class ScriptedHandlers {
        final Scenario scenario;
        final InMemoryWorld world;
        final Map<String, Integer> calls = new ConcurrentHashMap<>();
        final Map<String, Integer> succeeded = new ConcurrentHashMap<>();
        final Set<String> decided = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        final Map<String, Integer> mostRunning = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final Map<String, String> ids = new ConcurrentHashMap<>();

        ScriptedHandlers(Scenario scenario, InMemoryWorld world) {
            this.scenario = scenario;
            this.world = world;
        }

        /** Starts one message's call; completes when its script says. */
        CompletableFuture<Void> call(String body) {
            Spec spec = Spec.parse(body);
            int call = calls.merge(body, 1, Integer::sum);
            if (scenario.fifo()) {
                for (int earlier = 1; earlier < spec.sequence(); earlier++) {
                    if (!decided.contains(spec.group() + ":" + earlier)) {
                        violations.add("FIFO: " + body + " called before " + spec.group() + ":" + earlier
                                + " was handled or dead-lettered");
                    }
                }
            }
            int now = running.computeIfAbsent(spec.group(), g -> new AtomicInteger()).incrementAndGet();
            mostRunning.merge(spec.group(), now, Math::max);
            CompletableFuture<Void> done = new CompletableFuture<>();
            Runnable end = () -> running.get(spec.group()).decrementAndGet();
            if (spec.kind().equals("poison")) {
                end.run();
                done.completeExceptionally(new IllegalArgumentException("poison (scripted)"));
            } else if (spec.kind().equals("flaky") && call <= spec.failures()) {
                end.run();
                done.completeExceptionally(new IllegalStateException("call " + call + " fails (scripted)"));
            } else {
                world.time.schedule(Duration.ofMillis(spec.slowMillis()), () -> {
                    succeeded.merge(body, 1, Integer::sum);
                    decided.add(spec.group() + ":" + spec.sequence());
                    end.run();
                    done.complete(null);
                });
            }
            return done;
        }
    }

    /** The single-message handler of the standard queue. */
    public static class SingleHandler {
        final ScriptedHandlers script;

        SingleHandler(ScriptedHandlers script) {
            this.script = script;
        }

        @io.sluice.annotations.SqsHandler(queue = "property")
        public CompletableFuture<Void> handle(String body, @io.sluice.annotations.MessageId String id) {
            return call(body, id);
        }

        CompletableFuture<Void> call(String body, String id) {
            script.ids.put(id, body);
            return script.call(body);
        }
    }

    /** The single-message handler of the FIFO queue. */
    public static final class SingleFifoHandler {
        final SingleHandler handler;

        SingleFifoHandler(ScriptedHandlers script) {
            this.handler = new SingleHandler(script);
        }

        @io.sluice.annotations.SqsHandler(queue = "property.fifo")
        public CompletableFuture<Void> handle(String body, @io.sluice.annotations.MessageId String id) {
            return handler.call(body, id);
        }
    }

    /** The batch handler of the FIFO queue. */
    public static final class BatchFifoHandler {
        final BatchHandler handler;

        BatchFifoHandler(ScriptedHandlers script) {
            this.handler = new BatchHandler(script);
        }

        @io.sluice.annotations.SqsHandler(queue = "property.fifo")
        public CompletableFuture<Void> handle(Batch<String> batch) {
            return handler.handle(batch);
        }
    }

    /**
     * The batch handler: runs each item's script and fails the items whose script fails; on a FIFO queue one item after
     * the other, skipping those after a failed one of their group.
     */
    public static class BatchHandler {
        final ScriptedHandlers script;

        BatchHandler(ScriptedHandlers script) {
            this.script = script;
        }

        @io.sluice.annotations.SqsHandler(queue = "property")
        public CompletableFuture<Void> handle(Batch<String> batch) {
            if (script.scenario.fifo()) {
                CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                for (Batch.Item<String> item : batch) {
                    chain = chain.thenCompose(ignored -> item.groupFailed() ? CompletableFuture.completedFuture(null)
                            : one(item));
                }
                return chain;
            }
            return CompletableFuture.allOf(batch.items().stream().map(this::one).toArray(CompletableFuture[]::new));
        }

        private CompletableFuture<Void> one(Batch.Item<String> item) {
            script.ids.put(item.messageId(), item.payload());
            return script.call(item.payload()).exceptionally(error -> {
                item.fail(error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                return null;
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void nothingIsLostOrderAndCapsHoldAndDeadLettersCarryTheirReason(Scenario scenario) {
        try (InMemoryWorld world = new InMemoryWorld(scenario.threads(), scenario.seed())) {
            run(scenario, world);
        } catch (AssertionError e) {
            throw new AssertionError("Failing case: " + scenario + " (-Dsluice.property.case=" + scenario.seed()
                    + " runs it alone)\n" + e.getMessage(), e);
        }
    }

    private static void run(Scenario scenario, InMemoryWorld world) {
        String name = scenario.fifo() ? "property.fifo" : "property";
        String url = world.queueWithDeadLetterQueue(name, scenario.fifo() ? "property-dlq.fifo" : "property-dlq",
                1000, Map.of("VisibilityTimeout", Integer.toString(scenario.visibilitySeconds())));
        List<String> bodies = scenario.messages().stream().map(Spec::body).toList();
        List<String> groups = scenario.messages().stream()
                .map(spec -> spec.group().equals("none") ? null : spec.group()).toList();
        world.send(url, bodies, groups);

        ScriptedHandlers script = new ScriptedHandlers(scenario, world);
        world.events.events.clear();
        world.start(Worker.builder()
                .handlers(scenario.batchSize() > 0
                        ? (scenario.fifo() ? new BatchFifoHandler(script) : new BatchHandler(script))
                        : (scenario.fifo() ? new SingleFifoHandler(script) : new SingleHandler(script)))
                .config(config(scenario, name))
                .random(new SplittableRandom(scenario.seed())::nextLong)
                .listener(WorkerListener.on(WorkerEvent.DeadLettered.class, dead -> {
                    Spec spec = Spec.parse(script.ids.get(dead.delivery().messageId()));
                    script.decided.add(spec.group() + ":" + spec.sequence());
                })));

        boolean settled = world.runUntil(() -> world.sqs.messages(name).isEmpty() && world.events.deleted.size()
                + world.events.deadLettered.size() >= bodies.size(), STEP, LIMIT);

        List<Message> dead = world.sqs.messages(scenario.fifo() ? "property-dlq.fifo" : "property-dlq");
        assertThat(script.violations).as("order violations").isEmpty();
        assertThat(settled).as("every message settled within " + LIMIT + " of virtual time; left on the queue: "
                + world.sqs.messages(name).stream().map(Message::body).toList() + "; deleted "
                + world.events.deleted.size() + ", dead-lettered " + world.events.deadLettered.size() + " of "
                + bodies.size() + "; events " + eventCounts(world)).isTrue();
        Map<String, Long> deadBodies = new LinkedHashMap<>();
        dead.forEach(message -> deadBodies.merge(message.body(), 1L, Long::sum));
        for (String body : bodies) {
            Spec spec = Spec.parse(body);
            boolean handled = script.succeeded.containsKey(body);
            boolean deadLettered = deadBodies.containsKey(body);
            assertThat(handled || deadLettered).as(body + " is handled or dead-lettered").isTrue();
            assertThat(handled && deadLettered).as(body + " is not both handled and dead-lettered").isFalse();
            if (spec.kind().equals("ok") || spec.kind().equals("slow")) {
                assertThat(deadLettered).as(body + " never failed: never dead-lettered").isFalse();
            }
            if (spec.kind().equals("poison")) {
                assertThat(deadLettered).as(body + " is poison: dead-lettered").isTrue();
            }
        }
        assertThat(script.succeeded).as("no message handled twice (the heartbeat held every one)")
                .allSatisfy((body, times) -> assertThat(times).as(body).isEqualTo(1));
        assertThat(world.events.deleted).as("deleted once each").doesNotHaveDuplicates()
                .hasSize(script.succeeded.size());
        assertThat(dead).as("each dead-lettered message carries its reason (moved by Sluice, not SQS's redrive)")
                .allSatisfy(message -> assertThat(message.messageAttributes().keySet())
                        .containsAnyOf("sluice.error.class", "sluice.error"));
        assertThat(deadBodies).as("dead-lettered once each").allSatisfy((body, times) -> assertThat(times)
                .isEqualTo(1));
        int cap = scenario.fifo() ? 1 : scenario.groupCap();
        if (cap > 0) {
            script.mostRunning.forEach((group, most) -> {
                if (!group.equals("none")) {
                    assertThat(most).as("calls of group " + group + " at once").isLessThanOrEqualTo(cap);
                }
            });
        }
        if (scenario.fifo()) {
            assertDeletesInOrder(world, script);
        }
    }

    private static WorkerConfig config(Scenario scenario, String queue) {
        QueueConfig.Builder queueConfig = QueueConfig.builder().concurrency(scenario.concurrency());
        if (scenario.groupCap() > 0) {
            queueConfig.maxConcurrencyPerGroup(scenario.groupCap());
        }
        if (scenario.batchSize() > 0) {
            queueConfig.maxBatchSize(scenario.batchSize()).maxBatchWait(Duration.ofMillis(50));
        }
        return WorkerConfig.builder()
                .retry(RetryPolicy.builder().attempts(scenario.retryAttempts()).delay(Duration.ofMillis(100))
                        .maxAttempts(scenario.maxAttempts()).backoff(Duration.ofSeconds(2))
                        .maxBackoff(Duration.ofSeconds(20)).noRetryOn(IllegalArgumentException.class).build())
                .queue(queue, queueConfig.build())
                .build();
    }

    /** Per FIFO group, the deletes follow the group's order. */
    private static void assertDeletesInOrder(InMemoryWorld world, ScriptedHandlers script) {
        Map<String, List<Integer>> deleted = new HashMap<>();
        for (WorkerEvent event : world.events.events) {
            if (event instanceof WorkerEvent.Deleted done) {
                Spec spec = Spec.parse(script.ids.get(done.delivery().messageId()));
                deleted.computeIfAbsent(spec.group(), g -> new ArrayList<>()).add(spec.sequence());
            }
        }
        deleted.forEach((group, sequence) -> assertThat(sequence).as("deletes of group " + group).isSorted());
    }

    /** How many events of each kind (releases by reason), for a failure message. */
    private static Map<String, Long> eventCounts(InMemoryWorld world) {
        return world.events.events.stream().collect(Collectors.groupingBy(event -> event.getClass().getSimpleName()
                + (event instanceof WorkerEvent.Released released ? ":" + released.reason() : ""),
                TreeMap::new, Collectors.counting()));
    }
}
