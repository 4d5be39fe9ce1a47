package io.sluice.internal.call;

import io.sluice.Invocation;
import io.sluice.WorkerEvent.ReleaseReason;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.polling.Permits;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one queue's handler calls: each on the handler executor, through the queue's {@link StageChain}; the outcome
 * goes to {@link CallOutcomes}, whose settlements return to the {@link DeliveryRoute} (the queue's sink) the call came
 * from. It knows every delivery it was given until it is settled, so that a stop releases the waiting ones at once
 * and, at its timeout, cancels the running ones. Thread safe.
 */
public final class CallRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CallRunner.class);

    private final HandlerMethod handler;
    private final Executor executor;
    private final Scheduler scheduler;
    private final StageChain chain;
    private final Map<DeliveryState, DeliveryRoute> active = new ConcurrentHashMap<>();
    private final Set<HandlerCall> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger calling = new AtomicInteger();
    /** Call slots, when the queue prefetches (holds more messages than may run): else {@code null}, no wait. */
    private final Permits starts;
    private CallOutcomes outcomes;
    private volatile boolean stopping;

    CallRunner(HandlerMethod handler, Executor executor, Scheduler scheduler, StageChain chain, Permits starts) {
        this.handler = handler;
        this.executor = executor;
        this.scheduler = scheduler;
        this.chain = chain;
        this.starts = starts;
    }

    /** Called once by {@link CallPipeline} while it wires the runner and its outcomes together. */
    void outcomes(CallOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    /** Handler calls in progress now (a batch call counts once). */
    public int calling() {
        return calling.get();
    }

    /** Whether the runner is stopping: no call starts any more. */
    boolean stopping() {
        return stopping;
    }

    /**
     * Runs one call over {@code deliveries} (one, or a batch) on the executor; their settlements go to {@code route}.
     * When the queue prefetches, the call first waits for a call slot, in arrival order (a FIFO group's order holds);
     * meanwhile its deliveries are waiting, so a stop releases them at once.
     */
    public void start(List<DeliveryState> deliveries, DeliveryRoute route) {
        deliveries.forEach(delivery -> active.put(delivery, route));
        if (starts == null) {
            execute(deliveries);
        } else {
            starts.acquireUpTo(1).thenRun(() -> execute(deliveries));
        }
    }

    private void execute(List<DeliveryState> deliveries) {
        try {
            executor.execute(() -> run(deliveries));
        } catch (RejectedExecutionException e) {
            LOG.warn("Not handling {}: the handler executor is shut down; releasing", deliveries);
            freeStart();
            deliveries.forEach(delivery -> {
                if (delivery.claim()) {
                    settle(delivery, new Settlement.Release(ReleaseReason.STOPPING));
                }
            });
        }
    }

    private void freeStart() {
        if (starts != null) {
            starts.release(1);
        }
    }

    private void run(List<DeliveryState> deliveries) {
        List<DeliveryState> claimed = new ArrayList<>(deliveries.size());
        for (DeliveryState delivery : deliveries) {
            if (delivery.claim()) {
                claimed.add(delivery); // else a stop released it while it waited for a thread
            }
        }
        if (claimed.isEmpty()) {
            freeStart();
            return;
        }
        if (stopping) {
            freeStart();
            claimed.forEach(delivery -> settle(delivery, new Settlement.Release(ReleaseReason.STOPPING)));
            return;
        }
        HandlerCall call = new HandlerCall(claimed, scheduler.clock().instant());
        int highest = 0;
        for (DeliveryState delivery : claimed) {
            highest = Math.max(highest, delivery.nextCall());
        }
        int number = highest;
        CallContext context = new CallContext(call, () -> invocation(claimed, number));
        running.add(call);
        calling.incrementAndGet();
        call.outcome().whenComplete((ok, error) -> {
            running.remove(call);
            calling.decrementAndGet();
            freeStart();
            outcomes.callEnded(context, error);
        });
        call.enter(Thread.currentThread());
        call.leave(chain.run(context).toCompletableFuture());
    }

    private Invocation invocation(List<DeliveryState> deliveries, int number) {
        List<Invocation.MessageInfo> messages = new ArrayList<>(deliveries.size());
        for (DeliveryState delivery : deliveries) {
            var message = delivery.lease().message();
            messages.add(new Invocation.MessageInfo(message.messageId(), delivery.delivery().receiveCount(),
                    delivery.groupId(), HandlerMethod.attributesOf(message),
                    message.attributesAsStrings()));
        }
        return new Invocation(handler.queue(), handler.name(), number, handler.isBatch(), messages);
    }

    /** Runs {@code deliveries} again after {@code delay} (an in-process retry, a breaker re-check), unless stopped. */
    void later(List<DeliveryState> deliveries, Duration delay) {
        deliveries.forEach(DeliveryState::waiting);
        Runnable resume = () -> {
            List<DeliveryState> live = deliveries.stream().filter(active::containsKey).toList();
            if (!live.isEmpty()) {
                active.get(live.get(0)).resume(live);
            }
        };
        if (delay.isZero()) {
            resume.run();
        } else {
            scheduler.schedule(delay, resume);
        }
    }

    /** Hands the delivery's settlement to the route it came from; it is no longer this runner's. */
    void settle(DeliveryState delivery, Settlement settlement) {
        DeliveryRoute route = active.remove(delivery);
        if (route != null) {
            route.settle(delivery, settlement);
        }
    }

    /** Stops starting calls: a delivery whose turn comes from now on is released instead. Running calls go on. */
    public void stopStarting() {
        stopping = true;
    }

    /**
     * Releases every delivery waiting to start a call (queued for a thread, waiting for an in-process retry, held by
     * the breaker) at once, not when its timer fires.
     */
    public void releaseWaiting() {
        stopping = true;
        for (DeliveryState delivery : List.copyOf(active.keySet())) {
            if (delivery.abandonIfWaiting()) {
                settle(delivery, new Settlement.Release(ReleaseReason.STOPPING));
            }
        }
    }

    /**
     * For a stop whose timeout ran out: cancels every running call (its messages are released) and releases every
     * delivery still waiting. Returns how many deliveries were cancelled or released.
     */
    public int cancelRunning() {
        int cancelled = 0;
        for (DeliveryState delivery : List.copyOf(active.keySet())) {
            if (delivery.abandonIfWaiting()) {
                settle(delivery, new Settlement.Release(ReleaseReason.STOPPING));
                cancelled++;
            }
        }
        for (HandlerCall call : List.copyOf(running)) {
            if (call.cancel(new ShutdownCancellation())) {
                cancelled += call.deliveries().size();
            }
        }
        return cancelled;
    }

    @Override
    public String toString() {
        return "CallRunner{" + handler.name() + ", calling=" + calling.get() + ", active=" + active.size() + '}';
    }

}
