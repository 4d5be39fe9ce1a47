package io.sluice.internal.polling;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link ReceiveGate} of a queue guarded by a circuit breaker. Closed: receive freely. Open: no receive (no receive
 * count is burnt); the gate re-checks when the breaker changes state and when its wait in the open state may have run
 * out (on the injected {@link Scheduler}, which also drives the breaker's clock). Half-open: receives of at most the
 * permitted number of probe messages in all, until the probes' outcome closes or reopens the breaker (plus one more
 * per re-check interval when probes ended without an outcome, so the queue never stalls half-open).
 *
 * <p>A message the breaker keeps from its handler is held by the pipeline, never released while it is open (see {@code
 * CallOutcomes}): this gate only decides receives.
 *
 * <p>Thread safe.
 */
public final class BreakerGate implements ReceiveGate {

    private final CircuitBreaker breaker;
    private final Scheduler scheduler;
    private final Duration recheck;
    private final int permittedInHalfOpen;
    private final List<Waiter> waiters = new ArrayList<>();
    private int halfOpenBudget;
    private boolean halfOpenSeen;
    private Scheduler.Cancellable recheckTask;

    public BreakerGate(CircuitBreaker breaker, Scheduler scheduler) {
        this.breaker = breaker;
        this.scheduler = scheduler;
        Duration wait = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) == null
                ? Duration.ofSeconds(1)
                : Duration.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
        // The breaker leaves OPEN only once its clock is strictly after the wait: re-check just past it.
        this.recheck = (wait.compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : wait).plusMillis(1);
        this.permittedInHalfOpen = breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState();
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                synchronized (this) {
                    if (recheckTask != null) { // measure the wait from this opening
                        recheckTask.cancel();
                        recheckTask = null;
                    }
                }
            }
            if (!Thread.holdsLock(this)) { // else the transition came from our own tryAdmit, whose caller goes on
                wake();
            }
        });
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public CompletableFuture<Integer> admit(int max) {
        synchronized (this) {
            Integer now = tryAdmit(max); // may turn the breaker half-open
            if (now != null) {
                return CompletableFuture.completedFuture(now);
            }
            Waiter waiter = new Waiter(max);
            waiters.add(waiter);
            scheduleRecheck();
            return waiter.future;
        }
    }

    @Override
    public void received(int admitted, int received) {
        boolean wake = false;
        synchronized (this) {
            if (breaker.getState() == CircuitBreaker.State.HALF_OPEN && received < admitted) {
                halfOpenBudget += admitted - received;
                wake = true;
            }
        }
        if (wake) {
            wake();
        }
    }

    /** Call holding the lock: how many may be received now, or null to wait. */
    private Integer tryAdmit(int max) {
        CircuitBreaker.State state = breaker.getState();
        if (state == CircuitBreaker.State.OPEN) {
            // The breaker turns half-open lazily, on a permission request once its wait has run out.
            if (breaker.tryAcquirePermission()) {
                breaker.releasePermission();
            }
            state = breaker.getState();
        }
        switch (state) {
            case HALF_OPEN -> {
                if (!halfOpenSeen) {
                    halfOpenSeen = true;
                    halfOpenBudget = permittedInHalfOpen;
                }
                if (halfOpenBudget <= 0) {
                    return null;
                }
                int taken = Math.min(max, halfOpenBudget);
                halfOpenBudget -= taken;
                return taken;
            }
            case OPEN, FORCED_OPEN -> {
                halfOpenSeen = false;
                return null;
            }
            default -> {
                halfOpenSeen = false;
                return max;
            }
        }
    }

    private void scheduleRecheck() {
        if (recheckTask == null) {
            recheckTask = scheduler.schedule(recheck, () -> {
                synchronized (this) {
                    recheckTask = null;
                    refillStalledProbes();
                }
                wake();
            });
        }
    }

    /**
     * Call holding the lock. A half-open breaker decides only on recorded outcomes, but a probe can end without one (a
     * poison message releases its permission; a probe released unstarted records nothing). Once the budget is spent,
     * such probes would leave the breaker half-open and the queue unpolled for good. So when a re-check finds the
     * breaker still half-open, the budget spent and a permission free (no probe is running on it), one more probe may
     * go out.
     */
    private void refillStalledProbes() {
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN && halfOpenSeen && halfOpenBudget <= 0
                && breaker.tryAcquirePermission()) {
            breaker.releasePermission();
            halfOpenBudget = 1;
        }
    }

    private void wake() {
        List<Runnable> completions = new ArrayList<>();
        synchronized (this) {
            if (breaker.getState() != CircuitBreaker.State.HALF_OPEN) {
                halfOpenSeen = false;
            }
            waiters.removeIf(waiter -> waiter.future.isDone());
            while (!waiters.isEmpty()) {
                Integer now = tryAdmit(waiters.get(0).max);
                if (now == null) {
                    break;
                }
                Waiter waiter = waiters.remove(0);
                completions.add(() -> {
                    if (!waiter.future.complete(now)) {
                        received(now, 0); // cancelled meanwhile: give the probes back
                    }
                });
            }
            if (!waiters.isEmpty()) {
                scheduleRecheck();
            }
        }
        completions.forEach(Runnable::run);
    }

    private static final class Waiter {
        final int max;
        final CompletableFuture<Integer> future = new CompletableFuture<>();

        Waiter(int max) {
            this.max = max;
        }
    }
}
