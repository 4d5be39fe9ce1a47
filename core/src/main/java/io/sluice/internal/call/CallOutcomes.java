package io.sluice.internal.call;

import io.sluice.Batch;
import io.sluice.MessageBindingException;
import io.sluice.WorkerEvent;
import io.sluice.WorkerEvent.ReleaseReason;
import io.sluice.internal.events.Events;
import io.sluice.internal.handler.BatchBinding;
import io.sluice.internal.policy.FailurePolicy;
import io.sluice.internal.support.Failures;
import io.sluice.internal.visibility.VisibilityHeartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the end of a handler call into what happens to each of its deliveries: events ({@code Handled}, {@code
 * Failed}, {@code Retried}), then either another call later (an in-process retry, a breaker re-check) or a {@link
 * Settlement} for the delivery's sink to carry out. The {@link FailurePolicy} decides about failures; this carries
 * its decision out.
 */
final class CallOutcomes {

    /** How often a delivery the breaker keeps from its handler asks it again. */
    static final Duration HELD_RECHECK = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(CallOutcomes.class);

    private final CallRunner runner;
    private final FailurePolicy policy;
    private final Events events;
    private final Clock clock;
    private final String queue;
    private final boolean ordered;

    CallOutcomes(CallRunner runner, FailurePolicy policy, Events events, Clock clock, String queue, boolean ordered) {
        this.ordered = ordered;
        this.runner = runner;
        this.policy = policy;
        this.events = events;
        this.clock = clock;
        this.queue = queue;
    }

    void callEnded(CallContext context, Throwable error) {
        HandlerCall call = context.call();
        Throwable cause = error == null ? null : Failures.unwrap(error);
        if (cause instanceof NotAdmitted) {
            call.deliveries().forEach(delivery -> {
                delivery.uncall();
                keepFromHandler(delivery);
            });
            return;
        }
        if (!call.threadLeft().isDone()) {
            // Cancelled while its thread is still inside: the slots come back when that thread does.
            call.deliveries().forEach(delivery -> delivery.lease().holdSlotUntil(call.threadLeft()));
        }
        if (cause instanceof ShutdownCancellation) {
            LOG.warn("{} was still running when the stop timeout ran out: cancelled and released", call.deliveries());
            call.deliveries().forEach(delivery -> runner.settle(delivery, new Settlement.Release(
                    ReleaseReason.CANCELLED)));
            return;
        }
        Duration elapsed = Duration.between(call.started(), clock.instant());
        Map<String, Throwable> itemFailures = itemFailures(context.batch());
        Map<String, ? extends Throwable> bindingFailures = context.batch() == null ? Map.of()
                : context.batch().failures();
        Map<Duration, List<DeliveryState>> retries = new LinkedHashMap<>();
        Set<String> failedGroups = new HashSet<>();
        for (DeliveryState delivery : call.deliveries()) {
            if (ordered && delivery.groupId() != null && failedGroups.contains(delivery.groupId())) {
                // After a failed message of its FIFO group in this batch: it comes back after that one, handled or not.
                runner.settle(delivery, new Settlement.Release(ReleaseReason.GROUP_STOPPED));
                continue;
            }
            String id = delivery.delivery().messageId();
            // An item that could not be bound failed on its own; the others fail with the call, or as the handler said.
            Throwable failure = bindingFailures.containsKey(id) ? bindingFailures.get(id)
                    : cause != null ? cause : itemFailures.get(id);
            if (failure != null && delivery.groupId() != null) {
                failedGroups.add(delivery.groupId());
            }
            if (failure == null) {
                events.publish(new WorkerEvent.Handled(delivery.delivery(), elapsed));
                runner.settle(delivery, new Settlement.Complete());
            } else {
                Duration retry = failed(delivery, failure);
                if (retry != null) {
                    retries.computeIfAbsent(retry, delay -> new ArrayList<>()).add(delivery);
                }
            }
        }
        // The deliveries of one call retried after the same delay are called again together (a batch stays a batch).
        retries.forEach((delay, deliveries) -> runner.later(deliveries, delay));
        if (context.batch() != null) {
            int size = call.deliveries().size();
            events.publish(new WorkerEvent.BatchHandled(queue, call.deliveries().get(0).delivery().handler(), size,
                    cause != null ? size : itemFailures.size(), elapsed));
        }
    }

    /** Each batch item's failure (marked by the handler, or a binding failure), by message id. */
    private static Map<String, Throwable> itemFailures(BatchBinding binding) {
        if (binding == null) {
            return Map.of();
        }
        Map<String, Throwable> failures = new HashMap<>(binding.failures());
        for (Batch.Item<Object> item : binding.batch()) {
            if (item.failed()) {
                failures.put(item.messageId(), item.failure());
            }
        }
        return failures;
    }

    /** Carries out the policy's decision; returns the delay of an in-process retry (the caller schedules it), or null. */
    private Duration failed(DeliveryState delivery, Throwable cause) {
        Instant now = clock.instant();
        delivery.failedAt(now);
        events.publish(new WorkerEvent.Failed(delivery.delivery(), cause));
        FailurePolicy.Decision decision;
        try {
            decision = delivery.attempts().onFailure(delivery.calls(), cause);
        } catch (RuntimeException e) {
            LOG.error("The failure policy threw for {}; SQS will deliver it again", delivery, e);
            runner.settle(delivery, new Settlement.Leave("the failure policy failed", e));
            return null;
        }
        if (decision instanceof FailurePolicy.RetryAfter retry) {
            if (runner.stopping()) {
                runner.settle(delivery, new Settlement.Release(ReleaseReason.STOPPING));
                return null;
            }
            events.publish(new WorkerEvent.Retried(delivery.delivery(), delivery.calls(), cause, retry.delay()));
            return retry.delay();
        } else if (decision instanceof FailurePolicy.Redeliver redeliver) {
            runner.settle(delivery, new Settlement.Redeliver(redeliver.visibility(), cause));
        } else if (decision instanceof FailurePolicy.DeadLetter deadLetter) {
            Instant first = delivery.firstFailure();
            if (delivery.delivery().receiveCount() > 1) {
                first = VisibilityHeartbeat.firstReceive(delivery.lease().message(), first);
            }
            runner.settle(delivery, new Settlement.DeadLetter(cause, deadLetter.reason(), first,
                    delivery.lastFailure()));
        } else {
            runner.settle(delivery, new Settlement.Leave(((FailurePolicy.Leave) decision).reason(), cause));
        }
        return null;
    }

    /**
     * The breaker keeps this delivery from its handler: received by a receive that was open when the breaker opened, or
     * waiting for a retry. Not a failure. It is held, invisible on the heartbeat and keeping its slot, and asks the
     * breaker again every {@link #HELD_RECHECK}: it runs as a probe when the breaker turns half-open, or once it closes.
     * It is never released while the breaker is open: the next receive of a released message would spend one of its
     * receives, and a downstream outage that opens and re-opens the breaker (and kills of workers) would spend them all
     * until SQS's RedrivePolicy moved healthy messages to the DLQ without a reason. A stop releases it at once.
     */
    private void keepFromHandler(DeliveryState delivery) {
        delivery.waiting();
        LOG.debug("The circuit breaker holds {} until it lets it through", delivery);
        runner.later(List.of(delivery), HELD_RECHECK);
    }

    /** Whether {@code cause} counts against the downstream (retryable); poison does not. */
    boolean countsAsFailure(Throwable cause) {
        return !(cause instanceof MessageBindingException) && policy.isRetryable(cause);
    }
}
