package io.sluice.internal.sink;

import io.sluice.WorkerEvent.ReleaseReason;
import io.sluice.internal.call.CallRunner;
import io.sluice.internal.call.DeliveryState;
import io.sluice.internal.call.Settlement;
import io.sluice.internal.events.Events;
import io.sluice.internal.lease.MessageLease;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final int parkable;
    private final Set<DeliveryState> parked = ConcurrentHashMap.newKeySet();

    GroupSink(CallRunner runner, Function<MessageLease, DeliveryState> deliveries, SinkRules rules, String queue,
            Events events) {
        this.runner = runner;
        this.deliveries = deliveries;
        this.book = new GroupBook(rules.ordered(), rules.groupCap(), queue, events, this::startReady);
        this.parkable = rules.parkable();
    }

    @Override
    public void accept(List<MessageLease> leases) {
        List<Runnable> actions = new ArrayList<>();
        List<DeliveryState> offered = new ArrayList<>(leases.size());
        for (MessageLease lease : leases) {
            DeliveryState delivery = deliveries.apply(lease);
            offered.add(delivery);
            actions.addAll(book.offer(delivery));
        }
        actions.forEach(Runnable::run);
        startReady();
        // Those left waiting for their group's turn give their slots back (up to a bound): other groups can be received.
        for (DeliveryState delivery : offered) {
            if (parked.size() < parkable && book.waits(delivery) && delivery.lease().parkSlot()) {
                parked.add(delivery);
                delivery.lease().outcome().whenComplete((outcome, error) -> parked.remove(delivery));
            }
        }
    }

    @Override
    public void settle(DeliveryState delivery, Settlement settlement) {
        List<Runnable> actions = book.settle(delivery, settlement);
        startReady(); // before the settled lease frees its slot: a parked successor takes it first
        actions.forEach(Runnable::run);
    }

    @Override
    public void resume(List<DeliveryState> waiting) {
        waiting.forEach(delivery -> runner.start(List.of(delivery), this)); // still its group's call: no new turn
    }

    @Override
    public void stop() {
        book.releaseWaiting(ReleaseReason.STOPPING).forEach(Runnable::run);
    }

    private void startReady() {
        for (DeliveryState delivery : book.take(1, Integer.MAX_VALUE, false)) {
            if (delivery.lease().slotParked()) {
                delivery.lease().unparkSlot().thenRun(() -> {
                    parked.remove(delivery);
                    runner.start(List.of(delivery), this);
                });
            } else {
                runner.start(List.of(delivery), this);
            }
        }
    }
}
