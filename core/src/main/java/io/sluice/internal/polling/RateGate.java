package io.sluice.internal.polling;

import io.sluice.time.Scheduler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ReceiveGate} that keeps a queue's receives within {@code maxMessagesPerSecond}, after the gate it wraps (a
 * circuit breaker's) has admitted them: each receive takes as many tokens as messages it asks for (a full receive, or
 * the most the rate saves up), waiting on the injected {@link Scheduler} until they have accrued, before the receive,
 * so that no message is ever received only to wait. A receive that returns fewer messages than it asked for gives the rest back. Pollers wait in
 * turn. Thread safe.
 */
public final class RateGate implements ReceiveGate {

    private final ReceiveGate inner;
    private final Scheduler scheduler;
    private final ReceiveRate rate;
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private Scheduler.Cancellable wakeUp;

    /**
     * @param inner          the gate that admits first (for example a breaker's), or {@link ReceiveGate#always()}
     * @param perSecond      the most messages received per second
     * @param largestReceive the most messages one receive may ask for (10)
     */
    public RateGate(ReceiveGate inner, double perSecond, int largestReceive, Scheduler scheduler) {
        this.inner = inner;
        this.scheduler = scheduler;
        this.rate = new ReceiveRate(perSecond, largestReceive, scheduler.clock());
    }

    @Override
    public CompletableFuture<Integer> admit(int max) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        CompletableFuture<Integer> admission = inner.admit(max);
        cancelWith(result, admission);
        admission.whenComplete((admitted, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            CompletableFuture<Integer> tokens = tokens(admitted);
            cancelWith(result, tokens);
            tokens.whenComplete((granted, cancelled) -> {
                if (cancelled != null) {
                    inner.received(admitted, 0); // a stopping poller gave up: nothing was received
                    result.completeExceptionally(cancelled);
                    return;
                }
                if (granted < admitted) {
                    inner.received(admitted - granted, 0); // the inner gate admitted more than the rate allows now
                }
                if (!result.complete(granted)) {
                    received(granted, 0); // cancelled meanwhile: the tokens and the admission go back
                }
            });
        });
        return result;
    }

    /** Cancelling {@code outer} (a stopping poller) cancels {@code step} too, so that it holds no place in line. */
    private static void cancelWith(CompletableFuture<Integer> outer, CompletableFuture<Integer> step) {
        outer.whenComplete((ignored, error) -> {
            if (outer.isCancelled()) {
                step.cancel(false);
            }
        });
    }

    @Override
    public void received(int admitted, int received) {
        synchronized (this) {
            rate.giveBack(admitted - received);
        }
        inner.received(admitted, received);
        serve();
    }

    private CompletableFuture<Integer> tokens(int max) {
        synchronized (this) {
            if (waiters.isEmpty()) {
                int taken = rate.take(max);
                if (taken > 0) {
                    return CompletableFuture.completedFuture(taken);
                }
            }
            Waiter waiter = new Waiter(max);
            waiters.add(waiter);
            scheduleWakeUp();
            return waiter.future;
        }
    }

    /** Hands whole tokens to the waiters in turn; schedules the next wake-up while some still wait. */
    private void serve() {
        List<Runnable> completions = new ArrayList<>();
        synchronized (this) {
            while (!waiters.isEmpty()) {
                Waiter next = waiters.peek();
                if (next.future.isDone()) { // cancelled by a stopping poller
                    waiters.poll();
                    continue;
                }
                int taken = rate.take(next.max);
                if (taken == 0) {
                    break;
                }
                waiters.poll();
                completions.add(() -> {
                    if (!next.future.complete(taken)) {
                        synchronized (this) {
                            rate.giveBack(taken);
                        }
                    }
                });
            }
            if (wakeUp != null) { // tokens may have come back: the first waiter's time may be sooner now
                wakeUp.cancel();
                wakeUp = null;
            }
            scheduleWakeUp();
        }
        completions.forEach(Runnable::run);
    }

    /** Call holding the lock: wakes up when the first waiter's tokens have accrued. */
    private void scheduleWakeUp() {
        if (wakeUp == null && !waiters.isEmpty()) {
            wakeUp = scheduler.schedule(rate.untilAvailable(waiters.peek().max), () -> {
                synchronized (this) {
                    wakeUp = null;
                }
                serve();
            });
        }
    }

    private static final class Waiter {
        final int max;
        final CompletableFuture<Integer> future = new CompletableFuture<>();

        Waiter(int max) {
            this.max = max;
        }
    }
}
