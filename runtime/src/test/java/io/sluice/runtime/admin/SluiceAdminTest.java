package io.sluice.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.runtime.SluiceSettings;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the CLI does before it calls SQS: usage, help, and the errors it finds in its arguments. */
class SluiceAdminTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return SluiceAdmin.run(new AdminContext(SluiceSettings.of(Map.of()), Clock.systemUTC(), duration -> {
        }, new PrintWriter(out), new PrintWriter(err), new BufferedReader(new StringReader(""))), args);
    }

    @Test
    void withoutACommandItIsAUsageErrorListingTheCommands() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("name a command").contains("queues", "dlq", "purge", "send");
    }

    @Test
    void helpTellsWhatEachCommandReadsAndChanges() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Exit status").contains("--endpoint");
        assertThat(run("queues", "--help")).isZero();
        assertThat(out.toString()).contains("AGE OF OLDEST").contains("ApproximateAgeOfOldestMessage");
        assertThat(run("dlq", "peek", "--help")).isZero();
        assertThat(out.toString()).contains("ApproximateReceiveCount raised by one");
    }

    @Test
    void sendingToAFifoQueueWithoutAGroupIsAUsageErrorBeforeAnythingIsRead() {
        assertThat(run("send", "payments.fifo", "/no/such/file.jsonl")).isEqualTo(2);
        assertThat(err.toString()).contains("queue 'payments.fifo' is a FIFO queue").contains("--group-id");
    }

    @Test
    void aDeduplicationFieldOnAStandardQueueAndAMissingFileAreUsageErrors() {
        assertThat(run("send", "orders", "orders.jsonl", "--dedup-field", "id")).isEqualTo(2);
        assertThat(err.toString()).contains("--dedup-field is for FIFO queues");
        assertThat(run("send", "orders", "/no/such/file.jsonl")).isEqualTo(2);
        assertThat(err.toString()).contains("file '/no/such/file.jsonl' does not exist");
    }

    @Test
    void aBadSettingIsOneErrorLine() {
        int status = SluiceAdmin.run(new AdminContext(SluiceSettings.of(Map.of("sluice.endpoint", "localhost")),
                Clock.systemUTC(), duration -> {
                }, new PrintWriter(out), new PrintWriter(err), new BufferedReader(new StringReader(""))), "queues");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("error: sluice.endpoint:")
                .contains("localhost");
    }
}
