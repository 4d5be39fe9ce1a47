package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's end-of-run arithmetic: the slope of retained heap, the warm-up cut and the loss check. No SQS, no timing. */
class SoakSummaryTest {

    private static SoakMain.Sample sample(double minutes, double retainedMb) {
        return new SoakMain.Sample(minutes, 0, 0, 0, 0, retainedMb, retainedMb, 300, 16, 60, 130, 1);
    }

    @Test
    void slopeOfALineIsItsGradientPerMinute() {
        List<SoakMain.Sample> samples = new ArrayList<>();
        for (int minute = 0; minute <= 10; minute++) {
            samples.add(sample(minute, 20 + 0.5 * minute));
        }
        assertThat(SoakMain.slope(samples, SoakMain.Sample::retainedHeapMb)).isCloseTo(0.5, within(1e-9));
        assertThat(SoakMain.slope(samples.subList(0, 1), SoakMain.Sample::retainedHeapMb)).isZero();
    }

    @Test
    void growthIsMeasuredAfterTheWarmUpAndOverTheSecondHalf() {
        List<SoakMain.Sample> samples = new ArrayList<>();
        samples.add(sample(1, 40)); // warm-up: ignored
        for (int minute = 2; minute <= 10; minute++) {
            samples.add(sample(minute, minute < 6 ? 16 : 16 + (minute - 5) * 0.25));
        }
        Map<String, Object> summary = SoakMain.summary(samples, Duration.ofMinutes(2), 1000, 0, 990, 10, 10, false);
        assertThat(summary.get("nothingLost")).isEqualTo(true);
        assertThat(summary.get("samplesAfterWarmup")).isEqualTo(9);
        assertThat(summary.get("retainedHeapMbFirstAfterWarmup")).isEqualTo(16.0);
        assertThat(summary.get("retainedHeapLastMinusFirstKiB")).isEqualTo(1.25 * 1024);
        assertThat(summary.get("samplesInSecondHalf")).isEqualTo(6); // minutes 5..10
        assertThat((double) summary.get("retainedHeapSlopeSecondHalfKiBPerMin")).isGreaterThan(200);
    }

    @Test
    void aMissingMessageIsALoss() {
        Map<String, Object> summary = SoakMain.summary(List.of(), Duration.ZERO, 1000, 0, 989, 10, 1, false);
        assertThat(summary.get("nothingLost")).isEqualTo(false);
        assertThat(summary.get("duplicatesOrLost")).isEqualTo(-1L);
    }
}
