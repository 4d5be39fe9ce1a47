package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --baseline-jar}: the consumer command line an older jar must understand, and a jar that cannot serve. */
class BaselineJarTest {

    /** What {@code ConsumerMain --help} printed at 6321b89, the commit before issue #9's pipeline rewrite. */
    private static final String HELP_AT_6321B89 = String.join("\n",
            "Usage: consumer [-hV] --contender=<contender> --endpoint=<endpoint>",
            "                [--messages=<messages>] [--mode=<mode>] [--queue=<queue>]",
            "                --queue-url=<queueUrl> [--rate=<rate>] [--seconds=<seconds>]",
            "                [--sleep-ms=<sleepMillis>] [--timeout-seconds=<timeoutSeconds>]",
            "                [--warmup-messages=<warmupMessages>]",
            "                [--warmup-seconds=<warmupSeconds>]",
            "      --contender=<contender>",
            "      --endpoint=<endpoint>",
            "  -h, --help                Show this help message and exit.",
            "      --messages=<messages> drain: messages in the backlog",
            "      --mode=<mode>         drain | latency | idle",
            "      --queue=<queue>",
            "      --queue-url=<queueUrl>",
            "      --rate=<rate>         latency: messages per second sent",
            "      --seconds=<seconds>   latency: measured seconds; idle: seconds idle",
            "      --sleep-ms=<sleepMillis>",
            "      --timeout-seconds=<timeoutSeconds>",
            "  -V, --version             Print version information and exit.",
            "      --warmup-messages=<warmupMessages>",
            "      --warmup-seconds=<warmupSeconds>");

    private final BenchmarkMain main = new BenchmarkMain();

    private List<String> consumerArgs() {
        new CommandLine(main).parseArgs(); // the defaults, as a run has them
        return main.consumerArgs("http://127.0.0.1:9324", "http://127.0.0.1:9324/q", "sluice", "drain", "drain",
                22000, 0);
    }

    @Test
    void consumerCommandLineUsesOnlyOptionsThisBuildsConsumerMainKnows() {
        String help = new CommandLine(new ConsumerMain()).getUsageMessage();

        assertThat(BenchmarkMain.missingOptions(help, consumerArgs())).isEmpty();
    }

    @Test
    void consumerCommandLineIsOneTheJarBeforeTheRewriteUnderstands() {
        assertThat(consumerArgs()).contains("--endpoint", "--queue-url", "--contender", "--warmup-messages");
        assertThat(BenchmarkMain.missingOptions(HELP_AT_6321B89, consumerArgs())).isEmpty();
    }

    @Test
    void optionsAnOlderConsumerMainDoesNotListAreNamed() {
        String older = HELP_AT_6321B89.replace("--warmup-messages", "--warm").replace("--sleep-ms", "--sleep");

        assertThat(BenchmarkMain.missingOptions(older, consumerArgs()))
                .containsExactly("--warmup-messages", "--sleep-ms");
    }

    @Test
    void missingBaselineJarStopsTheRunBeforeAnyServerStartsNamingThePath(@TempDir Path dir) {
        Path jar = dir.resolve("no-such-benchmarks.jar");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new BenchmarkMain()).execute("--baseline-jar", jar.toString(),
                    "--work-dir", dir.toString(), "--report", dir.resolve("report.md").toString());
        } finally {
            System.setErr(original);
        }

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--baseline-jar " + jar + ": no readable file there");
        assertThat(dir.resolve("report.md")).doesNotExist();
    }

    @Test
    void helpDocumentsTheBaselineJar() {
        String help = new CommandLine(new BenchmarkMain()).getUsageMessage();

        assertThat(help).contains("--baseline-jar=PATH", BenchmarkMain.BASELINE);
    }
}
