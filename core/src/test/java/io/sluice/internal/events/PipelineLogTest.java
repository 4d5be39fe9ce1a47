package io.sluice.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Delivery;
import io.sluice.MessageBindingException;
import io.sluice.WorkerEvent;
import io.sluice.testutil.CapturedLogs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A failing message logs one WARN line per retry or redelivery, and its stack trace once, at its final outcome. */
class PipelineLogTest {

    private static final Delivery DELIVERY = new Delivery("orders", "m-1", "OrderProcessor.process", 3,
            Instant.EPOCH);
    private final PipelineLog log = new PipelineLog();

    @Test
    void retriesAndRedeliveriesAreOneLineEachAndTheFinalOutcomeCarriesTheStackTrace() {
        IllegalStateException downstream = new IllegalStateException("payments down");
        try (CapturedLogs logs = CapturedLogs.of(PipelineLog.class)) {
            log.onEvent(new WorkerEvent.Retried(DELIVERY, 1, downstream, Duration.ofMillis(200)));
            log.onEvent(new WorkerEvent.Redelivered(DELIVERY, Duration.ofSeconds(5), downstream));
            log.onEvent(new WorkerEvent.DeadLettered(DELIVERY, "orders-dlq", downstream,
                    "attempts exhausted (3 deliveries)"));

            assertThat(logs.lines()).hasSize(3).allMatch(line -> line.startsWith("WARN "));
            assertThat(logs.lines().get(0)).contains("retrying in 200 ms").contains("payments down");
            assertThat(logs.lines().get(1)).contains("comes back in 5s").contains("payments down");
            assertThat(logs.lines().get(2)).contains("Dead-lettered").contains("orders-dlq");
            assertThat(logs.withStackTraces()).containsExactly(false, false, true);
        }
    }

    @Test
    void aPoisonMessageIsDeadLetteredWithItsReasonAndNoStackTrace() {
        MessageBindingException poison = new MessageBindingException("orders", "m-1", "OrderProcessor.process",
                "the body is not JSON", null);
        try (CapturedLogs logs = CapturedLogs.of(PipelineLog.class)) {
            log.onEvent(new WorkerEvent.DeadLettered(DELIVERY, "orders-dlq", poison, "poison"));

            assertThat(logs.lines()).singleElement().asString().contains("the body is not JSON");
            assertThat(logs.withStackTraces()).isEqualTo(List.of(false));
        }
    }
}
