package io.sluice.internal.polling;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BreakerGateTest {

    private final VirtualTime time = new VirtualTime();
    private final CircuitBreaker breaker = CircuitBreaker.of("payments", CircuitBreakerConfig.custom()
            .clock(time.clock())
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .permittedNumberOfCallsInHalfOpenState(2)
            .build());
    private final BreakerGate gate = new BreakerGate(breaker, time);

    @Test
    void closedBreakerAdmitsAFullReceive() {
        assertThat(gate.admit(10)).isCompletedWithValue(10);
    }

    @Test
    void openBreakerAdmitsNothingUntilItsWaitRunsOutThenOnlyTheProbes() {
        breaker.transitionToOpenState();

        CompletableFuture<Integer> admitted = gate.admit(10);
        assertThat(admitted).isNotDone();

        time.advance(Duration.ofSeconds(10).plusMillis(1));
        assertThat(admitted).isCompletedWithValue(2);
        assertThat(gate.admit(10)).as("the probes' budget is spent").isNotDone();
    }

    /** Regression: poison probes release their permission without an outcome and left the queue unpolled for good. */
    @Test
    void halfOpenProbesEndingWithoutAnOutcomeDoNotStallTheQueue() {
        breaker.transitionToOpenState();
        breaker.transitionToHalfOpenState();
        assertThat(gate.admit(10)).isCompletedWithValue(2);
        gate.received(2, 2);
        for (int probe = 0; probe < 2; probe++) { // each probe was poison: permission given back, nothing recorded
            assertThat(breaker.tryAcquirePermission()).isTrue();
            breaker.releasePermission();
        }

        CompletableFuture<Integer> next = gate.admit(10);
        assertThat(next).isNotDone();
        time.advance(Duration.ofSeconds(10).plusMillis(1));

        assertThat(next).as("another probe goes out while the breaker still waits for an outcome")
                .isCompletedWithValue(1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void halfOpenAdmitsNoMoreProbesWhileThePermittedOnesAreStillRunning() {
        breaker.transitionToOpenState();
        breaker.transitionToHalfOpenState();
        assertThat(gate.admit(10)).isCompletedWithValue(2);
        gate.received(2, 2);
        assertThat(breaker.tryAcquirePermission()).isTrue(); // both probes are being handled
        assertThat(breaker.tryAcquirePermission()).isTrue();

        CompletableFuture<Integer> next = gate.admit(10);
        time.advance(Duration.ofSeconds(30));

        assertThat(next).isNotDone();
    }

    @Test
    void aHeldAdmissionCancelledAfterTheGateOpenedDoesNotCountAsAReceive() {
        breaker.transitionToOpenState();
        CompletableFuture<Integer> held = gate.admit(10);
        held.cancel(false);
        time.advance(Duration.ofSeconds(10).plusMillis(1)); // half-open: the gate would admit it now

        assertThat(gate.admit(10)).as("the cancelled admission gave its probes back").isCompletedWithValue(2);
    }
}
