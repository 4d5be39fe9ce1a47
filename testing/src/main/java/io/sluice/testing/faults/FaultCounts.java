package io.sluice.testing.faults;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How many calls a {@link FaultInjectingTransport} or a {@link FaultProxy} saw per action, and how many faults of each
 * kind it injected into them (outage failures included), at one moment: an immutable snapshot from {@link
 * FaultControl#counts()}. {@link #report()} prints it as a table.
 *
 * <p>A proxy counts the requests that reached it: with the AWS SDK's own retries, one call of the application can be
 * several requests, and a fault the SDK retried away is counted although the application never saw it.
 */
public final class FaultCounts {

    private static final int ACTIONS = SqsAction.values().length;
    private static final int KINDS = Fault.values().length;

    private final long[] calls;
    private final long[] injected;

    /** @param calls per action; @param injected per action and kind, {@code [action * kinds + kind]} */
    FaultCounts(long[] calls, long[] injected) {
        this.calls = calls.clone();
        this.injected = injected.clone();
    }

    /** Calls of {@code action} seen, with or without a fault. */
    public long calls(SqsAction action) {
        return calls[action.ordinal()];
    }

    /** Calls of every action seen. */
    public long calls() {
        return Arrays.stream(calls).sum();
    }

    /** Faults of kind {@code fault} injected into calls of {@code action}. */
    public long injected(SqsAction action, Fault fault) {
        return injected[action.ordinal() * KINDS + fault.ordinal()];
    }

    /** Faults of kind {@code fault} injected into calls of every action. */
    public long injected(Fault fault) {
        return Arrays.stream(SqsAction.values()).mapToLong(action -> injected(action, fault)).sum();
    }

    /** Faults of every kind injected into calls of {@code action}. */
    public long injected(SqsAction action) {
        return Arrays.stream(Fault.values()).mapToLong(fault -> injected(action, fault)).sum();
    }

    /** Faults injected in all. */
    public long injected() {
        return Arrays.stream(injected).sum();
    }

    /**
     * Calls of {@code action} that a fault failed as a whole (every kind but {@link Fault#LATENCY} and {@link
     * Fault#PARTIAL_BATCH}); a lost response is one, although it took effect.
     */
    public long failed(SqsAction action) {
        return Arrays.stream(Fault.values()).filter(Fault::failsCall).mapToLong(fault -> injected(action, fault)).sum();
    }

    /** Calls of every action that a fault failed as a whole. */
    public long failed() {
        return Arrays.stream(SqsAction.values()).mapToLong(this::failed).sum();
    }

    /** These counts added to {@code other}'s (several proxies, or several processes' transports, in one report). */
    public FaultCounts plus(FaultCounts other) {
        long[] sumCalls = new long[ACTIONS];
        long[] sumInjected = new long[ACTIONS * KINDS];
        Arrays.setAll(sumCalls, i -> calls[i] + other.calls[i]);
        Arrays.setAll(sumInjected, i -> injected[i] + other.injected[i]);
        return new FaultCounts(sumCalls, sumInjected);
    }

    /**
     * A table: one row per action seen (and a total), its calls, failed calls with their share, and one column per
     * fault kind.
     */
    public String report() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-30s %9s %9s %7s", "action", "calls",
                "failed", "share"));
        for (Fault fault : Fault.values()) {
            table.append(' ').append(String.format(Locale.ROOT, "%" + Math.max(8, fault.name().length()) + "s",
                    fault.name()));
        }
        for (SqsAction action : SqsAction.values()) {
            if (calls(action) > 0) {
                row(table, action.actionName(), calls(action), failed(action), fault -> injected(action, fault));
            }
        }
        row(table, "total", calls(), failed(), this::injected);
        return table.toString();
    }

    private static void row(StringBuilder table, String name, long calls, long failed,
            java.util.function.ToLongFunction<Fault> injected) {
        table.append('\n').append(String.format(Locale.ROOT, "%-30s %9d %9d %6.2f%%", name, calls, failed,
                calls == 0 ? 0.0 : 100.0 * failed / calls));
        for (Fault fault : Fault.values()) {
            table.append(' ').append(String.format(Locale.ROOT, "%" + Math.max(8, fault.name().length()) + "d",
                    injected.applyAsLong(fault)));
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FaultCounts counts && Arrays.equals(calls, counts.calls)
                && Arrays.equals(injected, counts.injected);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(calls), Arrays.hashCode(injected));
    }

    /** {@code FaultCounts{ReceiveMessage 120 calls (THROTTLING 2, LOST_RESPONSE 1), ...}}: the actions seen. */
    @Override
    public String toString() {
        return Arrays.stream(SqsAction.values()).filter(action -> calls(action) > 0)
                .map(action -> action + " " + calls(action) + " calls" + Arrays.stream(Fault.values())
                        .filter(fault -> injected(action, fault) > 0)
                        .map(fault -> fault + " " + injected(action, fault))
                        .collect(Collectors.joining(", ", " (", ")")).replace(" ()", ""))
                .collect(Collectors.joining(", ", "FaultCounts{", "}"));
    }
}
