package io.sluice.internal.sink;

import io.sluice.internal.call.DeliveryRoute;
import io.sluice.internal.lease.MessageLease;
import java.util.List;

/**
 * Decides how a queue's received messages reach its handler: the poller hands over each receive whole, and the sink
 * starts calls on the queue's {@code CallRunner} — one per message at once ({@link FanOutSink}), per message group in
 * order or up to a cap ({@link GroupSink}), or several messages per call ({@link BatchSink}) — and carries out each
 * delivery's settlement (a FIFO sink orders them within a group). Chosen per queue at startup by {@link Sinks}.
 */
public interface MessageSink extends DeliveryRoute {

    /** The leases of one receive, in the order received. */
    void accept(List<MessageLease> leases);

    /** Releases every delivery waiting in the sink (a stop); calls already started go on and settle as usual. */
    void stop();
}
