package io.sluice.internal.call;

/** The stop timeout ran out while the call was running. */
final class ShutdownCancellation extends RuntimeException {

    ShutdownCancellation() {
        super("cancelled: the worker's stop timeout ran out", null, false, false);
    }
}
