package io.sluice.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;

/**
 * The batching core on its own, with a scripted action: packing by count and bytes, the bound on calls in flight, and
 * each entry's own result. (Flush timing and retries through real SQS calls: {@code AckBatcherTest}.)
 */
class BatcherTest {

    private final VirtualTime time = new VirtualTime();
    private final ScriptedAction action = new ScriptedAction();

    private Batcher.Builder<Item, String> batcher() {
        return Batcher.builder(action, "orders").scheduler(time);
    }

    private static List<Item> items(int count, int size) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> new Item("m" + i, size)).toList();
    }

    @Test
    void submitAllPacksTenPerCallAndReturnsEachResultInOrder() {
        Batcher<Item, String> batcher = batcher().build();

        List<CompletableFuture<String>> results = batcher.submitAll(items(25, 1));
        action.answerAll();

        assertThat(action.callSizes()).containsExactly(10, 10, 5);
        assertThat(results).extracting(CompletableFuture::join).first().isEqualTo("sent m1");
        assertThat(results.get(24).join()).isEqualTo("sent m25");
    }

    @Test
    void aBatchNeverExceedsTheByteLimitAndAnOversizeEntryGoesAlone() {
        Batcher<Item, String> batcher = batcher().maxBatchBytes(1000).build();

        batcher.submitAll(List.of(new Item("a", 400), new Item("b", 400), new Item("c", 400), new Item("big", 1500),
                new Item("d", 100)));
        action.answerAll();

        assertThat(action.calls).extracting(call -> call.stream().map(Item::name).toList())
                .containsExactly(List.of("a", "b"), List.of("c"), List.of("big"), List.of("d"));
    }

    @Test
    void callsInFlightAreBoundedAndTheNextBatchStartsWhenOneEnds() {
        Batcher<Item, String> batcher = batcher().maxCallsInFlight(2).build();

        List<CompletableFuture<String>> results = batcher.submitAll(items(50, 1));

        assertThat(action.pending).hasSize(2);
        action.answerOne();
        assertThat(action.pending).hasSize(2);
        assertThat(action.callSizes()).hasSize(3);
        action.answerAll();
        assertThat(action.callSizes()).hasSize(5);
        assertThat(results).allMatch(result -> result.isDone() && !result.isCompletedExceptionally());
        assertThat(batcher.unsettled()).isZero();
    }

    @Test
    void onlyFailedEntriesAreRetriedAndASenderFaultFailsAtOnceWithSqsCode() {
        Batcher<Item, String> batcher = batcher().maxAttempts(3).build();
        action.failOnce.put("m2", false); // a server-side entry error: retried
        action.failOnce.put("m3", true);  // the sender's fault: not retried

        List<CompletableFuture<String>> results = batcher.submitAll(items(4, 1));
        action.answerAll();
        time.advance(Duration.ofSeconds(1));
        action.answerAll();

        assertThat(action.calls).extracting(call -> call.stream().map(Item::name).toList())
                .containsExactly(List.of("m1", "m2", "m3", "m4"), List.of("m2"));
        assertThat(results.get(1).join()).isEqualTo("sent m2");
        assertThat(results.get(2)).isCompletedExceptionally();
        BatchEntryException failure = (BatchEntryException) results.get(2).handle((ok, error) -> error).join();
        assertThat(failure.code()).isEqualTo("InvalidParameterValue");
        assertThat(failure.senderFault()).isTrue();
        assertThat(failure).hasMessage("scripted of m3 on queue 'orders' failed: InvalidParameterValue: bad m3");
    }

    @Test
    void flushCompletesOnlyWhenEveryEntryIncludingRetriesIsSettled() {
        Batcher<Item, String> batcher = batcher().flushInterval(Duration.ofMillis(50)).build();
        action.failOnce.put("m1", false);

        CompletableFuture<String> result = batcher.submit(new Item("m1", 1));
        CompletableFuture<Void> flushed = batcher.flush();
        action.answerAll();
        assertThat(flushed).isNotDone();
        time.advance(Duration.ofSeconds(1));
        action.answerAll();

        assertThat(flushed).isCompleted();
        assertThat(result.join()).isEqualTo("sent m1");
    }

    @Test
    void aCallThatFailsAsAWholeFailsEveryEntryAfterTheLastAttempt() {
        Batcher<Item, String> batcher = batcher().maxAttempts(2).build();

        List<CompletableFuture<String>> results = batcher.submitAll(items(3, 1));
        action.failCall();
        time.advance(Duration.ofSeconds(1));
        action.failCall();

        assertThat(action.callSizes()).containsExactly(3, 3);
        assertThat(results).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(results.get(0)).failsWithin(Duration.ZERO).withThrowableThat().havingRootCause()
                .withMessage("throttled");
    }

    @Test
    void anOrderedGroupHasOneEntryOutstandingAndItsNextGoesOnlyOnceTheOneBeforeWasAccepted() {
        Batcher<Item, String> batcher = batcher().orderedBy(item -> item.name().substring(0, 1)).maxAttempts(3)
                .build();
        action.failOnce.put("a1", false); // a transient failure of a group's first: a2 must not overtake it

        List<CompletableFuture<String>> results = batcher.submitAll(List.of(new Item("a1", 1), new Item("a2", 1),
                new Item("b1", 1), new Item("a3", 1), new Item("b2", 1), new Item("c1", 1)));
        action.answerAll(); // a1 fails, b1 and c1 are accepted: b2 follows at once
        time.advance(Duration.ofSeconds(1)); // a1's retry
        action.answerAll();

        assertThat(action.calls).extracting(call -> call.stream().map(Item::name).toList())
                .containsExactly(List.of("a1", "b1", "c1"), List.of("b2"), List.of("a1"), List.of("a2"), List.of("a3"));
        assertThat(results).allMatch(result -> result.isDone() && !result.isCompletedExceptionally());
    }

    @Test
    void whenAGroupsEntryFailsForGoodTheOnesHeldBehindItFailUnsent() {
        Batcher<Item, String> batcher = batcher().orderedBy(item -> item.name().substring(0, 1)).build();
        action.failOnce.put("a1", true);

        List<CompletableFuture<String>> results = batcher.submitAll(List.of(new Item("a1", 1), new Item("a2", 1),
                new Item("b1", 1)));
        action.answerAll();

        assertThat(action.calls).extracting(call -> call.stream().map(Item::name).toList())
                .containsExactly(List.of("a1", "b1"));
        assertThat(results.get(1)).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .withMessageContaining("scripted of a2 on queue 'orders' not attempted: the scripted of a1")
                .withMessageContaining("would break its order");
        assertThat(results.get(2).join()).isEqualTo("sent b1");
        assertThat(batcher.unsettled()).isZero();
    }

    record Item(String name, int size) {
    }

    /** Records each call and answers it when told, succeeding or failing entries as scripted. */
    static final class ScriptedAction implements BatchAction<Item, String> {
        final List<List<Item>> calls = new ArrayList<>();
        final List<Call> pending = new ArrayList<>();
        /** Entries to fail once: true = the sender's fault. */
        final Map<String, Boolean> failOnce = new HashMap<>();

        record Call(List<Item> entries, List<String> ids, CompletableFuture<BatchReply<String>> reply) {
        }

        @Override
        public String description() {
            return "scripted";
        }

        @Override
        public String describe(Item entry) {
            return entry.name();
        }

        @Override
        public int size(Item entry) {
            return entry.size();
        }

        @Override
        public CompletableFuture<BatchReply<String>> call(List<Item> entries, List<String> ids) {
            calls.add(List.copyOf(entries));
            CompletableFuture<BatchReply<String>> reply = new CompletableFuture<>();
            pending.add(new Call(List.copyOf(entries), List.copyOf(ids), reply));
            return reply;
        }

        List<Integer> callSizes() {
            return calls.stream().map(List::size).toList();
        }

        void answerAll() {
            while (!pending.isEmpty()) {
                answerOne();
            }
        }

        void answerOne() {
            Call call = pending.remove(0);
            Map<String, String> ok = new HashMap<>();
            Map<String, BatchResultErrorEntry> failed = new HashMap<>();
            for (int i = 0; i < call.entries().size(); i++) {
                String name = call.entries().get(i).name();
                String id = call.ids().get(i);
                Boolean senderFault = failOnce.remove(name);
                if (senderFault == null) {
                    ok.put(id, "sent " + name);
                } else {
                    failed.put(id, BatchResultErrorEntry.builder().id(id).senderFault(senderFault)
                            .code(senderFault ? "InvalidParameterValue" : "InternalError").message("bad " + name)
                            .build());
                }
            }
            call.reply().complete(new BatchReply<>(ok, failed));
        }

        void failCall() {
            Call call = pending.remove(0);
            call.reply().completeExceptionally(new CompletionException(
                    software.amazon.awssdk.core.exception.SdkClientException.create("throttled")));
        }
    }
}
