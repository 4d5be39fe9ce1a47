package io.sluice.examples.orders;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each simulated downstream call takes: zero by default, so the example runs as fast as the queue allows; set
 * it ({@code --latency 50ms}) to see back-pressure and concurrency at work.
 */
public final class SimulatedLatency {

    private final Duration perCall;

    public SimulatedLatency(Duration perCall) {
        Objects.requireNonNull(perCall, "perCall");
        if (perCall.isNegative()) {
            throw new IllegalArgumentException("simulated latency must not be negative, but was " + perCall);
        }
        this.perCall = perCall;
    }

    public static SimulatedLatency none() {
        return new SimulatedLatency(Duration.ZERO);
    }

    public Duration perCall() {
        return perCall;
    }

    /** Waits the simulated latency, like a remote call would. */
    void pause() {
        if (perCall.isZero()) {
            return;
        }
        try {
            Thread.sleep(perCall.toMillis(), perCall.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a simulated downstream call", e);
        }
    }

    @Override
    public String toString() {
        return perCall.isZero() ? "none" : perCall.toMillis() + " ms per call";
    }
}
