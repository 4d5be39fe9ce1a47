package io.sluice.internal.policy;

import java.time.Duration;

/** A handler call ran longer than its maximum processing time and was cancelled. */
public final class HandlerTimeoutException extends RuntimeException {

    public HandlerTimeoutException(String handler, Duration maxProcessingTime) {
        super(handler + " ran longer than its maximum processing time of " + io.sluice.time.Durations.format(maxProcessingTime)
                + "; it was cancelled", null, false, false);
    }
}
