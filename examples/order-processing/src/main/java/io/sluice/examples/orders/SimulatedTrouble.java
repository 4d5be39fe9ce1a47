package io.sluice.examples.orders;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Downstream trouble to watch the resilience policies at work: a payment service that fails a fraction of its calls
 * ({@code --failure-rate}) and is down for a while ({@code --outage}), from launch or from a given instant ({@code
 * --outage-start}, so that several worker processes, restarted or not, see one outage). Failures are transient:
 * retries, the circuit breaker and redelivery handle them.
 */
public final class SimulatedTrouble {

    private final double failureRate;
    private final Instant outageStarts;
    private final Instant outageEnds;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * @param failureRate the fraction of calls that fail, 0..1
     * @param outage      how long the service is down, counted from now
     */
    public SimulatedTrouble(double failureRate, Duration outage, Clock clock, RandomGenerator random) {
        this(failureRate, null, outage, clock, random);
    }

    /**
     * @param failureRate  the fraction of calls that fail, 0..1
     * @param outageStarts when the service goes down ({@code null}: now)
     * @param outage       how long it stays down
     */
    public SimulatedTrouble(double failureRate, Instant outageStarts, Duration outage, Clock clock,
            RandomGenerator random) {
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failure rate must be between 0 and 1, but was " + failureRate);
        }
        Objects.requireNonNull(outage, "outage");
        if (outage.isNegative()) {
            throw new IllegalArgumentException("outage must not be negative, but was " + outage);
        }
        this.failureRate = failureRate;
        this.clock = clock;
        this.outageStarts = outageStarts != null ? outageStarts : clock.instant();
        this.outageEnds = this.outageStarts.plus(outage);
        this.random = random;
    }

    public static SimulatedTrouble none() {
        return new SimulatedTrouble(0, Duration.ZERO, Clock.systemUTC(), RandomGenerator.getDefault());
    }

    /** Throws when the downstream named {@code service} is down now or this call is one of the failing ones. */
    void check(String service) {
        Instant now = clock.instant();
        if (!now.isBefore(outageStarts) && now.isBefore(outageEnds)) {
            throw new DownstreamUnavailableException(service + " unavailable (simulated outage, "
                    + Duration.between(now, outageEnds).toSeconds() + " s left)");
        }
        if (failureRate > 0 && random.nextDouble() < failureRate) {
            throw new DownstreamUnavailableException(service + " failed (simulated, failure rate " + failureRate + ")");
        }
    }

    @Override
    public String toString() {
        return "failure rate " + failureRate + ", outage from " + outageStarts + " until " + outageEnds;
    }

    /** A transient downstream failure: worth retrying. */
    public static final class DownstreamUnavailableException extends RuntimeException {
        public DownstreamUnavailableException(String message) {
            super(message);
        }
    }
}
