package io.sluice.testing.faults;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Decides, per call, which fault (if any) a call gets, and counts: the one copy of the choice shared by the transport
 * decorator and the proxy. Each action draws from its own seeded random stream, so an action's decisions depend only
 * on the seed and how many calls of that action came before, not on how calls of other actions interleave. Thread
 * safe.
 */
final class FaultDecisions implements FaultControl {

    private static final int KINDS = Fault.values().length;

    /** What one call gets: a fault (or none) and, for {@link Fault#LATENCY}, the delay. */
    record Decision(Fault fault, Duration delay) {
        static final Decision PASS = new Decision(null, Duration.ZERO);

        boolean passes() {
            return fault == null;
        }
    }

    /** An outage: every call of {@code actions} fails with {@code kind}. */
    record Outage(Fault kind, Set<SqsAction> actions) {
        boolean coversEveryAction() {
            return actions.size() == SqsAction.values().length;
        }
    }

    private final FaultPlan plan;
    private final SplittableRandom[] randoms = new SplittableRandom[SqsAction.values().length];
    private final AtomicLongArray calls = new AtomicLongArray(SqsAction.values().length);
    private final AtomicLongArray injected = new AtomicLongArray(SqsAction.values().length * KINDS);
    private volatile boolean enabled = true;
    private volatile Outage outage;

    FaultDecisions(FaultPlan plan) {
        this.plan = Objects.requireNonNull(plan, "plan");
        SplittableRandom root = new SplittableRandom(plan.seed());
        for (SqsAction action : SqsAction.values()) {
            randoms[action.ordinal()] = root.split();
        }
    }

    /**
     * Counts a call of {@code action} and decides its fault: the outage's kind when an outage covers the action, else a
     * draw from the plan while enabled. {@link Fault#PARTIAL_BATCH} needs {@code entries} in 1..10 (what SQS accepts);
     * a batch out of that range, or whose entries could not be read ({@code -1}), passes instead, uncounted as a fault.
     */
    Decision decide(SqsAction action, int entries) {
        calls.incrementAndGet(action.ordinal());
        Outage current = outage;
        Decision decision;
        if (current != null && current.actions().contains(action)) {
            decision = new Decision(current.kind(), Duration.ZERO);
        } else if (enabled) {
            decision = draw(action);
            if (decision.fault() == Fault.PARTIAL_BATCH && (entries < 1 || entries > 10)) {
                decision = Decision.PASS;
            }
        } else {
            decision = Decision.PASS;
        }
        if (!decision.passes()) {
            injected.incrementAndGet(action.ordinal() * KINDS + decision.fault().ordinal());
        }
        return decision;
    }

    private Decision draw(SqsAction action) {
        SplittableRandom random = randoms[action.ordinal()];
        synchronized (random) {
            double roll = random.nextDouble();
            double bound = 0;
            for (Fault fault : Fault.values()) {
                bound += plan.rate(action, fault);
                if (roll < bound) {
                    return new Decision(fault, fault == Fault.LATENCY ? latency(random) : Duration.ZERO);
                }
            }
            return Decision.PASS;
        }
    }

    private Duration latency(SplittableRandom random) {
        long min = plan.latencyMin().toNanos();
        long span = plan.latencyMax().toNanos() - min;
        return Duration.ofNanos(span == 0 ? min : min + random.nextLong(span + 1));
    }

    /**
     * Which of a batch's {@code entries} (at least one) fail under {@link Fault#PARTIAL_BATCH}: one entry fails alone;
     * of more, between one and all but one, chosen at random.
     */
    boolean[] failingEntries(SqsAction action, int entries) {
        boolean[] failing = new boolean[entries];
        if (entries == 1) {
            failing[0] = true;
            return failing;
        }
        SplittableRandom random = randoms[action.ordinal()];
        synchronized (random) {
            int count = 1 + random.nextInt(entries - 1);
            for (int chosen = 0; chosen < count; ) {
                int index = random.nextInt(entries);
                if (!failing[index]) {
                    failing[index] = true;
                    chosen++;
                }
            }
        }
        return failing;
    }

    @Override
    public FaultPlan plan() {
        return plan;
    }

    @Override
    public FaultCounts counts() {
        long[] callsNow = new long[calls.length()];
        Arrays.setAll(callsNow, calls::get);
        long[] injectedNow = new long[injected.length()];
        Arrays.setAll(injectedNow, injected::get);
        return new FaultCounts(callsNow, injectedNow);
    }

    @Override
    public void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void outage(Fault kind, SqsAction... actions) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actions, "actions");
        if (!kind.failsCall() || kind.reachesServer()) {
            throw new IllegalArgumentException("an outage fails every call before the server: its kind must be"
                    + " SERVER_ERROR, CONNECTION_REFUSED, THROTTLING, CONNECTION_RESET or TIMEOUT, but was " + kind);
        }
        Set<SqsAction> covered = actions.length == 0 ? EnumSet.allOf(SqsAction.class) : EnumSet.noneOf(SqsAction.class);
        for (SqsAction action : actions) {
            covered.add(Objects.requireNonNull(action, "outage action"));
        }
        this.outage = new Outage(kind, Set.copyOf(covered));
    }

    @Override
    public void endOutage() {
        this.outage = null;
    }

    /** The outage on now, or {@code null}. */
    Outage currentOutage() {
        return outage;
    }
}
