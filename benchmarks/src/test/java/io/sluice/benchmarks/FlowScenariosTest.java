package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.benchmarks.BenchmarkMain.Run;
import io.sluice.testing.SimulatedDownstream;
import io.sluice.time.VirtualTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The pieces of the knee, rate, prefetch and NMT scenarios that need no server: no timing, virtual time only. */
class FlowScenariosTest {

    /** The shape of {@code jcmd <pid> VM.native_memory summary} on Java 17 (default scale KB), shortened. */
    private static final String NMT = String.join("\n",
            "Native Memory Tracking:",
            "",
            "Total: reserved=1753104KB, committed=420104KB",
            "-                 Java Heap (reserved=262144KB, committed=262144KB)",
            "                            (mmap: reserved=262144KB, committed=262144KB)",
            "",
            "-                     Class (reserved=1050733KB, committed=4461KB)",
            "                            (classes #6842)",
            "-                    Thread (reserved=14473KB, committed=14473KB)",
            "                            (thread #14)",
            "-                      Code (reserved=248064KB, committed=14848KB)",
            "-                        GC (reserved=47616KB, committed=47616KB)",
            "-                     Other (reserved=16512KB, committed=16512KB)",
            "-                 Arguments (reserved=1KB, committed=1KB)",
            "-                    Module (reserved=1023KB, committed=1023KB)");

    @Test
    void nativeMemorySummaryIsSplitIntoCommittedMibByCategory() {
        Map<String, Double> mib = Resources.committedMib(NMT);

        assertThat(mib.get("Java Heap")).isEqualTo(256.0);
        assertThat(mib.get("Thread")).isEqualTo(14473 / 1024.0);
        assertThat(mib.get("Other")).isEqualTo(16512 / 1024.0);
        assertThat(mib.get("Internal")).as("absent category").isEqualTo(0.0);
        assertThat(mib.get("rest")).as("Arguments and Module").isEqualTo(1024 / 1024.0);
        assertThat(mib.get("total")).isEqualTo(420104 / 1024.0);
        assertThat(Resources.committedMib("NMT failed: off")).isEmpty();
        assertThat(Resources.committedMib(null)).isEmpty();
    }

    @Test
    void nmtSummaryInBytesIsReadToo() {
        assertThat(Resources.committedMib("Total: reserved=4194304, committed=2097152\n"
                + "-                 Java Heap (reserved=2097152, committed=1048576)")).containsEntry("Java Heap", 1.0)
                .containsEntry("total", 2.0);
    }

    @Test
    void asyncWorkloadCountsTheMessageAndSettlesWhenTheDownstreamCallCompletes() {
        VirtualTime time = new VirtualTime();
        Workload workload = new Workload(0, false, SimulatedDownstream.withKnee(1, Duration.ofMillis(20), time));

        CompletableFuture<Void> first = workload.handleAsync(new Order("o-1", "c", BigDecimal.ONE, "EUR", List.of()), "m-1");
        CompletableFuture<Void> second = workload.handleAsync(new Order("o-2", "c", BigDecimal.ONE, "EUR", List.of()), "m-2");

        assertThat(workload.async()).isTrue();
        assertThat(workload.handled()).isEqualTo(2);
        time.advance(Duration.ofMillis(20));
        assertThat(first).isDone();
        assertThat(second).as("above the knee of 1: twice the unloaded latency").isNotDone();
        time.advance(Duration.ofMillis(20));
        assertThat(second).isDone();
        assertThat(workload.downstream().callsAboveKnee()).isEqualTo(1);
    }

    @Test
    void theFlowScenariosPassOnlyOptionsTheConsumerKnows() {
        String help = new CommandLine(new ConsumerMain()).getUsageMessage();
        BenchmarkMain main = new BenchmarkMain();
        new CommandLine(main).parseArgs("--scenarios", "knee,rate,prefetch");

        List<String> knee = List.of("--downstream-knee", "20", "--downstream-ms", "20");
        assertThat(BenchmarkMain.missingOptions(help, knee)).isEmpty();
        assertThat(main.consumerArgs("http://127.0.0.1:9324", "q", "sluice:maxRate=200.0", "rate", "rate", 16000, 0))
                .containsSequence("--seconds", "60");
        assertThat(main.consumerArgs("http://127.0.0.1:9324", "q", "sluice:prefetch=10", "prefetch", "drain", 10500, 20))
                .containsSequence("--warmup-messages", "500");
    }

    @Test
    void theReportJudgesEachFlowScenarioAgainstItsGoal() throws Exception {
        BenchmarkMain main = new BenchmarkMain();
        new CommandLine(main).parseArgs("--scenarios", "knee,rate,prefetch");
        ObjectMapper json = new ObjectMapper();
        String knee = "{\"msgPerSec\":%s,\"coldMsgPerSec\":1,\"downstreamP99Ms\":%s,\"downstreamAboveKnee\":1,"
                + "\"downstreamCalls\":10,\"downstreamMostAtOnce\":30,\"limitMedian\":25,\"limitFinal\":25,"
                + "\"limitMin\":6,\"limitMax\":45,\"limitChanges\":9,\"messages\":10,\"requests\":{\"ReceiveMessage\":1}}";
        main.runs.add(new Run("knee", "k", "fixed c=100", 1, json.readTree(String.format(knee, 1000, 100)), 0, 0));
        main.runs.add(new Run("knee", "k", "adaptive vegas", 1, json.readTree(String.format(knee, 950, 30)), 0, 0));
        main.runs.add(new Run("rate", "r", "sluice", 1, json.readTree("{\"msgPerSec\":191,\"maxWaitedMs\":3,\"maxWarmWaitedMs\":2,\"longWaits\":0,"
                + "\"messages\":100,\"emptyReceives\":0,\"requests\":{\"ReceiveMessage\":10}}"), 0, 0));
        main.runs.add(new Run("prefetch", "p", "sluice c=10, prefetch 10", 1, json.readTree("{\"msgPerSec\":460,"
                + "\"maxWaitedMs\":3,\"messages\":100,\"emptyReceives\":0,\"cpuMicrosPerMessage\":5,"
                + "\"requests\":{\"ReceiveMessage\":10,\"DeleteMessageBatch\":10}}"), 0, 0));

        String markdown = Report.markdown(main, "now", 0, 0);

        assertThat(markdown).contains("- adaptive vegas: 95 % of the best fixed setting's msg/s (goal ≥ 90 %: met),"
                + " p99 1.50 × unloaded (goal ≤ 2.0 ×: met)");
        assertThat(markdown).contains("| 25 / 25 | 6 – 45 | 9 | 0.100 |");
        assertThat(markdown).contains("**-4.5 %** (goal within ±5 %: met) | 0.100 | 0.100 | 0.000 | 3 / 2 | 0 | 1 |");
        assertThat(markdown).contains("**92.0 %** (met) | **0.200** (met)");
    }
}
