package io.sluice.internal.call;

/** The circuit breaker did not admit the call: not a failure, the call never started. */
final class NotAdmitted extends RuntimeException {

    static final NotAdmitted INSTANCE = new NotAdmitted();

    private NotAdmitted() {
        super("the circuit breaker did not admit the call", null, false, false);
    }
}
