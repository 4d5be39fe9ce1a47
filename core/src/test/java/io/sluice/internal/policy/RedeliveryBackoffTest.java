package io.sluice.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RedeliveryBackoffTest {

    @Test
    void doublesFromTheBasePerReceiveUpToTheCap() {
        RedeliveryBackoff backoff = new RedeliveryBackoff(Duration.ofSeconds(5), Duration.ofMinutes(15),
                new SplittableRandom(1)::nextLong);
        assertThat(IntStream.rangeClosed(0, 10).mapToLong(backoff::ceilingSeconds).toArray())
                .containsExactly(5, 5, 10, 20, 40, 80, 160, 320, 640, 900, 900);
        assertThat(backoff.ceilingSeconds(1_000_000)).isEqualTo(900);
    }

    @Test
    void jitterStaysBetweenHalfAndAllOfTheCeilingAndIsRepeatableWithASeed() {
        RedeliveryBackoff first = new RedeliveryBackoff(Duration.ofSeconds(5), Duration.ofMinutes(15),
                new SplittableRandom(7)::nextLong);
        RedeliveryBackoff second = new RedeliveryBackoff(Duration.ofSeconds(5), Duration.ofMinutes(15),
                new SplittableRandom(7)::nextLong);
        for (int receiveCount = 1; receiveCount <= 12; receiveCount++) {
            long ceiling = first.ceilingSeconds(receiveCount);
            Duration a = first.forReceiveCount(receiveCount);
            assertThat(a.getSeconds()).isBetween(ceiling / 2, ceiling);
            assertThat(second.forReceiveCount(receiveCount)).isEqualTo(a);
        }
    }
}
