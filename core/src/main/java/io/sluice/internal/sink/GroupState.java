package io.sluice.internal.sink;

import io.sluice.internal.call.DeliveryState;
import io.sluice.internal.call.Settlement;
import io.sluice.internal.lease.LeaseOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the {@link GroupBook} knows of one message group: its deliveries waiting and in calls (each with its place in
 * the group), and for an ordered group the chain of outcomes its deletes follow and the stop it may be in. Guarded by
 * the book's monitor; the book holds the rules, this class only the state.
 */
final class GroupState {

    /** A delivery that comes back, at its place in the group, and its action (taken once the later ones are released). */
    record Pending(long at, DeliveryState delivery, Settlement action) {
    }

    final String id;
    final ArrayDeque<DeliveryState> waiting = new ArrayDeque<>();
    /** The deliveries in a call, with their place in the group (the order they were taken in). */
    final Map<DeliveryState, Long> inCall = new LinkedHashMap<>();
    /** How many deliveries were taken into calls: the next one's place. */
    long taken;
    /** The place of the earliest delivery that came back (a later one may not be deleted); none: MAX_VALUE. */
    long stopAt = Long.MAX_VALUE;
    /** Deliveries that come back, whose own action waits until every later one of the group was released. */
    final List<Pending> pending = new ArrayList<>();
    /** Outcome of the group's last delivery taken into a call, in order: the next one's delete waits for it. */
    CompletableFuture<LeaseOutcome> tail = CompletableFuture.completedFuture(null);
    /** For each delivery in a call, the outcome of the one taken before it (ordered groups). */
    final Map<DeliveryState, CompletableFuture<LeaseOutcome>> previous = new HashMap<>();
    /** Dead-lettered deliveries not yet answered: the group does not move on before. */
    int settling;
    /** Whether a forget waits for the tail's outcome. */
    boolean forgetting;
    /** The releases of the current stop (later deliveries sent back), answered or not. */
    final List<CompletableFuture<LeaseOutcome>> releases = new ArrayList<>();

    GroupState(String id) {
        this.id = id;
    }

    boolean stopped() {
        return stopAt != Long.MAX_VALUE;
    }

    /** Stops the group at {@code at} (or keeps an earlier stop). */
    void stopAt(long at) {
        stopAt = Math.min(stopAt, at);
    }

    /** Whether SQS answered every release of the current stop. */
    boolean releasesAnswered() {
        return releases.stream().allMatch(CompletableFuture::isDone);
    }

    /** Whether a delivery placed after {@code at} is still in a call. */
    boolean laterInCall(long at) {
        return inCall.values().stream().anyMatch(place -> place > at);
    }

    boolean idle() {
        return waiting.isEmpty() && inCall.isEmpty() && settling == 0 && pending.isEmpty();
    }
}
