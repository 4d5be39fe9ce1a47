package io.sluice.internal.sink;

import io.sluice.WorkerEvent;
import io.sluice.WorkerEvent.ReleaseReason;
import io.sluice.internal.call.DeliveryState;
import io.sluice.internal.call.Settlement;
import io.sluice.internal.events.Events;
import io.sluice.internal.lease.LeaseOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The book a group-aware sink keeps of one queue's message groups ({@code MessageGroupId}): which deliveries of each
 * group wait, which are in a call, and, for ordered (FIFO) groups, how their settlements must be sequenced. Messages
 * without a group are not limited.
 *
 * <p><b>Capped groups</b> (standard queues used as fair queues): at most {@code cap} deliveries of a group are in calls
 * at once; the rest wait, holding their slots and covered by the heartbeat, without holding up other groups.
 *
 * <p><b>Ordered groups</b> (FIFO): one call of a group at a time, its messages in the order received (a batch call may
 * hold several, in order). A delete is submitted only after the previous delivery of the group is gone (deleted or
 * dead-lettered); when it is not (its delete failed), the later one is released instead. A failure that returns its
 * message (a redelivery back-off, a release, a leave) <em>stops</em> the group: every later delivery of the group this
 * worker holds is released unhandled (visibility 0), and only once those releases are answered does the failed one
 * take its own action, so SQS can never hand the failed message to another consumer while this one still holds its
 * successors. A dead-lettered delivery lets its group move on once the dead-letter queue has it.
 *
 * <p>Thread safe: its methods hold its monitor and return the actions that carry their decisions out, which the caller
 * runs after they returned (never under the monitor: an action may complete futures that call back in).
 */
final class GroupBook {

    private final boolean ordered;
    private final int cap;
    private final String queue;
    private final Events events;
    private final Runnable wake;
    private final Map<String, GroupState> groups = new LinkedHashMap<>();
    private final ArrayDeque<DeliveryState> ungrouped = new ArrayDeque<>();

    /**
     * @param ordered FIFO order within a group (one call at a time); else at most {@code cap} in calls per group
     * @param wake    called (outside any lock) when a group may start its next delivery after an asynchronous outcome
     */
    GroupBook(boolean ordered, int cap, String queue, Events events, Runnable wake) {
        this.ordered = ordered;
        this.cap = ordered ? 1 : cap;
        this.queue = queue;
        this.events = events;
        this.wake = wake;
    }

    /** Whether {@code delivery} waits for its group's turn (booked, not taken into a call). */
    synchronized boolean waits(DeliveryState delivery) {
        if (delivery.groupId() == null) {
            return ungrouped.contains(delivery);
        }
        GroupState group = groups.get(delivery.groupId());
        return group != null && group.waiting.contains(delivery);
    }

    /** Books {@code delivery}; returns the action to run when its group is stopped (it is released). */
    synchronized List<Runnable> offer(DeliveryState delivery) {
        String id = delivery.groupId();
        if (id == null) {
            ungrouped.add(delivery);
            return List.of();
        }
        GroupState group = groups.computeIfAbsent(id, GroupState::new);
        if (group.stopped()) {
            return List.of(release(group, delivery));
        }
        group.waiting.add(delivery);
        return List.of();
    }

    /**
     * Takes deliveries that may start now, at most {@code max}, oldest groups first: ungrouped ones, then per group up
     * to its cap (ordered: a group with nothing in a call; all its waiting ones in order when {@code severalPerGroup});
     * none when fewer than {@code min} may start.
     */
    synchronized List<DeliveryState> take(int min, int max, boolean severalPerGroup) {
        if (min > 1 && scan(max, severalPerGroup, null) < min) {
            return List.of();
        }
        List<DeliveryState> taken = new ArrayList<>();
        scan(max, severalPerGroup, taken);
        return taken;
    }

    /** How many deliveries {@link #take} would return now (up to {@code max}). */
    synchronized int takeable(int max, boolean severalPerGroup) {
        return scan(max, severalPerGroup, null);
    }

