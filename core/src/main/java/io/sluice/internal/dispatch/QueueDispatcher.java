package io.sluice.internal.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sluice.Delivery;
import io.sluice.MessageBindingException;
import io.sluice.WorkerListener;
import io.sluice.internal.ack.AckBatcher;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.policy.DeadLetterRouter;
import io.sluice.internal.policy.HandlerTimeoutException;
import io.sluice.internal.polling.Permits;
import io.sluice.internal.polling.ReceiveGate;
import io.sluice.internal.visibility.VisibilityHeartbeat;
import io.sluice.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Runs one queue's handler for each received message and settles the outcome. The stages around a handler call, in
 * order: the {@link VisibilityHeartbeat} tracks the delivery from dispatch to settlement; the circuit breaker (when
 * the queue has one) must permit the call, else the message is released unstarted (visibility 0) when the gate allows
 * ({@link ReceiveGate#whenReleasable()}); the call is cancelled after the maximum processing time; success queues the
 * delete (after the heartbeat let go of the message); failure goes to the {@link FailurePolicy}, whose decision this
 * carries out: retry in process after a delay on the {@link Scheduler}, redeliver after a back-off
 * (ChangeMessageVisibility), dead-letter (send to the DLQ, then delete), or leave. The message's handler slot is released when the delivery is settled, which
 * lets a poller receive the next message; a call cancelled while its thread is still inside the handler keeps the slot
 * until that thread returns.
 *
 * <p>Thread safe: {@link #dispatch} is called from poller completion threads; handlers run on the executor.
 */
public final class QueueDispatcher {

    /** How often a delivery held by an open breaker (on its last delivery) asks it again. */
    static final Duration HELD_RECHECK = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(QueueDispatcher.class);

    private final String queue;
    private final HandlerMethod handler;
    private final Executor executor;
    private final Permits permits;
    private final Scheduler scheduler;
    private final Clock clock;
    private final WorkerListener listener;
    private final AckBatcher deletes;
    private final AckBatcher releases;
    private final VisibilityHeartbeat heartbeat;
    private final FailurePolicy failurePolicy;
    private final DeadLetterRouter deadLetters;
    private final CircuitBreaker breaker;
    private final ReceiveGate gate;
    private final Duration maxProcessingTime;
    private final int lastDelivery;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger calling = new AtomicInteger();
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /**
     * @param releases          makes messages visible again (release and redelivery back-off)
     * @param heartbeat         keeps in-flight messages invisible; {@code null} for none
     * @param deadLetters       where poison and exhausted messages go; {@code null} when the queue has no known DLQ
     * @param breaker           the circuit breaker guarding the handler; {@code null} for none
     * @param gate              the queue's receive gate: a message the breaker keeps from its handler is released when
     *                          the gate says it may be
     * @param maxProcessingTime the longest call before it is cancelled; {@code null} for no limit
     * @param lastDelivery      the delivery (receive count) after which the message is dead-lettered: one the breaker
     *                          keeps from its handler on that delivery is held, not released (see {@link #attempt})
     */
    public QueueDispatcher(String queue, HandlerMethod handler, Executor executor, Permits permits, Scheduler scheduler,
            WorkerListener listener, AckBatcher deletes, AckBatcher releases, VisibilityHeartbeat heartbeat,
            FailurePolicy failurePolicy, DeadLetterRouter deadLetters, CircuitBreaker breaker, ReceiveGate gate,
            Duration maxProcessingTime, int lastDelivery) {
        this.queue = queue;
        this.handler = handler;
        this.executor = executor;
        this.permits = permits;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.listener = listener;
        this.deletes = deletes;
        this.releases = releases;
        this.heartbeat = heartbeat;
        this.failurePolicy = failurePolicy;
        this.deadLetters = deadLetters;
        this.breaker = breaker;
        this.gate = gate;
        this.maxProcessingTime = maxProcessingTime;
        this.lastDelivery = lastDelivery;
    }

    /** Messages dispatched and not yet settled: queued for, running in, or between retries of a handler. */
    public int active() {
        return active.get();
    }

    /**
     * Handler calls in progress now: started and not yet ended (an asynchronous handler's stage not yet complete).
     * Deliveries waiting for an in-process retry or for a thread are not counted.
     */
    public int calling() {
        return calling.get();
    }

    /** Starts handling {@code message}; the caller has taken one handler slot for it, which this releases. */
    public void dispatch(Message message) {
        Delivery delivery = new Delivery(queue, message.messageId(), handler.name(),
                HandlerMethod.receiveCount(message), clock.instant());
        InFlight flight = new InFlight(message, delivery, failurePolicy.start(message, delivery));
        active.incrementAndGet();
        inFlight.add(flight);
        if (heartbeat != null) {
            heartbeat.track(message, delivery);
        }
        execute(flight);
    }

    /**
     * Releases (visibility 0) every delivery waiting to start a call: queued for a thread, waiting for an in-process
     * retry, or held back by the breaker; those dispatched later are released instead of handled. Running calls go on.
     * A waiting delivery is released now, not when its timer fires: on a virtual clock that never would, and a stop
     * would wait out its whole timeout for a message that no handler holds.
     */
    public void stop() {
        stopping = true;
        for (InFlight flight : List.copyOf(inFlight)) {
            if (flight.abandonIfWaiting()) {
                release(flight);
            }
        }
    }

    /**
     * For a stop whose timeout ran out: cancels every running handler call (interrupting its thread, or cancelling its
     * stage) and releases its message (visibility 0); releases as well every delivery still waiting to start (queued on
     * a busy executor, or waiting for an in-process retry). Returns how many deliveries were cancelled or released.
     */
    public int cancelRunning() {
        int cancelled = 0;
        for (InFlight flight : List.copyOf(inFlight)) {
            if (flight.abandonIfWaiting()) {
                release(flight);
                cancelled++;
            } else if (flight.cancel(new ShutdownCancellation())) {
                cancelled++;
            }
        }
        return cancelled;
    }

    private void execute(InFlight flight) {
        try {
            executor.execute(() -> attempt(flight));
        } catch (RejectedExecutionException e) {
            LOG.warn("Not handling {}: the handler executor is shut down; releasing it", flight.delivery);
            release(flight);
        }
    }

    private void attempt(InFlight flight) {
        if (!flight.claim()) {
            return; // released by cancelRunning() while it waited
        }
        if (stopping) {
            release(flight);
            return;
        }
        if (breaker != null && !breaker.tryAcquirePermission()) {
            keepFromHandler(flight);
            return;
        }
        flight.calls++;
        Instant started = clock.instant();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        flight.begin(outcome, Thread.currentThread());
        Scheduler.Cancellable timeout = maxProcessingTime == null ? null
                : scheduler.schedule(maxProcessingTime, () -> {
                    if (flight.cancel(new HandlerTimeoutException(handler.name(), maxProcessingTime))) {
                        LOG.warn("{} exceeded its maximum processing time of {}: cancelled", flight.delivery,
                                io.sluice.time.Durations.format(maxProcessingTime));
                    }
                });
        // Settle on whatever ends the call first: the handler, or a cancellation (which may come while a blocking
        // handler is still inside the call).
        calling.incrementAndGet();
        outcome.whenComplete((result, error) -> {
            calling.decrementAndGet();
            if (timeout != null) {
                timeout.cancel();
            }
            settle(flight, started, error);
        });
        CompletionStage<?> stage;
        try {
            stage = handler.invoke(flight.message);
        } catch (Throwable t) { // the handler machinery itself must never lose a slot
            stage = CompletableFuture.failedFuture(t);
        }
        if (flight.returned(outcome, stage)) {
            permits.release(1); // the delivery was settled (cancelled) while this thread was still in the handler
        }
        stage.whenComplete((result, error) -> {
            if (error == null) {
                outcome.complete(result);
            } else {
                outcome.completeExceptionally(error);
            }
        });
    }

    private void settle(InFlight flight, Instant started, Throwable error) {
        Delivery delivery = flight.delivery;
        try {
            long nanos = Duration.between(started, clock.instant()).toNanos();
            if (error == null) {
                if (breaker != null) {
                    breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
                }
                listener.onHandled(delivery, Duration.ofNanos(nanos));
                untrackThenFinish(flight, () -> deletes.submit(flight.message, delivery, 0));
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof ShutdownCancellation) {
                if (breaker != null) {
                    breaker.releasePermission();
                }
                LOG.warn("{} was still running when the stop timeout ran out: cancelled and released", delivery);
                release(flight);
                return;
            }
            boolean retryable = failurePolicy.isRetryable(cause);
            if (breaker != null) {
                if (retryable) {
                    breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
                } else {
                    breaker.releasePermission(); // poison says nothing about the downstream
                }
            }
            if (flight.firstFailure == null) {
                flight.firstFailure = clock.instant();
            }
            flight.lastFailure = clock.instant();
            listener.onFailed(delivery, cause);
            FailurePolicy.Decision decision = flight.attempts.onFailure(flight.calls, cause);
            carryOut(flight, cause, decision);
        } catch (RuntimeException e) {
            LOG.error("Settling {} failed; SQS will deliver it again", delivery, e);
            untrackThenFinish(flight, () -> { });
        }
    }

    private void carryOut(InFlight flight, Throwable cause, FailurePolicy.Decision decision) {
        Delivery delivery = flight.delivery;
        if (decision instanceof FailurePolicy.RetryAfter retry && !stopping) {
            LOG.info("Handler call {} failed for {}; retrying in {} ms: {}", flight.calls, delivery,
                    retry.delay().toMillis(), cause.toString());
            listener.onRetried(delivery, flight.calls, cause);
            flight.waiting();
            if (retry.delay().isZero()) {
                execute(flight);
            } else {
                scheduler.schedule(retry.delay(), () -> execute(flight));
            }
        } else if (decision instanceof FailurePolicy.RetryAfter) {
            release(flight); // stopping: hand it back rather than retry
        } else if (decision instanceof FailurePolicy.Redeliver redeliver) {
            LOG.warn("Handler failed for {} ({} call(s)); it comes back in {} s", delivery, flight.calls,
                    redeliver.visibility().getSeconds(), cause);
            untrackThenFinish(flight, () -> releases.submit(flight.message, delivery,
                    (int) redeliver.visibility().getSeconds()));
        } else if (decision instanceof FailurePolicy.DeadLetter deadLetter && deadLetters != null) {
            deadLetter(flight, cause, deadLetter.reason());
        } else {
            String reason = decision instanceof FailurePolicy.Leave leave ? leave.reason()
                    : ((FailurePolicy.DeadLetter) decision).reason() + "; no dead-letter queue is known";
            logLeft(delivery, cause, reason);
            untrackThenFinish(flight, () -> { });
        }
    }

    private void deadLetter(InFlight flight, Throwable cause, String reason) {
        Delivery delivery = flight.delivery;
        Instant first = flight.firstFailure;
        if (delivery.receiveCount() > 1) {
            first = VisibilityHeartbeat.firstReceive(flight.message, first);
        }
        deadLetters.send(flight.message, delivery, cause, Math.max(1, delivery.receiveCount()), first,
                        flight.lastFailure)
                .whenComplete((ignored, error) -> {
                    Runnable settle = () -> { };
                    try {
                        if (error == null) {
                            LOG.warn("Dead-lettered {} to '{}': {}: {}", delivery, deadLetters.deadLetterQueue(),
                                    reason, cause instanceof MessageBindingException ? cause.getMessage() : cause.toString());
                            listener.onDeadLettered(delivery, deadLetters.deadLetterQueue(), cause);
                            settle = () -> deletes.submit(flight.message, delivery, 0);
                        } else {
                            LOG.error("Sending {} to the dead-letter queue '{}' failed; it stays on its queue and comes"
                                    + " back: {}", delivery, deadLetters.deadLetterQueue(), unwrap(error).toString());
                        }
                    } finally {
                        untrackThenFinish(flight, settle);
                    }
                });
    }

    /**
     * The breaker keeps this delivery from its handler: received by a long poll that was already open when the breaker
     * opened, or waiting for a retry. Not a failure. Usually it goes back to the queue unstarted (visibility 0), but
     * while the breaker is open only once no long poll of this queue is open: one still open would receive it straight
     * back, again and again, burning receive counts until SQS's RedrivePolicy moved it to the DLQ (an outage must push
     * nothing there). On its last delivery, though, a release would spend the receive it has left: the next receive
     * would be SQS's redrive, without the reason, or one more call that fails for the outage's sake. So such a
     * delivery is held instead, invisible on the heartbeat and keeping its slot, and tried again every {@link
     * #HELD_RECHECK} until the breaker lets the call through. Either way a stop releases it like any delivery waiting
     * to start.
     */
    private void keepFromHandler(InFlight flight) {
        flight.waiting();
        if (flight.delivery.receiveCount() >= lastDelivery) {
            LOG.debug("Circuit breaker '{}' is {}: holding {} (its last delivery) until the breaker lets it through",
                    breaker.getName(), breaker.getState(), flight.delivery);
            scheduler.schedule(HELD_RECHECK, () -> execute(flight));
            return;
        }
        LOG.debug("Circuit breaker '{}' is {}: releasing {} unstarted once no receive can catch it straight back",
                breaker.getName(), breaker.getState(), flight.delivery);
        gate.whenReleasable().whenComplete((ignored, error) -> {
            if (flight.claim()) {
                release(flight);
            }
        });
    }

    /** Hands an unstarted (or cancelled) message back to the queue at once; not a failure. */
    private void release(InFlight flight) {
        untrackThenFinish(flight, () -> releases.submit(flight.message, flight.delivery, 0));
    }

    /**
     * Stops the heartbeat for the delivery; once no extension of it is in flight, submits its delete or release
     * ({@code settle}), and only then frees its slot: a stop, which flushes once every slot is free, finds it
     * submitted.
     */
    private void untrackThenFinish(InFlight flight, Runnable settle) {
        if (heartbeat == null) {
            settleThenFinish(flight, settle);
            return;
        }
        heartbeat.untrack(flight.message).whenComplete((ignored, error) -> settleThenFinish(flight, settle));
    }

    private void settleThenFinish(InFlight flight, Runnable settle) {
        try {
            settle.run();
        } finally {
            finish(flight);
        }
    }

    private void finish(InFlight flight) {
        if (inFlight.remove(flight)) {
            active.decrementAndGet();
            if (!flight.holdSlotUntilTheCallReturns()) {
                permits.release(1);
            }
        }
    }

    private static void logLeft(Delivery delivery, Throwable cause, String reason) {
        if (cause instanceof MessageBindingException) {
            // Poison: the reason, never the body. No stack trace: it is the message that is wrong, not the code.
            LOG.warn("{}; {}: it is left for SQS to redeliver or dead-letter", cause.getMessage(), reason);
        } else {
            LOG.warn("Handler failed for {} ({}); SQS will deliver it again after its visibility timeout", delivery,
                    reason, cause);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** One delivery between dispatch and settlement; its handler calls never overlap. */
    private static final class InFlight {
        final Message message;
        final Delivery delivery;
        final FailurePolicy.Attempts attempts;
        int calls;
        Instant firstFailure;
        Instant lastFailure;
        private CompletableFuture<Object> outcome;
        private Thread thread;
        private CompletionStage<?> stage;
        private boolean interruptedByUs;
        /** Settled while the thread was still in the call: its slot is released when the call returns. */
        private boolean slotHeld;
        /** Not in a handler call: queued, or waiting for a retry. */
        private boolean waiting = true;
        private boolean abandoned;

        InFlight(Message message, Delivery delivery, FailurePolicy.Attempts attempts) {
            this.message = message;
            this.delivery = delivery;
            this.attempts = attempts;
        }

        /** Takes the delivery out of waiting to start a call; false if it was abandoned meanwhile. */
        synchronized boolean claim() {
            if (abandoned) {
                return false;
            }
            waiting = false;
            return true;
        }

        /** Back to waiting (for an in-process retry). */
        synchronized void waiting() {
            waiting = true;
        }

        /** Abandons the delivery if it is waiting to start a call; true if the caller now owns its release. */
        synchronized boolean abandonIfWaiting() {
            if (!waiting || abandoned) {
                return false;
            }
            abandoned = true;
            return true;
        }

        synchronized void begin(CompletableFuture<Object> outcome, Thread thread) {
            this.outcome = outcome;
            this.thread = thread;
            this.stage = null;
            this.interruptedByUs = false;
        }

        /**
         * The call returned (a synchronous handler is done; an asynchronous one may still run). Returns true when the
         * delivery was already settled while the thread was inside the call (it was cancelled and ignored it): the
         * caller then releases the handler slot that settlement kept, so that a handler deaf to interrupts never
         * runs beside a full set of others.
         */
        boolean returned(CompletableFuture<Object> call, CompletionStage<?> stage) {
            boolean interrupted;
            boolean releaseSlot;
            synchronized (this) {
                if (outcome != call) {
                    return false; // a later call already began (cannot happen after a cancellation: not retried)
                }
                this.thread = null;
                this.stage = stage;
                interrupted = interruptedByUs;
                releaseSlot = slotHeld;
                slotHeld = false;
            }
            if (interrupted) {
                Thread.interrupted(); // do not leak our interrupt to the executor's next task
            }
            return releaseSlot;
        }

        /**
         * At settlement: true if a thread is still inside the handler call (cancelled, not yet returned), in which case
         * the slot stays taken until {@link #returned} says so.
         */
        synchronized boolean holdSlotUntilTheCallReturns() {
            if (thread == null) {
                return false;
            }
            slotHeld = true;
            return true;
        }

        /**
         * Ends the running call with {@code reason} (settling the delivery with it), then interrupts the handler's
         * thread if it is still inside the call, or cancels its stage. Returns false when the call had already ended.
         */
        boolean cancel(RuntimeException reason) {
            CompletableFuture<Object> current;
            synchronized (this) {
                current = outcome;
            }
            if (current == null || !current.completeExceptionally(reason)) {
                return false;
            }
            CompletionStage<?> pendingStage;
            synchronized (this) {
                if (outcome != current) {
                    return true; // already on a later call (a retry): nothing of ours runs
                }
                if (thread != null) {
                    interruptedByUs = true;
                    thread.interrupt();
                }
                pendingStage = stage;
            }
            if (pendingStage != null) {
                try {
                    pendingStage.toCompletableFuture().cancel(true);
                } catch (UnsupportedOperationException e) {
                    // a stage that cannot be cancelled runs on; its outcome is ignored
                }
            }
            return true;
        }
    }

    /** The stop timeout ran out while the call was running. */
    private static final class ShutdownCancellation extends RuntimeException {
        ShutdownCancellation() {
            super("cancelled: the worker's stop timeout ran out", null, false, false);
        }
    }
}
