package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.benchmarks.BenchmarkMain.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Runs the benchmark harness at a tiny size, end to end: an ElasticMQ server JVM, a consumer JVM per contender, the
 * report. It checks that the figures are sane (every message consumed, requests per message counted) and never how
 * fast anything was: speed is measured on purpose with {@code java -jar benchmarks/target/benchmarks.jar}.
 */
class BenchmarkSmokeIT {

    @Test
    @Timeout(value = 300) // eight JVMs one after another: generous for a loaded 2-core machine; it never checks speed
    void drainsTinyBacklogsWithEveryContenderAndReportsSaneFigures() throws Exception {
        Path dir = Path.of("target", "smoke");
        Path report = dir.resolve("report.md");
        // This build's own jar (packaged before integration tests run) stands in for a jar built at an older commit.
        Path baseline = Path.of("target", "benchmarks.jar");
        assertThat(baseline).as("packaged before the integration tests").isRegularFile();
        BenchmarkMain main = new BenchmarkMain();
        int exit = new CommandLine(main).execute("--scenarios", "drain,latency", "--rounds", "1",
                "--drain-messages", "200", "--warmup-messages", "0", "--latency-seconds", "1",
                "--latency-warmup-seconds", "0", "--latency-rate", "20",
                "--heap", "128m", "--server-heap", "256m", "--raw-loops", "2", "--tuned", "sluice:concurrency=20",
                "--work-dir", dir.toAbsolutePath().toString(), "--report", report.toString(),
                "--baseline-jar", baseline.toString());

        assertThat(exit).isZero();
        assertThat(main.runs).hasSize(6);
        assertThat(main.runs).filteredOn(run -> run.scenario().equals("drain")).extracting(Run::contender)
                .containsExactly("raw-2", "sluice-default", BenchmarkMain.BASELINE, "sluice-tuned (sluice:concurrency=20)");
        for (Run run : main.runs) {
            assertThat(run.result().has("error")).as("error in %s", run).isFalse();
            assertThat(run.totalRequests()).as("requests counted for %s", run.contender()).isPositive();
            assertThat(run.number("cpuMicrosPerMessage")).isPositive();
            assertThat(run.number("rssHwmMb")).isPositive();
            if (run.scenario().equals("drain")) {
                assertThat(run.number("messages")).as("deleted by %s", run.contender()).isEqualTo(200);
                assertThat(run.number("handled")).isGreaterThanOrEqualTo(200);
                assertThat(run.remaining()).as("left in the queue after %s", run.contender()).isZero();
                assertThat(run.requests("ReceiveMessage")).isPositive();
                assertThat(run.requests("DeleteMessageBatch")).isBetween(20.0, 200.0);
            } else {
                assertThat(run.number("latencySamples")).isPositive();
            }
        }
        assertThat(Files.readString(report)).contains("### Drain", "raw-2", "sluice-default", "### Latency",
                "| " + BenchmarkMain.BASELINE + " |", "sluice-default against " + BenchmarkMain.BASELINE);
    }

    @Test
    @Timeout(value = 300)
    void sendsTinyBatchesWithEveryProducerAndTheQueueHoldsEachMessage() throws Exception {
        Path dir = Path.of("target", "smoke-produce");
        Path report = dir.resolve("report.md");
        BenchmarkMain main = new BenchmarkMain();
        int exit = new CommandLine(main).execute("--scenarios", "produce", "--rounds", "1",
                "--produce-messages", "200", "--produce-warmup-messages", "20", "--produce-senders", "16",
                "--heap", "128m", "--server-heap", "256m",
                "--work-dir", dir.toAbsolutePath().toString(), "--report", report.toString());

        assertThat(exit).isZero();
        assertThat(main.runs).extracting(Run::contender).containsExactly("raw SendMessageBatch loop", "sluice sendAll",
                "sluice sendAsync, window 10 ms", "sluice sendAsync, window 0");
        for (Run run : main.runs) {
            assertThat(run.result().has("error")).as("error in %s", run).isFalse();
            assertThat(run.number("messages")).isEqualTo(200);
            assertThat(run.number("failed")).as("failed sends of %s", run.contender()).isZero();
            assertThat(run.remaining()).as("in the queue after %s", run.contender()).isEqualTo(220);
            assertThat(run.number("cpuMicrosPerMessage")).isPositive();
        }
        assertThat(main.runs.get(0).requests("SendMessageBatch")).isEqualTo(20);
        assertThat(main.runs.get(1).requests("SendMessageBatch")).isEqualTo(20);
        assertThat(main.runs.get(3).requests("SendMessageBatch")).isEqualTo(200);
        assertThat(Files.readString(report)).contains("### Producer", "| raw SendMessageBatch loop |", "yes (1 of 1)");
    }
}
