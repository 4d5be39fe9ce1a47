package io.sluice.internal;

import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A point in time on a {@link Scheduler}'s clock, as a future: virtual time in tests, the system clock otherwise. */
public final class Deadline {

    private Deadline() {
    }

    /** A future completing {@code duration} from now on {@code scheduler}; cancelling it cancels the timer. */
    public static CompletableFuture<Void> after(Scheduler scheduler, Duration duration) {
        CompletableFuture<Void> due = new CompletableFuture<>();
        Scheduler.Cancellable timer = scheduler.schedule(duration, () -> due.complete(null));
        due.whenComplete((ignored, error) -> timer.cancel());
        return due;
    }

    /** Completes with {@code true} when {@code work} completes first, {@code false} when {@code deadline} does. */
    public static CompletableFuture<Boolean> race(CompletableFuture<?> work, CompletableFuture<Void> deadline) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        work.whenComplete((ignored, error) -> result.complete(error == null));
        deadline.whenComplete((ignored, error) -> result.complete(false));
        result.whenComplete((ignored, error) -> deadline.cancel(false));
        return result;
    }
}
