package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void defaultsAreThreeCallsThenFiveSecondsToFifteenMinutesOfBackOff() {
        RetryPolicy policy = RetryPolicy.defaults();
        assertThat(policy.attempts()).isEqualTo(3);
        assertThat(policy.delay()).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.maxBackoff()).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.maxAttempts()).as("taken from the queue's RedrivePolicy").isEmpty();
    }

    @Test
    void bindingFailuresAreNeverRetriedAndTheListsClassifyTheRest() {
        RetryPolicy policy = RetryPolicy.builder()
                .retryOn(UncheckedIOException.class, IllegalStateException.class)
                .noRetryOn(IllegalStateException.class)
                .build();
        assertThat(policy.isRetryable(new MessageBindingException("q", "m", "H.h", "bad", null))).isFalse();
        assertThat(policy.isRetryable(new UncheckedIOException(new java.io.IOException("reset")))).isTrue();
        assertThat(policy.isRetryable(new IllegalStateException())).as("noRetryOn wins").isFalse();
        assertThat(policy.isRetryable(new TimeoutException())).as("not in retryOn").isFalse();
        assertThat(RetryPolicy.defaults().isRetryable(new TimeoutException())).isTrue();
    }

    @Test
    void badValuesFailNamingTheValue() {
        assertThatThrownBy(() -> RetryPolicy.builder().attempts(0))
                .hasMessage("retry attempts must be between 1 and 10, but was 0");
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(1001))
                .hasMessage("maxAttempts must be between 1 and 1000, but was 1001");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofMillis(1500)))
                .hasMessage("backoff must be whole seconds between 1s and 12h, but was 1500ms");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofMinutes(20)).build())
                .hasMessageContaining("must not exceed maxBackoff");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5))
                .hasMessage("retry multiplier must be between 1 and 10, but was 0.5");
        assertThatThrownBy(() -> BreakerPolicy.builder().failureRateThreshold(120))
                .hasMessage("failureRateThreshold must be between 1 and 100, but was 120");
        assertThatThrownBy(() -> QueueConfig.builder().maxProcessingTime(Duration.ZERO))
                .hasMessage("maxProcessingTime must be between 1s and 12h, but was 0s");
    }
}
