package io.sluice.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProgressTest {

    /** A clock that stands still until moved. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-30T08:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void writesALineAtMostEveryTwoSecondsAndNoneOnAShortRun() {
        ManualClock clock = new ManualClock();
        StringWriter err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err), clock);

        progress.report(() -> "moved 10");
        clock.advance(Duration.ofMillis(1999));
        progress.report(() -> "moved 20");
        clock.advance(Duration.ofMillis(1));
        progress.report(() -> "moved 30");
        clock.advance(Duration.ofSeconds(1));
        progress.report(() -> "moved 40");
        clock.advance(Duration.ofSeconds(1));
        progress.report(() -> "moved 50");

        assertThat(err.toString().lines()).containsExactly("moved 30", "moved 50");
    }

    @Test
    void countsAgainstAnApproximateTotalThatItNeverShowsBelowWhatIsDone() {
        assertThat(Progress.count(1200, 5000)).isEqualTo("1200 of ~5000");
        assertThat(Progress.count(5200, 5000)).isEqualTo("5200 of ~5200");
        assertThat(Progress.count(7, 0)).isEqualTo("7");
    }
}
