package io.sluice.internal.sink;

import io.sluice.internal.call.CallRunner;
import io.sluice.internal.call.DeliveryState;
import io.sluice.internal.events.Events;
import io.sluice.internal.lease.MessageLease;
import io.sluice.time.Scheduler;
import java.util.function.Function;

/** Chooses a queue's {@link MessageSink} from its {@link SinkRules}. */
public final class Sinks {

    private Sinks() {
    }

    /**
     * The sink for a queue: batching for a batch handler, grouped (ordered or capped) when the queue is FIFO or has a
     * per-group cap, else fan-out.
     *
     * @param deliveries makes a lease a delivery (with its failure-policy bookkeeping)
     */
    public static MessageSink create(SinkRules rules, CallRunner runner, Function<MessageLease, DeliveryState> deliveries,
            String queue, Events events, Scheduler scheduler) {
        if (rules.batching()) {
            return new BatchSink(runner, deliveries, rules, queue, events, scheduler);
        }
        if (rules.grouped()) {
            return new GroupSink(runner, deliveries, rules, queue, events);
        }
        return new FanOutSink(runner, deliveries);
    }
}
