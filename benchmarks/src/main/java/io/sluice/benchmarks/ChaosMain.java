package io.sluice.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The chaos run (issue 12): orders on a standalone ElasticMQ consumed by worker processes of the example jar through a
 * fault proxy, with failing and poison handlers, a downstream outage and workers killed with {@code SIGKILL} as it
 * goes; then an audit of every message. Exit status 0 when nothing was lost or left and only poison was dead-lettered.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.ChaosMain            # the full run: 100,000 orders
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.ChaosMain --messages 3000 --workers 2
 * </pre>
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Orders through killed workers, SQS faults and a downstream outage; then an audit of each one.")
public final class ChaosMain implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "100000", description = "orders to send (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--poison-rate", defaultValue = "0.005",
            description = "fraction of the messages that are poison (default ${DEFAULT-VALUE})")
    double poisonRate;

    @Option(names = "--workers", defaultValue = "3", description = "worker processes at a time (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--kill-every", defaultValue = "20s",
            description = "SIGKILL the oldest worker and start a new one this often; 0 for never (default ${DEFAULT-VALUE})")
    String killEvery;

    @Option(names = "--max-kills", defaultValue = "-1", description = "stop killing after this many (default: no limit)")
    int maxKills;

    @Option(names = "--failure-rate", defaultValue = "0.1",
            description = "fraction of handler calls that throw a retryable failure (default ${DEFAULT-VALUE})")
    double failureRate;

    @Option(names = "--sqs-fault-rate", defaultValue = "0.05",
            description = "fraction of SQS calls the fault proxy fails (default ${DEFAULT-VALUE})")
    double sqsFaultRate;

    @Option(names = "--lost-share", defaultValue = "0.3333",
            description = "share of those failures that are lost responses (default ${DEFAULT-VALUE})")
    double lostShare;

    @Option(names = "--outage-after", defaultValue = "25s",
            description = "when the downstream outage begins, from the workers' start: about the middle of the full"
                    + " run on a 2-core machine (default ${DEFAULT-VALUE})")
    String outageAfter;

    @Option(names = "--outage", defaultValue = "60s", description = "how long it lasts; 0 for none (default ${DEFAULT-VALUE})")
    String outage;

    @Option(names = "--max-receive-count", defaultValue = "3",
            description = "the queue's maxReceiveCount: SQS dead-letters a message after this many receives (default"
                    + " ${DEFAULT-VALUE}, the article's)")
    int maxReceiveCount;

    @Option(names = "--seed", defaultValue = "20261130", description = "seed of the faults and the poison")
    long seed;

    @Option(names = "--timeout", defaultValue = "60m", description = "longest the run may take (default ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--worker-jar", defaultValue = "examples/order-processing/target/order-processing.jar",
            description = "the example worker's jar (default ${DEFAULT-VALUE})")
    Path workerJar;

    @Option(names = "--work-dir", defaultValue = "target/chaos", description = "journals, logs and the report")
    Path workDir;

    @Option(names = "--server-heap", defaultValue = "1g", description = "ElasticMQ's heap (default ${DEFAULT-VALUE})")
    String serverHeap;

    /** The result of the last {@link #call()}. */
    ChaosRun.Result result;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChaosMain()).execute(args));
    }

    Duration duration(String name, String value) {
        return io.sluice.time.Durations.parse(name, value);
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(workDir);
        result = new ChaosRun(this).run();
        Path report = workDir.resolve("report.md");
        Files.writeString(report, result.report());
        System.out.println(result.report());
        System.out.println("report written to " + report.toAbsolutePath());
        return result.passed() ? 0 : 1;
    }
}
