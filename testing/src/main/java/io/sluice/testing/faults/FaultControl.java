package io.sluice.testing.faults;

/**
 * The switches and counters of a fault injector ({@link FaultInjectingTransport}, {@link FaultProxy}) while it runs:
 * turn the plan's random faults off to let a run finish cleanly, start and end an outage, read what was injected.
 * Thread safe.
 */
public interface FaultControl {

    /** The plan whose faults are injected while {@linkplain #isEnabled() enabled}. */
    FaultPlan plan();

    /** The calls seen and the faults injected so far. */
    FaultCounts counts();

    /**
     * Turns the plan's random faults on or off (on from the start). Off, every call passes untouched and is still
     * counted; an outage is a separate switch and keeps failing calls until {@link #endOutage()}.
     */
    void enabled(boolean enabled);

    /** Whether the plan's random faults are on. */
    boolean isEnabled();

    /**
     * Starts an outage: from now until {@link #endOutage()}, every call of {@code actions} (of every action when none
     * is named) fails with {@code kind}, whatever the plan says and even while {@linkplain #enabled(boolean)
     * disabled}. A second call replaces the outage.
     *
     * @param kind {@link Fault#SERVER_ERROR}, {@link Fault#CONNECTION_REFUSED}, {@link Fault#THROTTLING}, {@link
     *             Fault#CONNECTION_RESET} or {@link Fault#TIMEOUT}: a kind that fails a call before the server
     * @throws IllegalArgumentException for another kind
     */
    void outage(Fault kind, SqsAction... actions);

    /** Ends the outage, if one is on. */
    void endOutage();
}
