package io.sluice.internal.sink;

import io.sluice.internal.call.CallRunner;
import io.sluice.internal.call.DeliveryState;
import io.sluice.internal.call.Settlement;
import io.sluice.internal.lease.MessageLease;
import java.util.List;
import java.util.function.Function;

/** A standard queue with a single-message handler: every message gets its own call at once. */
final class FanOutSink implements MessageSink {

    private final CallRunner runner;
    private final Function<MessageLease, DeliveryState> deliveries;

    FanOutSink(CallRunner runner, Function<MessageLease, DeliveryState> deliveries) {
        this.runner = runner;
        this.deliveries = deliveries;
    }

    @Override
    public void accept(List<MessageLease> leases) {
        for (MessageLease lease : leases) {
            runner.start(List.of(deliveries.apply(lease)), this);
        }
    }

    @Override
    public void settle(DeliveryState delivery, Settlement settlement) {
        settlement.applyTo(delivery.lease());
    }

    @Override
    public void resume(List<DeliveryState> waiting) {
        waiting.forEach(delivery -> runner.start(List.of(delivery), this));
    }

    @Override
    public void stop() {
        // nothing waits here: every delivery went to the runner, whose stop releases the waiting ones
    }
}
