package io.sluice.internal.sink;

import io.sluice.internal.call.CallRunner;
import io.sluice.internal.call.DeliveryState;
import io.sluice.internal.events.Events;
import io.sluice.internal.lease.MessageLease;
import io.sluice.time.Scheduler;
import java.time.Clock;
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

    /**
     * {@code sink} behind the stage that postpones messages scheduled for later ({@link DueSink}): for standard queues
     * (SQS takes no per-message delay on a FIFO queue, so the producer schedules nothing there).
     *
     * @param maxReceiveCount the queue's RedrivePolicy's, or {@code null}
     */
    public static MessageSink withDueTimes(MessageSink sink, Clock clock, Integer maxReceiveCount) {
        return new DueSink(sink, clock, maxReceiveCount);
    }
}