    /** Counts, and when {@code into} is given takes, what may start now. Holding the monitor. */
    private int scan(int max, boolean severalPerGroup, List<DeliveryState> into) {
        int count = Math.min(max, ungrouped.size());
        if (into != null) {
            for (int i = 0; i < count; i++) {
                into.add(ungrouped.poll());
            }
        }
        for (GroupState group : groups.values()) {
            if (count >= max) {
                break;
            }
            if (group.stopped() || group.settling > 0) {
                continue;
            }
            int allowed = ordered ? (group.inCall.isEmpty() ? (severalPerGroup ? Integer.MAX_VALUE : 1) : 0)
                    : cap - group.inCall.size();
            int fromGroup = Math.min(Math.min(allowed, group.waiting.size()), max - count);
            count += fromGroup;
            if (into == null) {
                continue;
            }
            for (int i = 0; i < fromGroup; i++) {
                DeliveryState next = group.waiting.poll();
                group.inCall.put(next, group.taken++);
                if (ordered) {
                    group.previous.put(next, group.tail);
                    group.tail = next.lease().outcome();
                }
                into.add(next);
            }
        }
        return count;
    }

    /** A delivery's call ended with {@code settlement}: the actions that carry it out, in order, outside the lock. */
    synchronized List<Runnable> settle(DeliveryState delivery, Settlement settlement) {
        GroupState group = delivery.groupId() == null ? null : groups.get(delivery.groupId());
        Long at = group == null ? null : group.inCall.remove(delivery);
        if (at == null) {
            return List.of(() -> settlement.applyTo(delivery.lease()));
        }
        CompletableFuture<LeaseOutcome> previous = group.previous.remove(delivery);
        List<Runnable> actions = new ArrayList<>();
        if (!ordered) {
            actions.add(() -> settlement.applyTo(delivery.lease()));
        } else if (at > group.stopAt) {
            actions.add(release(group, delivery)); // handled or not, after an earlier one that came back, it comes back
        } else if (settlement.returnsMessage()) {
            // It comes back: a later arrival of the group (its redelivery included) follows what preceded it.
            group.tail = previous != null ? previous : CompletableFuture.completedFuture(null);
            actions.addAll(stop(group, at, delivery, settlement));
        } else {
            actions.add(inOrder(group, at, delivery, settlement,
                    previous != null ? previous : CompletableFuture.completedFuture(null)));
        }
        actions.addAll(pendingReady(group));
        endStopIfDone(group);
        forgetIfIdle(group);
        return actions;
    }

    /** Releases every waiting delivery (the worker stops); running ones settle as usual. */
    synchronized List<Runnable> releaseWaiting(ReleaseReason reason) {
        List<Runnable> actions = new ArrayList<>();
        List<DeliveryState> all = new ArrayList<>(ungrouped);
        ungrouped.clear();
        for (GroupState group : groups.values()) {
            // later messages first: an earlier one never becomes visible while this worker still holds a later one
            for (Iterator<DeliveryState> later = group.waiting.descendingIterator(); later.hasNext(); ) {
                all.add(later.next());
            }
            group.waiting.clear();
        }
        for (DeliveryState delivery : all) {
            actions.add(() -> delivery.lease().release(reason));
        }
        groups.values().removeIf(GroupState::idle);
        return actions;
    }

    /**
     * A Complete or DeadLetter of an ordered group: carried out once the delivery taken before it in the group is
     * settled and gone (an earlier one of the same batch may still be retrying in process); when it is not gone (its
     * delete failed, or it came back), this one is released instead and the group stops.
     */
    private Runnable inOrder(GroupState group, long at, DeliveryState delivery, Settlement settlement,
            CompletableFuture<LeaseOutcome> previous) {
        boolean deadLetter = settlement instanceof Settlement.DeadLetter;
        if (deadLetter) {
            group.settling++;
        }
        return () -> previous.whenComplete((outcome, error) -> {
            if (outcome == null || outcome.gone()) {
                settlement.applyTo(delivery.lease());
            } else {
                List<Runnable> after;
                synchronized (this) {
                    group.stopAt(at);
                    group.tail = CompletableFuture.completedFuture(null); // the one before comes back, and this one
                    after = new ArrayList<>();
                    after.add(release(group, delivery));
                    group.waiting.forEach(waiting -> after.add(release(group, waiting)));
                    group.waiting.clear();
                }
                after.forEach(Runnable::run);
            }
            if (deadLetter) {
                delivery.lease().outcome().whenComplete((dead, failure) -> {
                    synchronized (this) {
                        group.settling--;
                        if (dead == null || !dead.gone()) {
                            group.stopAt(at); // it comes back: nothing after it may run
                            group.tail = CompletableFuture.completedFuture(null);
                        }
                        endStopIfDone(group);
                        forgetIfIdle(group);
                    }
                    wake.run();
                });
            }
        });
    }

