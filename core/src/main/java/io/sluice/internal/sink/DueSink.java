package io.sluice.internal.sink;

import io.sluice.internal.call.DeliveryState;
import io.sluice.internal.call.Settlement;
import io.sluice.internal.lease.MessageLease;
import io.sluice.internal.lease.Postponement;
import io.sluice.internal.support.DueTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stage in front of a standard queue's sink that holds back scheduled messages: a message whose due time ({@link
 * DueTime}) is still ahead is not handed on (no handler slot used, no call, no failure counted) but postponed through
 * its lease ({@link Postponement}); every other message goes to the sink as received.
 */
final class DueSink implements MessageSink {

    /** A due time this close (clocks of producer and worker differ) counts as now. */
    static final Duration TOLERANCE = Duration.ofSeconds(1);

    private final MessageSink next;
    private final Clock clock;
    private final Integer maxReceiveCount;

    DueSink(MessageSink next, Clock clock, Integer maxReceiveCount) {
        this.next = next;
        this.clock = clock;
        this.maxReceiveCount = maxReceiveCount;
    }

    @Override
    public void accept(List<MessageLease> leases) {
        Instant now = null;
        List<MessageLease> due = leases;
        for (int i = 0; i < leases.size(); i++) {
            MessageLease lease = leases.get(i);
            Instant at = DueTime.of(lease.message());
            if (at != null) {
                now = now != null ? now : clock.instant();
                Duration remaining = Duration.between(now, at);
                if (remaining.compareTo(TOLERANCE) > 0) {
                    if (due == leases) {
                        due = new ArrayList<>(leases.subList(0, i));
                    }
                    lease.postpone(Postponement.of(lease.delivery(), at, remaining, maxReceiveCount));
                    continue;
                }
            }
            if (due != leases) {
                due.add(lease);
            }
        }
        if (!due.isEmpty()) {
            next.accept(due);
        }
    }

    @Override
    public void settle(DeliveryState delivery, Settlement settlement) {
        next.settle(delivery, settlement);
    }

    @Override
    public void resume(List<DeliveryState> deliveries) {
        next.resume(deliveries);
    }

    @Override
    public void stop() {
        next.stop();
    }
}
