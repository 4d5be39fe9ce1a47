package io.sluice;

/** The state of a circuit breaker guarding handlers, as {@link WorkerListener#onCircuitStateChanged} reports it. */
public enum CircuitState {
    /** Calls flow; the queues it guards are polled. */
    CLOSED,
    /** Too many calls failed: the queues it guards are not polled until it turns half-open. */
    OPEN,
    /** A few probe messages are let through; their outcome closes or reopens the breaker. */
    HALF_OPEN
}
