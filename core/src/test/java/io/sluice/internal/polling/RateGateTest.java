package io.sluice.internal.polling;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The rate limit on a queue's receives, on virtual time. */
class RateGateTest {

    private final VirtualTime time = new VirtualTime();

    @Test
    void receivesAskForNoMoreThanTheTokensAndWaitForTheNextOneInTurn() {
        RateGate gate = new RateGate(ReceiveGate.always(), 5, 10, time);

        assertThat(gate.admit(10)).as("one receive's worth saved up: the rate, here 5").isCompletedWithValue(5);
        CompletableFuture<Integer> first = gate.admit(10);
        CompletableFuture<Integer> second = gate.admit(10);
        assertThat(first).isNotDone();

        time.advance(Duration.ofMillis(200)); // one token
        assertThat(first).isCompletedWithValue(1);
        assertThat(second).isNotDone();
        time.advance(Duration.ofMillis(200));
        assertThat(second).isCompletedWithValue(1);
    }

    @Test
    void overAMinuteTheRateHoldsWithPollersAskingAsFastAsTheyCan() {
        RateGate gate = new RateGate(ReceiveGate.always(), 50, 10, time);
        java.util.concurrent.atomic.AtomicLong admitted = new java.util.concurrent.atomic.AtomicLong();
        for (int poller = 0; poller < 4; poller++) {
            poll(gate, admitted);
        }
        for (int step = 0; step < 60_000 / 20; step++) {
            time.advance(Duration.ofMillis(20));
        }

        assertThat(admitted.get()).as("50/s over 60 s, within 5 %").isBetween(2850L, 3150L);
    }

    /** A poller: asks for a full receive, gets every message it asked for, asks again 20 ms later. */
    private void poll(RateGate gate, java.util.concurrent.atomic.AtomicLong admitted) {
        gate.admit(10).thenAccept(granted -> {
            admitted.addAndGet(granted);
            gate.received(granted, granted);
            time.schedule(Duration.ofMillis(20), () -> poll(gate, admitted));
        });
    }

    @Test
    void aCancelledAdmissionHoldsNoPlaceInLine() {
        RateGate gate = new RateGate(ReceiveGate.always(), 5, 10, time);
        assertThat(gate.admit(10)).isCompletedWithValue(5);
        gate.admit(10).cancel(false);
        CompletableFuture<Integer> next = gate.admit(10);

        time.advance(Duration.ofMillis(200));

        assertThat(next).isCompletedWithValue(1);
    }

    @Test
    void tokensAReceiveDidNotUseGoBack() {
        RateGate gate = new RateGate(ReceiveGate.always(), 10, 10, time);
        assertThat(gate.admit(10)).isCompletedWithValue(10);
        CompletableFuture<Integer> waiting = gate.admit(10);

        gate.received(10, 3); // an almost empty receive

        assertThat(waiting).as("the seven unused tokens serve the next receive at once").isCompletedWithValue(7);
    }

    @Test
    void nothingIsTakenWhileTheBreakerHoldsThePollers() {
        CircuitBreaker breaker = CircuitBreaker.of("payments", CircuitBreakerConfig.custom().clock(time.clock())
                .waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(2)
                .build());
        RateGate gate = new RateGate(new BreakerGate(breaker, time), 10, 10, time);
        breaker.transitionToOpenState();

        CompletableFuture<Integer> held = gate.admit(10);
        time.advance(Duration.ofSeconds(5));
        assertThat(held).isNotDone();

        time.advance(Duration.ofSeconds(5).plusMillis(1)); // half-open: the breaker admits its two probes
        assertThat(held).as("the probes, within the tokens").isCompletedWithValue(2);
        assertThat(gate.admit(10)).as("eight tokens left").isNotDone();
    }
}
