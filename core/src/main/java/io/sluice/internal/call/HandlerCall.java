package io.sluice.internal.call;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One handler call over one or more deliveries (several for a batch handler): whatever ends it first, the chain's
 * stage or a cancellation (maximum processing time, stop timeout), completes {@link #outcome()}. While the calling
 * thread is inside the chain it can be interrupted; {@link #threadLeft()} completes once it is out. Thread safe.
 */
final class HandlerCall {

    private final List<DeliveryState> deliveries;
    private final Instant started;
    private final CompletableFuture<Void> outcome = new CompletableFuture<>();
    private final CompletableFuture<Void> threadLeft = new CompletableFuture<>();
    private Thread thread;
    private CompletionStage<?> stage;
    private CompletionStage<?> handlerStage;
    private boolean interruptedByUs;

    HandlerCall(List<DeliveryState> deliveries, Instant started) {
        this.deliveries = List.copyOf(deliveries);
        this.started = started;
    }

    List<DeliveryState> deliveries() {
        return deliveries;
    }

    Instant started() {
        return started;
    }

    /** Completes when the call is over: normally on success, exceptionally with its failure or cancellation. */
    CompletableFuture<Void> outcome() {
        return outcome;
    }

    /** Completes once the calling thread has left the chain (a blocking handler returned). */
    CompletableFuture<Void> threadLeft() {
        return threadLeft;
    }

    synchronized void enter(Thread current) {
        this.thread = current;
    }

    /** The stage the handler itself returned: a cancellation cancels it (an asynchronous handler's own future). */
    synchronized void invoked(CompletionStage<?> returned) {
        this.handlerStage = returned;
    }

    /** The calling thread left the chain, which returned {@code result}; the call ends when {@code result} does. */
    void leave(CompletionStage<Void> result) {
        boolean interrupted;
        synchronized (this) {
            thread = null;
            stage = result;
            interrupted = interruptedByUs;
        }
        if (interrupted) {
            Thread.interrupted(); // do not leak our interrupt to the executor's next task
        }
        threadLeft.complete(null);
        result.whenComplete((ok, error) -> {
            if (error == null) {
                outcome.complete(null);
            } else {
                outcome.completeExceptionally(error);
            }
        });
    }

    /**
     * Ends the call with {@code reason}, then interrupts the calling thread if it is still inside, or cancels the
     * handler's stage. False when the call had already ended.
     */
    boolean cancel(RuntimeException reason) {
        if (!outcome.completeExceptionally(reason)) {
            return false;
        }
        List<CompletionStage<?>> pending = new ArrayList<>(2);
        synchronized (this) {
            if (thread != null) {
                interruptedByUs = true;
                thread.interrupt();
            }
            if (handlerStage != null) {
                pending.add(handlerStage);
            }
            if (stage != null) {
                pending.add(stage);
            }
        }
        for (CompletionStage<?> running : pending) {
            try {
                running.toCompletableFuture().cancel(true);
            } catch (UnsupportedOperationException e) {
                // a stage that cannot be cancelled runs on; its outcome is ignored
            }
        }
        return true;
    }
}