    /**
     * A delivery of the group comes back (a redelivery back-off, a release, a leave): every later one this worker holds
     * is released first (waiting ones now, those still in a call when their call ends), and only then does it take its
     * own action.
     */
    private List<Runnable> stop(GroupState group, long at, DeliveryState failed, Settlement action) {
        group.stopAt(at);
        group.pending.add(new GroupState.Pending(at, failed, action));
        List<Runnable> actions = new ArrayList<>();
        for (Iterator<DeliveryState> later = group.waiting.descendingIterator(); later.hasNext(); ) {
            actions.add(release(group, later.next()));
        }
        group.waiting.clear();
        return actions;
    }

    /** A release of a later delivery of a stopped group; its answer may let an earlier one act. */
    private Runnable release(GroupState group, DeliveryState delivery) {
        group.releases.add(delivery.lease().outcome());
        return () -> {
            delivery.lease().release(ReleaseReason.GROUP_STOPPED);
            delivery.lease().outcome().whenComplete((outcome, error) -> {
                List<Runnable> next;
                synchronized (this) {
                    next = pendingReady(group);
                    endStopIfDone(group);
                    forgetIfIdle(group);
                }
                next.forEach(Runnable::run);
            });
        };
    }

    /** The actions of deliveries that came back, once nothing later of their group is held or unanswered. */
    private List<Runnable> pendingReady(GroupState group) {
        if (group.pending.isEmpty() || !group.waiting.isEmpty()
                || !group.releasesAnswered()) {
            return List.of();
        }
        List<Runnable> actions = new ArrayList<>();
        for (Iterator<GroupState.Pending> each = group.pending.iterator(); each.hasNext(); ) {
            GroupState.Pending pending = each.next();
            if (group.laterInCall(pending.at())) {
                continue; // a later one is still in a call: it is released when its call ends, then this acts
            }
            each.remove();
            int released = group.releases.size();
            actions.add(() -> {
                pending.action().applyTo(pending.delivery().lease());
                events.publish(new WorkerEvent.GroupStopped(queue, group.id, pending.delivery().delivery(), released));
                pending.delivery().lease().outcome().whenComplete((outcome, error) -> {
                    synchronized (this) {
                        endStopIfDone(group);
                        forgetIfIdle(group);
                    }
                });
            });
        }
        if (group.pending.isEmpty()) {
            group.releases.clear();
        }
        return actions;
    }

    /**
     * Ends a group's stop once it is carried out: every delivery it held after the stop point released and answered,
     * and the ones that came back have taken their actions. Messages of the group that arrive from then on (their
     * redeliveries included) are handled in order again, behind whatever earlier delivery is still in a call.
     */
    private void endStopIfDone(GroupState group) {
        if (group.stopped() && group.pending.isEmpty() && group.waiting.isEmpty()
                && group.releasesAnswered()
                && !group.laterInCall(group.stopAt)) {
            group.stopAt = Long.MAX_VALUE;
            group.releases.clear();
        }
    }

    /**
     * Drops a group this worker holds nothing of, once its last delete is answered: its next message starts a fresh
     * book (after a stop, too).
     */
    private void forgetIfIdle(GroupState group) {
        if (!group.idle() || !group.releasesAnswered()
                || groups.get(group.id) != group) {
            return;
        }
        if (group.tail.isDone()) {
            groups.remove(group.id);
        } else if (!group.forgetting) {
            group.forgetting = true;
            group.tail.whenComplete((outcome, error) -> {
                synchronized (this) {
                    group.forgetting = false;
                    forgetIfIdle(group);
                }
            });
        }
    }
}
