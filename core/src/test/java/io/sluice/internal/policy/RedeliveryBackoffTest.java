package io.sluice.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
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
            assertThat(a.getSeconds()).isBetween((ceiling + 1) / 2, ceiling);
            assertThat(second.forReceiveCount(receiveCount)).isEqualTo(a);
        }
    }

    @Test
    void theLowestJitterIsHalfTheCeilingRoundedUpAndTheHighestIsAllOfIt() {
        RedeliveryBackoff lowest = new RedeliveryBackoff(Duration.ofSeconds(5), Duration.ofMinutes(15),
                new Fixed(false));
        RedeliveryBackoff highest = new RedeliveryBackoff(Duration.ofSeconds(5), Duration.ofMinutes(15),
                new Fixed(true));
        assertThat(lowest.forReceiveCount(1)).isEqualTo(Duration.ofSeconds(3));
        assertThat(lowest.forReceiveCount(2)).isEqualTo(Duration.ofSeconds(5));
        assertThat(highest.forReceiveCount(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(highest.forReceiveCount(2)).isEqualTo(Duration.ofSeconds(10));
    }

    /** Always the lowest or always the highest value of a bounded draw. */
    private record Fixed(boolean highest) implements RandomGenerator {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("only bounded draws");
        }

        @Override
        public long nextLong(long bound) {
            return highest ? bound - 1 : 0;
        }
    }
}
