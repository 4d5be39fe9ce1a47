package io.sluice.internal.sink;

import io.sluice.WorkerEvent.ReleaseReason;
import io.sluice.internal.call.CallRunner;
import io.sluice.internal.call.DeliveryState;
import io.sluice.internal.call.Settlement;
import io.sluice.internal.events.Events;
import io.sluice.internal.lease.MessageLease;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A single-message handler whose messages are bound by their group ({@code MessageGroupId}): on a FIFO queue one call
 * per group at a time, in the order received, with settlements sequenced by the {@link GroupBook}; on a standard queue
 * with a per-group cap, at most that many calls per group at once. Different groups run in parallel up to the
 * queue's concurrency (the slots the pollers hold).
 */
final class GroupSink implements MessageSink {

    private final CallRunner runner;
    private final Function<MessageLease, DeliveryState> deliveries;
    private final GroupBook book;

    GroupSink(CallRunner runner, Function<MessageLease, DeliveryState> deliveries, SinkRules rules, String queue,
            Events events) {
        this.runner = runner;
        this.deliveries = deliveries;
        this.book = new GroupBook(rules.ordered(), rules.groupCap(), queue, events, this::startReady);
    }

    @Override
    public void accept(List<MessageLease> leases) {
        List<Runnable> actions = new ArrayList<>();
        for (MessageLease lease : leases) {
            actions.addAll(book.offer(deliveries.apply(lease)));
        }
        actions.forEach(Runnable::run);
        startReady();
    }

    @Override
    public void settle(DeliveryState delivery, Settlement settlement) {
        book.settle(delivery, settlement).forEach(Runnable::run);
        startReady();
    }

    @Override
    public void resume(List<DeliveryState> waiting) {
        waiting.forEach(delivery -> runner.start(List.of(delivery), this)); // still its group's call: no new turn
    }

    @Override
    public void stop() {
        book.releaseWaiting(ReleaseReason.STOPPING).forEach(Runnable::run);
    }

    @Override
    public int waiting() {
        return book.waiting();
    }

    private void startReady() {
        for (DeliveryState delivery : book.take(Integer.MAX_VALUE, false)) {
            runner.start(List.of(delivery), this);
        }
    }
}
