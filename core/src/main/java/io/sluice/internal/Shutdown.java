package io.sluice.internal;

import io.sluice.time.Durations;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rest of a worker's stop once its queues stopped receiving, as one chain of futures whose every wait is measured
 * on the worker's scheduler clock (a stop on virtual time waits for virtual time only): receives already sent get a
 * short grace to return (none on a transport whose cancelled receive takes nothing), then open long polls are
 * abandoned and the deliveries waiting to start a call are released (not before: an open long poll would catch them
 * straight back); in-flight handlers get until the timeout; those still running then are cancelled and their messages
 * released; deletes and releases are flushed (within a further grace); the heartbeats stop.
 */
public final class Shutdown {

    /** How long receives already sent may take to return before they are abandoned. */
    public static final Duration RECEIVE_GRACE = Duration.ofMillis(250);
    /** How long the last deletes and releases may take after the handlers' timeout. */
    public static final Duration FLUSH_GRACE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {
    }

    /**
     * @return whether every handler finished within {@code timeout} and every delete and release was settled
     */
    public static CompletableFuture<Boolean> finish(List<QueueRuntime> queues, boolean receivesTakeNothing,
            Scheduler scheduler, Duration timeout) {
        CompletableFuture<Void> deadline = Deadline.after(scheduler, timeout);
        CompletableFuture<Boolean> received = receivesTakeNothing ? CompletableFuture.completedFuture(true)
                : Deadline.race(all(queues, QueueRuntime::whenNotReceiving),
                        Deadline.after(scheduler, RECEIVE_GRACE.compareTo(timeout) < 0 ? RECEIVE_GRACE : timeout));
        return received.thenCompose(ignored -> {
            queues.forEach(QueueRuntime::abandonReceives);
            queues.forEach(QueueRuntime::releaseWaiting);
            return Deadline.race(all(queues, QueueRuntime::whenIdle), deadline);
        }).thenCompose(clean -> {
            if (!clean) {
                int inFlight = queues.stream().mapToInt(QueueRuntime::inFlight).sum();
                int cancelled = queues.stream().mapToInt(QueueRuntime::cancelRunning).sum();
                LOG.warn("Sluice worker stop: {} message(s) still held after {}; cancelled {} and released their"
                        + " messages for redelivery", inFlight, Durations.format(timeout), cancelled);
            }
            return Deadline.race(all(queues, QueueRuntime::flush), Deadline.after(scheduler, FLUSH_GRACE))
                    .thenApply(flushed -> {
                        queues.forEach(QueueRuntime::close);
                        if (!flushed) {
                            LOG.warn("Sluice worker stop: pending deletes not settled within {}; those messages will"
                                    + " be delivered again", Durations.format(FLUSH_GRACE));
                        }
                        return clean && flushed;
                    });
        });
    }

    private static CompletableFuture<Void> all(List<QueueRuntime> queues,
            Function<QueueRuntime, CompletableFuture<Void>> each) {
        return CompletableFuture.allOf(queues.stream().map(each).toArray(CompletableFuture[]::new));
    }
}
