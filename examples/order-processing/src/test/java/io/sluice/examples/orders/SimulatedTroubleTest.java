package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.time.VirtualTime;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulatedTroubleTest {

    @Test
    void theOutageLastsItsDurationFromLaunch() {
        VirtualTime time = new VirtualTime();
        SimulatedTrouble trouble = new SimulatedTrouble(0, Duration.ofSeconds(30), time.clock(),
                new SplittableRandom(1)::nextLong);
        assertThatThrownBy(() -> trouble.check("payment service"))
                .isInstanceOf(SimulatedTrouble.DownstreamUnavailableException.class)
                .hasMessage("payment service unavailable (simulated outage, 30 s left)");
        time.advance(Duration.ofSeconds(30));
        assertThatCode(() -> trouble.check("payment service")).doesNotThrowAnyException();
    }

    @Test
    void aFailureRateOfOneFailsEveryCallAndZeroNone() {
        VirtualTime time = new VirtualTime();
        SimulatedTrouble always = new SimulatedTrouble(1, Duration.ZERO, time.clock(), new SplittableRandom(1)::nextLong);
        SimulatedTrouble never = new SimulatedTrouble(0, Duration.ZERO, time.clock(), new SplittableRandom(1)::nextLong);
        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(() -> always.check("payment service")).hasMessageContaining("failure rate 1.0");
            assertThatCode(() -> never.check("payment service")).doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> new SimulatedTrouble(1.5, Duration.ZERO, time.clock(), new SplittableRandom(1)::nextLong))
                .hasMessage("failure rate must be between 0 and 1, but was 1.5");
    }

    @Test
    void anOutageWithAStartBeginsThenNotAtLaunch() {
        VirtualTime time = new VirtualTime();
        SimulatedTrouble trouble = new SimulatedTrouble(0, time.now().plusSeconds(60), Duration.ofSeconds(30),
                time.clock(), new SplittableRandom(1)::nextLong);
        assertThatCode(() -> trouble.check("payment service")).doesNotThrowAnyException();
        time.advance(Duration.ofSeconds(60));
        assertThatThrownBy(() -> trouble.check("payment service"))
                .hasMessage("payment service unavailable (simulated outage, 30 s left)");
        time.advance(Duration.ofSeconds(30));
        assertThatCode(() -> trouble.check("payment service")).doesNotThrowAnyException();
    }
}
