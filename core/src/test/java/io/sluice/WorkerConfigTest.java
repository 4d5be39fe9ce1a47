package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.annotations.AdaptiveConcurrency;
import io.sluice.annotations.SqsHandler;
import io.sluice.internal.QueueSettings;
import io.sluice.internal.handler.HandlerMethod;
import io.sluice.internal.handler.HandlerScanner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

    // ---- WorkerConfig ----

    @Test
    void defaultsAreTheDocumentedOnes() {
        WorkerConfig config = WorkerConfig.defaults();

        assertThat(config.concurrency()).isEqualTo(100);
        assertThat(config.pollers()).as("auto").isZero();
        assertThat(config.waitTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.maxMessagesPerReceive()).isEqualTo(10);
        assertThat(config.visibilityTimeout()).as("the queue's own").isNull();
        assertThat(config.deleteFlushInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.deleteAttempts()).isEqualTo(5);
        assertThat(config.createQueues()).isFalse();
        assertThat(config.queues()).isEmpty();
        assertThat(config.queue("anything")).isEqualTo(QueueConfig.empty());
    }

    @Test
    void concurrencyOutOfRangeFailsNamingTheValue() {
        assertThatThrownBy(() -> WorkerConfig.builder().concurrency(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("concurrency")
                .hasMessageContaining("but was 0");
        assertThatThrownBy(() -> WorkerConfig.builder().concurrency(10_001))
                .hasMessageContaining("but was 10001");
    }

    @Test
    void visibilityTimeoutAboveTwelveHoursFails() {
        assertThatThrownBy(() -> WorkerConfig.builder().visibilityTimeout(Duration.ofHours(13)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("visibilityTimeout")
                .hasMessageContaining("but was 13h");
        assertThatThrownBy(() -> WorkerConfig.builder().visibilityTimeout(Duration.ofMillis(1500)))
                .as("whole seconds only")
                .hasMessageContaining("but was 1500ms");
        assertThat(WorkerConfig.builder().visibilityTimeout(Duration.ofHours(12)).build().visibilityTimeout())
                .isEqualTo(Duration.ofHours(12));
    }

    @Test
    void waitTimeAboveTwentySecondsFails() {
        assertThatThrownBy(() -> WorkerConfig.builder().waitTime(Duration.ofSeconds(21)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("waitTime")
                .hasMessageContaining("but was 21s");
        assertThatThrownBy(() -> WorkerConfig.builder().waitTime(Duration.ofMillis(500)))
                .hasMessageContaining("whole seconds");
    }

    @Test
    void otherRangesFailNamingTheValue() {
        assertThatThrownBy(() -> WorkerConfig.builder().pollers(101)).hasMessageContaining("pollers")
                .hasMessageContaining("101");
        assertThatThrownBy(() -> WorkerConfig.builder().maxMessagesPerReceive(11))
                .hasMessageContaining("maxMessagesPerReceive").hasMessageContaining("11");
        assertThatThrownBy(() -> WorkerConfig.builder().deleteAttempts(0)).hasMessageContaining("deleteAttempts");
        assertThatThrownBy(() -> WorkerConfig.builder().deleteFlushInterval(Duration.ofSeconds(11)))
                .hasMessageContaining("deleteFlushInterval").hasMessageContaining("but was 11s");
        assertThatThrownBy(() -> WorkerConfig.builder().shutdownTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("shutdownTimeout").hasMessageContaining("but was -1s");
    }

    @Test
    void invalidQueueNameFailsNamingIt() {
        String url = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";

        assertThatThrownBy(() -> WorkerConfig.builder().queue(url, QueueConfig.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(url);
        assertThatThrownBy(() -> WorkerConfig.builder().queue("", QueueConfig.empty()))
                .hasMessageContaining("''");
        assertThatThrownBy(() -> WorkerConfig.builder().queue("a".repeat(81), QueueConfig.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(WorkerConfig.builder().queue("payments.fifo", QueueConfig.empty()).build().queues())
                .containsOnlyKeys("payments.fifo");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        QueueConfig orders = QueueConfig.builder().concurrency(5).build();
        WorkerConfig config = WorkerConfig.builder().concurrency(7).pollers(2).waitTime(Duration.ofSeconds(5))
                .maxMessagesPerReceive(4).visibilityTimeout(Duration.ofSeconds(90))
                .deleteFlushInterval(Duration.ofMillis(10)).deleteAttempts(9).shutdownTimeout(Duration.ofSeconds(3))
                .startupTimeout(Duration.ofSeconds(4)).createQueues(true).queue("orders", orders).build();

        WorkerConfig copy = config.toBuilder().build();

        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(copy.queue("orders")).isEqualTo(orders);
    }

    // ---- QueueConfig ----

    @Test
    void queueConfigSettersFailNamingTheValue() {
        assertThatThrownBy(() -> QueueConfig.builder().concurrency(0)).hasMessageContaining("concurrency")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> QueueConfig.builder().pollers(0)).hasMessageContaining("pollers");
        assertThatThrownBy(() -> QueueConfig.builder().maxReceiveCount(1001)).hasMessageContaining("1001");
        assertThatThrownBy(() -> QueueConfig.builder().visibilityTimeout(Duration.ofHours(13)))
                .hasMessageContaining("but was 13h");
        assertThatThrownBy(() -> QueueConfig.builder().deadLetterQueue("not a queue!"))
                .hasMessageContaining("not a queue!");
        assertThatThrownBy(() -> QueueConfig.builder().deadLetterQueue(" ")).hasMessageContaining("deadLetterQueue");
    }

    @Test
    void overriddenByReplacesOnlyTheSettingsTheOverrideSets() {
        QueueConfig base = QueueConfig.builder().concurrency(5).pollers(2).visibilityTimeout(Duration.ofSeconds(60))
                .deadLetterQueue("orders-dead").maxReceiveCount(4).retryOn(java.io.IOException.class).build();
        QueueConfig override = QueueConfig.builder().concurrency(50).noRetryOn(IllegalArgumentException.class).build();

        QueueConfig merged = base.overriddenBy(override);

        assertThat(merged.concurrency()).hasValue(50);
        assertThat(merged.pollers()).hasValue(2);
        assertThat(merged.visibilityTimeout()).contains(Duration.ofSeconds(60));
        assertThat(merged.deadLetterQueue()).contains("orders-dead");
        assertThat(merged.maxReceiveCount()).hasValue(4);
        assertThat(merged.retryOn()).hasValue(List.of(java.io.IOException.class));
        assertThat(merged.noRetryOn()).hasValue(List.of(IllegalArgumentException.class));
        assertThat(base.overriddenBy(QueueConfig.empty())).isEqualTo(base);
        assertThat(QueueConfig.empty().overriddenBy(base)).isEqualTo(base);
    }

    @Test
    void overriddenByCanDisableAndReEnableTheDeadLetterQueue() {
        QueueConfig named = QueueConfig.builder().deadLetterQueue("orders-dead").build();
        QueueConfig disabled = QueueConfig.builder().noDeadLetterQueue().build();

        QueueConfig withoutDlq = named.overriddenBy(disabled);
        assertThat(withoutDlq.deadLetterQueueDisabled()).isTrue();
        assertThat(withoutDlq.deadLetterQueue()).isEmpty();

        QueueConfig withDlqAgain = withoutDlq.overriddenBy(named);
        assertThat(withDlqAgain.deadLetterQueueDisabled()).isFalse();
        assertThat(withDlqAgain.deadLetterQueue()).contains("orders-dead");
    }

    @Test
    void exceptionTypesMustNotBeNull() {
        assertThatThrownBy(() -> QueueConfig.builder().noRetryOn(IllegalStateException.class, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("noRetryOn must not contain null");
    }

    // ---- QueueSettings.resolve ----

    static class Annotated {
        @SqsHandler(queue = "orders", concurrency = 8)
        public void handle(String body) {
        }
    }

    static class Unannotated {
        @SqsHandler(queue = "orders")
        public void handle(String body) {
        }
    }

    private static HandlerMethod handler(Object bean) {
        return new HandlerScanner(io.sluice.SluiceJson.defaultMapper(), WorkerConfig.defaults().placeholders())
                .scan(List.of(bean)).get(0);
    }

    @Test
    void queueConfigBeatsAnnotationBeatsWorkerDefault() {
        WorkerConfig worker = WorkerConfig.builder().concurrency(30).build();

        assertThat(QueueSettings.resolve(handler(new Unannotated()), worker).concurrency())
                .as("worker default").isEqualTo(30);
        assertThat(QueueSettings.resolve(handler(new Annotated()), worker).concurrency())
                .as("annotation").isEqualTo(8);
        WorkerConfig overridden = worker.toBuilder().queue("orders", QueueConfig.builder().concurrency(50).build()).build();
        assertThat(QueueSettings.resolve(handler(new Annotated()), overridden).concurrency())
                .as("queue config").isEqualTo(50);
    }

    static class Adaptive {
        @SqsHandler(queue = "orders", concurrency = 60)
        @AdaptiveConcurrency(algorithm = "gradient", min = 4, initial = 12)
        public void handle(String body) {
        }
    }

    static class BadAdaptive {
        @SqsHandler(queue = "orders", concurrency = 8)
        @AdaptiveConcurrency(min = 9)
        public void handle(String body) {
        }
    }

    static class BadAlgorithm {
        @SqsHandler(queue = "orders")
        @AdaptiveConcurrency(algorithm = "aimd")
        public void handle(String body) {
        }
    }

    static class TooMuchPrefetch {
        @SqsHandler(queue = "orders", concurrency = 8, prefetch = 9)
        public void handle(String body) {
        }
    }

    @Test
    void adaptiveConcurrencyAndPrefetchComeFromTheAnnotationsAndQueueConfigWins() {
        WorkerConfig worker = WorkerConfig.defaults();
        QueueSettings annotated = QueueSettings.resolve(handler(new Adaptive()), worker);
        assertThat(annotated.adaptiveConcurrency()).isEqualTo(AdaptiveConcurrencyPolicy.builder()
                .algorithm(AdaptiveConcurrencyPolicy.Algorithm.GRADIENT).min(4).initial(12).build());
        assertThat(annotated.concurrency()).as("the concurrency is the ceiling").isEqualTo(60);
        assertThat(annotated.prefetch()).as("a receive's worth under an adaptive limit").isEqualTo(10);
        assertThat(QueueSettings.resolve(handler(new Annotated()), worker).prefetch()).as("else none").isZero();

        WorkerConfig overridden = worker.toBuilder().queue("orders", QueueConfig.builder().prefetch(0)
                .adaptiveConcurrency(AdaptiveConcurrencyPolicy.builder().max(200).build()).build()).build();
        QueueSettings configured = QueueSettings.resolve(handler(new Adaptive()), overridden);
        assertThat(configured.adaptiveConcurrency().algorithm()).isEqualTo(AdaptiveConcurrencyPolicy.Algorithm.VEGAS);
        assertThat(configured.concurrency()).as("the policy's max is the ceiling").isEqualTo(200);
        assertThat(configured.prefetch()).isZero();
        assertThat(configured.toString()).contains("concurrency adaptive, vegas 1..200");
    }

    @Test
    void badAdaptiveConcurrencyOrPrefetchFailsNamingTheHandlerAndTheValue() {
        WorkerConfig worker = WorkerConfig.defaults();
        assertThatThrownBy(() -> QueueSettings.resolve(handler(new BadAdaptive()), worker))
                .hasMessageContaining("BadAdaptive.handle")
                .hasMessageContaining("adaptive concurrency min 9 is above the concurrency 8 (its ceiling)");
        assertThatThrownBy(() -> QueueSettings.resolve(handler(new BadAlgorithm()), worker))
                .hasMessageContaining("BadAlgorithm.handle")
                .hasMessageContaining("must be vegas or gradient, but was 'aimd'");
        assertThatThrownBy(() -> QueueSettings.resolve(handler(new TooMuchPrefetch()), worker))
                .hasMessageContaining("TooMuchPrefetch.handle")
                .hasMessageContaining("prefetch must be between 0 and the concurrency 8");
        assertThatThrownBy(() -> AdaptiveConcurrencyPolicy.builder().min(0))
                .hasMessage("adaptive concurrency min must be between 1 and 10000, but was 0");
        assertThatThrownBy(() -> AdaptiveConcurrencyPolicy.builder().min(5).max(4).build())
                .hasMessage("adaptive concurrency min 5 is above its max 4");
    }

    @Test
    void visibilityTimeoutComesFromQueueConfigThenWorker() {
        WorkerConfig worker = WorkerConfig.builder().visibilityTimeout(Duration.ofSeconds(45)).build();
        assertThat(QueueSettings.resolve(handler(new Annotated()), worker).visibilityTimeout())
                .isEqualTo(Duration.ofSeconds(45));

        WorkerConfig overridden = worker.toBuilder()
                .queue("orders", QueueConfig.builder().visibilityTimeout(Duration.ofSeconds(120)).build()).build();
        QueueSettings settings = QueueSettings.resolve(handler(new Annotated()), overridden);
        assertThat(settings.visibilityTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(settings.waitTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.queue()).isEqualTo("orders");
    }

    @Test
    void defaultPollersAreOnePerTenSlotsRoundedUp() {
        assertThat(resolvedWithConcurrency(1).pollers()).isEqualTo(1);
        assertThat(resolvedWithConcurrency(10).pollers()).isEqualTo(1);
        assertThat(resolvedWithConcurrency(11).pollers()).isEqualTo(2);
        assertThat(resolvedWithConcurrency(20).pollers()).isEqualTo(2);
        assertThat(resolvedWithConcurrency(95).pollers()).isEqualTo(10);
    }

    @Test
    void pollersNeverExceedConcurrency() {
        WorkerConfig worker = WorkerConfig.builder().concurrency(3).pollers(8).build();
        assertThat(QueueSettings.resolve(handler(new Unannotated()), worker).pollers()).isEqualTo(3);

        WorkerConfig perQueue = WorkerConfig.builder().concurrency(2)
                .queue("orders", QueueConfig.builder().pollers(5).build()).build();
        assertThat(QueueSettings.resolve(handler(new Unannotated()), perQueue).pollers()).isEqualTo(2);

        WorkerConfig explicit = WorkerConfig.builder().concurrency(40).pollers(1)
                .queue("orders", QueueConfig.builder().pollers(3).build()).build();
        assertThat(QueueSettings.resolve(handler(new Unannotated()), explicit).pollers())
                .as("queue config over worker pollers").isEqualTo(3);
    }

    @Test
    void maxMessagesIsTenOrConcurrencyWhicheverIsSmaller() {
        assertThat(resolvedWithConcurrency(3).maxMessages()).isEqualTo(3);
        assertThat(resolvedWithConcurrency(10).maxMessages()).isEqualTo(10);
        assertThat(resolvedWithConcurrency(50).maxMessages()).isEqualTo(10);
        WorkerConfig smallReceives = WorkerConfig.builder().concurrency(50).maxMessagesPerReceive(4).build();
        assertThat(QueueSettings.resolve(handler(new Unannotated()), smallReceives).maxMessages()).isEqualTo(4);
    }

    private static QueueSettings resolvedWithConcurrency(int concurrency) {
        return QueueSettings.resolve(handler(new Unannotated()), WorkerConfig.builder().concurrency(concurrency).build());
    }
}
