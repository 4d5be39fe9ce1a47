package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.Delivery;
import io.sluice.WorkerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderJournalTest {

    @Test
    void eachOutcomeIsOneLineWithoutBodyOrReceiptHandle(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runs/worker-1.journal");
        Delivery delivery = new Delivery("order-processing", "m-1", "OrderProcessor.process", 2, Instant.EPOCH);
        try (OrderJournal journal = new OrderJournal(file)) {
            journal.onEvent(new WorkerEvent.Received(delivery));
            journal.onEvent(new WorkerEvent.Handled(delivery, Duration.ofMillis(5)));
            journal.onEvent(new WorkerEvent.Deleted(delivery));
            journal.onEvent(new WorkerEvent.DeleteFailed(delivery, new IllegalStateException("x")));
            journal.onEvent(new WorkerEvent.DeadLettered(delivery, "order-processing-dlq", null, "poison"));
        }

        assertThat(Files.readAllLines(file)).satisfiesExactly(
                line -> assertThat(line).matches("H order-processing m-1 2 \\d+"),
                line -> assertThat(line).isEqualTo("D order-processing m-1"),
                line -> assertThat(line).isEqualTo("F order-processing m-1"),
                line -> assertThat(line).isEqualTo("X order-processing m-1 2"));
    }
}
