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
    void receivesWaitInTurnForAFullBatchOfTokens() {
        RateGate gate = new RateGate(ReceiveGate.always(), 5, 10, time);

        assertThat(gate.admit(10)).as("one receive's worth saved up: the rate, here 5").isCompletedWithValue(5);
        CompletableFuture<Integer> first = gate.admit(10);
        CompletableFuture<Integer> second = gate.admit(3);
        time.advance(Duration.ofMillis(800));
        assertThat(first).as("four tokens: not yet a batch").isNotDone();

        time.advance(Duration.ofMillis(200));
        assertThat(first).isCompletedWithValue(5);
        assertThat(second).isNotDone();
        time.advance(Duration.ofMillis(600));
        assertThat(second).isCompletedWithValue(3);
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

        assertThat(next).as("first in line once the cancelled one left it").isNotDone();
        time.advance(Duration.ofMillis(800));
        assertThat(next).isCompletedWithValue(5);
    }

    @Test
    void tokensAReceiveDidNotUseGoBack() {
        RateGate gate = new RateGate(ReceiveGate.always(), 10, 10, time);
        assertThat(gate.admit(10)).isCompletedWithValue(10);
        CompletableFuture<Integer> waiting = gate.admit(10);

        gate.received(10, 3); // an almost empty receive
        time.advance(Duration.ofMillis(300));

        assertThat(waiting).as("seven unused tokens back, three accrued: a full receive after 0.3 s, not 1 s")
                .isCompletedWithValue(10);
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
        assertThat(gate.admit(2)).as("the probes are out: this one waits on the breaker, not on the rate")
                .isNotDone();
    }
}
