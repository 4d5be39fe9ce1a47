package io.sluice.internal.call;

import java.util.List;

/**
 * Where a {@link CallRunner} hands a delivery back: its queue's sink, which decides when and how messages reach the
 * handler and carries out their settlements.
 */
public interface DeliveryRoute {

    /** The delivery is over: carry out {@code settlement} on its lease. */
    void settle(DeliveryState delivery, Settlement settlement);

    /** The deliveries' wait (an in-process retry's delay, the breaker's re-check) is over: run them again. */
    void resume(List<DeliveryState> deliveries);
}
