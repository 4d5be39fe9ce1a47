package io.sluice.internal.sink;

import io.sluice.WorkerEvent.ReleaseReason;
import io.sluice.internal.call.CallRunner;
import io.sluice.internal.call.DeliveryState;
import io.sluice.internal.call.Settlement;
import io.sluice.internal.events.Events;
import io.sluice.internal.lease.MessageLease;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A batch handler ({@code Batch<T>}): messages are gathered into calls of up to {@code maxSize}; a call starts as soon
 * as that many may start, or {@code maxWait} after the oldest waiting message arrived with whatever may start then.
 * Group rules come from the {@link GroupBook}: on a FIFO queue one call per group at a time, the group's messages in
 * order within the batch; with a per-group cap, at most that many of a group in calls. Failed items come back here for
 * their in-process retries and are batched again.
 */
final class BatchSink implements MessageSink {

    private final CallRunner runner;
    private final Function<MessageLease, DeliveryState> deliveries;
    private final GroupBook book;
    private final int maxSize;
    private final Duration maxWait;
    private final Scheduler scheduler;
    private Scheduler.Cancellable flushTimer;
    private boolean stopped;

    BatchSink(CallRunner runner, Function<MessageLease, DeliveryState> deliveries, SinkRules rules, String queue,
            Events events, Scheduler scheduler) {
        this.runner = runner;
        this.deliveries = deliveries;
        this.book = new GroupBook(rules.ordered(), rules.groupCap(), queue, events, this::startFull);
        this.maxSize = rules.maxBatchSize();
        this.maxWait = rules.maxBatchWait();
        this.scheduler = scheduler;
    }

    @Override
    public void accept(List<MessageLease> leases) {
        List<Runnable> actions = new ArrayList<>();
        for (MessageLease lease : leases) {
            actions.addAll(book.offer(deliveries.apply(lease)));
        }
        actions.forEach(Runnable::run);
        startFull();
    }

    @Override
    public void settle(DeliveryState delivery, Settlement settlement) {
        book.settle(delivery, settlement).forEach(Runnable::run);
        startFull();
    }

    @Override
    public void resume(List<DeliveryState> waiting) {
        runner.start(waiting, this); // retried items, still in their call's place in their groups
    }

    @Override
    public void stop() {
        synchronized (this) {
            stopped = true;
            if (flushTimer != null) {
                flushTimer.cancel();
                flushTimer = null;
            }
        }
        book.releaseWaiting(ReleaseReason.STOPPING).forEach(Runnable::run);
    }

    /** Starts every full batch that may start; arms the flush timer for what is left. */
    void startFull() {
        List<DeliveryState> batch;
        while (!(batch = book.take(maxSize, maxSize, true)).isEmpty()) {
            runner.start(batch, this);
        }
        armFlush();
    }

    private void armFlush() {
        synchronized (this) {
            if (stopped || flushTimer != null || book.takeable(1, true) == 0) {
                return;
            }
            flushTimer = scheduler.schedule(maxWait, this::flush);
        }
    }

    /** The wait ran out: start what may start, full or not. */
    private void flush() {
        synchronized (this) {
            flushTimer = null;
            if (stopped) {
                return;
            }
        }
        List<DeliveryState> batch;
        while (!(batch = book.take(1, maxSize, true)).isEmpty()) {
            runner.start(batch, this);
        }
    }
}
