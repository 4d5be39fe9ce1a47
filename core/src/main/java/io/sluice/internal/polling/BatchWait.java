package io.sluice.internal.polling;

import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A poller's wait for its share of handler slots, relaxed once handlers stop giving slots back: when free slots sat
 * unused for {@link #BATCH_WAIT} and no more came free meanwhile, the poller receives into what is free (a slot held by
 * a long handler must not stall it). While slots keep coming back, it keeps waiting, so receives stay full under load.
 */
final class BatchWait {

    /** How long free slots may sit unused, with no other slot coming back, before the wait is relaxed. */
    static final Duration BATCH_WAIT = Duration.ofMillis(100);

    private final Scheduler scheduler;
    private final Permits permits;
    private final CompletableFuture<Integer> slots;
    private volatile Scheduler.Cancellable task;
    private volatile boolean over;

    /** @param slots the poller's pending {@link Permits#acquire} */
    BatchWait(Scheduler scheduler, Permits permits, CompletableFuture<Integer> slots) {
        this.scheduler = scheduler;
        this.permits = permits;
        this.slots = slots;
    }

    /** Checks again after {@link #BATCH_WAIT}, comparing with {@code availableSeen} free slots now. */
    void schedule(int availableSeen) {
        task = scheduler.schedule(BATCH_WAIT, () -> {
            if (over || slots.isDone()) {
                return;
            }
            int available = permits.available();
            if (available > 0 && available <= availableSeen) {
                permits.relax(slots); // free slots sat unused and no more came free: receive into them
            } else {
                schedule(available); // handlers are still finishing (or none is free yet): keep waiting
            }
        });
        if (over) {
            task.cancel();
        }
    }

    /** Ends the wait (the slots were taken, or the poller stopped). */
    void cancel() {
        over = true;
        Scheduler.Cancellable current = task;
        if (current != null) {
            current.cancel();
        }
    }
}
