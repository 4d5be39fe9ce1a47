package io.sluice.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Delivery;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a message received before its due time goes back: a visibility hop, or a re-send with a fresh delay. */
class PostponementTest {

    private static final Instant DUE = Instant.parse("2026-12-01T09:00:00Z");

    private static Delivery received(int receiveCount) {
        return new Delivery("reminders", "m1", "Reminders.handle", receiveCount, Instant.EPOCH);
    }

    @Test
    void theLastFifteenMinutesAreAResendSoTheHandledDeliveryStartsFromReceiveCountOne() {
        assertThat(Postponement.of(received(1), DUE, Duration.ofMinutes(15), 3))
                .isEqualTo(new Postponement(DUE, Duration.ofMinutes(15), true));
        assertThat(Postponement.of(received(1), DUE, Duration.ofMillis(2500), null))
                .isEqualTo(new Postponement(DUE, Duration.ofSeconds(3), true));
    }

    @Test
    void aLongerWaitIsAVisibilityHopThatEndsFifteenMinutesBeforeTheDueTime() {
        assertThat(Postponement.of(received(1), DUE, Duration.ofMinutes(45), 3))
                .isEqualTo(new Postponement(DUE, Duration.ofMinutes(30).plusSeconds(1), false));
    }

    @Test
    void aHopNeverExceedsTwelveHoursPerReceive() {
        assertThat(Postponement.of(received(1), DUE, Duration.ofDays(3), null))
                .isEqualTo(new Postponement(DUE, Duration.ofHours(12).minusMinutes(1), false));
    }

    @Test
    void whenTheNextReceiveWouldReachTheRedriveThresholdTheMessageIsSentAgainInstead() {
        assertThat(Postponement.of(received(2), DUE, Duration.ofHours(5), 3))
                .isEqualTo(new Postponement(DUE, Duration.ofMinutes(15), true));
        assertThat(Postponement.of(received(1), DUE, Duration.ofHours(5), 2))
                .isEqualTo(new Postponement(DUE, Duration.ofMinutes(15), true));
        assertThat(Postponement.of(received(7), DUE, Duration.ofHours(5), null)).extracting(Postponement::resend)
                .isEqualTo(false); // no RedrivePolicy: SQS moves nothing, and the last stretch resets the count
    }
}
