package io.sluice.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void formatsDurationsAsSettingsWriteThem() {
        assertThat(Durations.format(Duration.ofSeconds(20))).isEqualTo("20s");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(Durations.format(Duration.ofHours(12))).isEqualTo("12h");
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("1.5ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofSeconds(-5))).isEqualTo("-5s");
    }

    @Test
    void whatItFormatsItParsesBack() {
        for (Duration duration : new Duration[] {Duration.ofMillis(1), Duration.ofMillis(999), Duration.ofSeconds(59),
                Duration.ofSeconds(61), Duration.ofMinutes(61), Duration.ofHours(36), Duration.ZERO}) {
            assertThat(Durations.parse("k", Durations.format(duration))).isEqualTo(duration);
        }
    }

    @Test
    void parsesEveryAcceptedFormAndNamesTheKeyWhenItCannot() {
        assertThat(Durations.parse("k", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("k", "pt1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("k", " 250ms ")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("k", "45")).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> Durations.parse("sluice.wait-time", "soon"))
                .hasMessage("sluice.wait-time must be a duration such as 500ms, 30s, 5m or PT30S, but was 'soon'");
    }
}
