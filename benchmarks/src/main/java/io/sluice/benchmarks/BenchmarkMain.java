package io.sluice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Runs the benchmarks of issue #3 in one go: starts ElasticMQ in its own JVM, then for each scenario and round seeds
 * the queue and runs every contender once in a fresh consumer JVM with a fixed heap, alternating contenders (A B A B
 * ...), and finally writes a markdown report of min / median / max and the ratio of medians. The producer benchmark of
 * issue #10 ({@code --scenarios produce}) runs the same way, each sending contender in a fresh producer JVM.
 */
@Command(name = "benchmarks", mixinStandardHelpOptions = true,
        description = "Sluice against a hand-written AWS SDK loop on ElasticMQ: throughput, requests/message, I/O-bound"
                + " handlers, latency, memory, idle cost.")
public final class BenchmarkMain implements Callable<Integer> {

    @Option(names = "--rounds", defaultValue = "5", description = "rounds of alternating contenders (default ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--scenarios", split = ",", defaultValue = "drain,io,latency,memory,idle",
            description = "which to run: drain (throughput, CPU, requests/message), io, latency, memory, idle; and produce"
                    + " (producer msg/s and requests/message), knee (adaptive concurrency against fixed settings on a"
                    + " downstream with a hidden knee), rate (maxMessagesPerSecond), prefetch (a 20 ms handler at"
                    + " concurrency 10 with and without prefetch): these four not in the default list")
    List<String> scenarios;
    @Option(names = "--drain-messages", defaultValue = "20000")
    long drainMessages;
    @Option(names = "--warmup-messages", defaultValue = "2000",
            description = "drain: messages each consumer JVM handles before measuring starts (JIT warm-up), on top of"
                    + " --drain-messages (default ${DEFAULT-VALUE})")
    long warmupMessages;
    @Option(names = "--raw-loops", defaultValue = "8", description = "K: receive loops of the raw baseline")
    int rawLoops;
    @Option(names = "--tuned", defaultValue = "sluice:concurrency=200",
            description = "the spec of the tuned Sluice contender (default ${DEFAULT-VALUE})")
    String tuned;
    @Option(names = "--extra-contender", description = "name=spec: another drain contender, e.g. c50=sluice:concurrency=50")
    List<String> extraContenders = new ArrayList<>();
    @Option(names = "--io-rounds", defaultValue = "3", description = "rounds of the I/O-bound cases (default ${DEFAULT-VALUE})")
    int ioRounds;
    @Option(names = "--io-scale", defaultValue = "1.0", description = "multiplies the I/O-bound message counts")
    double ioScale;
    @Option(names = "--latency-seconds", defaultValue = "10")
    int latencySeconds;
    @Option(names = "--latency-warmup-seconds", defaultValue = "2",
            description = "latency: seconds of sending before samples count (JIT warm-up)")
    int latencyWarmupSeconds;
    @Option(names = "--latency-rate", defaultValue = "50")
    int latencyRate;
    @Option(names = "--memory-messages", split = ",", defaultValue = "10000,100000")
    List<Long> memoryMessages;
    @Option(names = "--memory-rounds", defaultValue = "2")
    int memoryRounds;
    @Option(names = "--idle-seconds", defaultValue = "60",
            description = "idle: the counting window, which opens 10 s after the first receive")
    int idleSeconds;
    @Option(names = "--produce-messages", defaultValue = "20000", description = "produce: orders sent and measured")
    long produceMessages;
    @Option(names = "--produce-warmup-messages", defaultValue = "2000",
            description = "produce: orders each producer JVM sends the same way before measuring starts (default"
                    + " ${DEFAULT-VALUE})")
    long produceWarmupMessages;
    @Option(names = "--produce-window-ms", defaultValue = "10",
            description = "produce: the batch window of Sluice's single sends (default ${DEFAULT-VALUE})")
    int produceWindowMs;
    @Option(names = "--produce-senders", defaultValue = "64",
            description = "produce: single sends kept outstanding (default ${DEFAULT-VALUE})")
    int produceSenders;
    @Option(names = "--knee-messages", defaultValue = "13500",
            description = "knee: messages measured, after --knee-warmup-messages (default ${DEFAULT-VALUE})")
    long kneeMessages;
    @Option(names = "--knee-warmup-messages", defaultValue = "1500")
    long kneeWarmupMessages;
    @Option(names = "--knee", defaultValue = "20", description = "knee: the downstream's knee, calls at once")
    int knee;
    @Option(names = "--knee-unloaded-ms", defaultValue = "20", description = "knee: the downstream's unloaded latency")
    long kneeUnloadedMs;
    @Option(names = "--rate-limit", defaultValue = "200", description = "rate: maxMessagesPerSecond")
    double rateLimit;
    @Option(names = "--rate-seconds", defaultValue = "60",
            description = "rate: the measured window, from 10 s after the first receive (default ${DEFAULT-VALUE})")
    int rateSeconds;
    @Option(names = "--rate-messages", defaultValue = "16000",
            description = "rate: the backlog, more than the limit lets through in 10 + --rate-seconds seconds")
    long rateMessages;
    @Option(names = "--prefetch-messages", defaultValue = "10000", description = "prefetch: messages measured")
    long prefetchMessages;
    @Option(names = "--prefetch-warmup-messages", defaultValue = "500")
    long prefetchWarmupMessages;
    @Option(names = "--prefetch", split = ",", defaultValue = "0,5,10",
            description = "prefetch: the settings compared at concurrency 10 (default ${DEFAULT-VALUE})")
    List<Integer> prefetchSettings;
    @Option(names = "--nmt", description = "consumer JVMs track native memory (-XX:NativeMemoryTracking=summary) and report"
            + " the committed memory by category at the end of the run")
    boolean nmt;
    @Option(names = "--heap", defaultValue = "256m", description = "the consumer JVM's fixed heap (-Xms = -Xmx)")
    String heap;
    @Option(names = "--server-heap", defaultValue = "1g")
    String serverHeap;
    @Option(names = "--consumer-java", description = "java binary for consumer JVMs (default: the one running this)")
    String consumerJava;
    @Option(names = "--virtual-threads-java",
            description = "a Java 21+ binary: adds Sluice on virtual threads to the 1 s x 1,000 I/O case")
    String virtualThreadsJava;
    @Option(names = "--consumer-jvm-arg", description = "extra consumer JVM option, e.g. -XX:StartFlightRecording=...")
    List<String> consumerJvmArgs = new ArrayList<>();
    @Option(names = "--report", defaultValue = "benchmarks/target/benchmark-report.md")
    Path report;
    @Option(names = "--work-dir", defaultValue = "${java.io.tmpdir}/sluice-benchmarks")
    Path workDir;
    @Option(names = "--quick", description = "a small run: 1 round, 2,000-message drain, short latency and idle")
    boolean quick;
    @Option(names = "--baseline-jar", paramLabel = "PATH",
            description = "a benchmarks.jar built at another commit (e.g. before a change): adds the drain contender "
                    + BASELINE + ", the default Sluice contender run from that jar (consumer JVM with -cp PATH, same"
                    + " main class, spec 'sluice'), alternating with the others in every round; the report gives its"
                    + " ratio to raw like the others, and sluice-default / " + BASELINE + ". The jar's ConsumerMain must"
                    + " understand this build's consumer command line (checked before the run)")
    Path baselineJar;

    /** The prefetch scenario: the handler's blocking sleep and the concurrency, so at best 10 / 20 ms = 500 msg/s. */
    static final int PREFETCH_SLEEP_MS = 20;
    static final int PREFETCH_CONCURRENCY = 10;

    /** The drain contender run from {@link #baselineJar}. */
    static final String BASELINE = "sluice-before";

    private final ObjectMapper json = new ObjectMapper();
    final List<Run> runs = new ArrayList<>();
    private String javaBinary;
    private String classpath;

    /** One consumer JVM's result. */
    record Run(String scenario, String caseName, String contender, int round, JsonNode result, long remaining,
            double loadBefore) {
        double number(String field) {
            JsonNode node = result.get(field);
            return node == null ? Double.NaN : node.asDouble();
        }

        double requests(String action) {
            JsonNode node = result.path("requests").get(action);
            return node == null ? 0 : node.asDouble();
        }

        double totalRequests() {
            double sum = 0;
            for (JsonNode count : result.path("requests")) {
                sum += count.asDouble();
            }
            return sum;
        }
    }

    /**
     * A contender in a case: display name, spec, the java binary of its JVM, and the classpath of that JVM ({@code
     * null}: this build's).
     */
    record Entry(String name, String spec, String java, String classpath) {
        Entry(String name, String spec, String java) {
            this(name, spec, java, null);
        }
    }

    /**
     * A case of a scenario: its contenders, the backlog seeded before each, the handler's blocking sleep, the consumer
     * mode, and consumer options beyond {@link #consumerArgs} (which a {@code --baseline-jar} need not know, as only the
     * scenarios that pass them are not run against it).
     */
    record Case(String scenario, String name, List<Entry> entries, long messages, long sleepMs, String mode,
            List<String> extraArgs) {
        Case(String scenario, String name, List<Entry> entries, long messages, long sleepMs, String mode) {
            this(scenario, name, entries, messages, sleepMs, mode, List.of());
        }
    }

    public static void main(String[] args) {
        BenchmarkMain main = new BenchmarkMain();
        main.originalArgs = args.clone();
        System.exit(new CommandLine(main).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            rounds = 1;
            drainMessages = 2000;
            warmupMessages = 500;
            ioScale = 0.2;
            latencySeconds = 3;
            memoryMessages = List.of(2000L, 10000L);
            memoryRounds = 1;
            idleSeconds = 25;
            produceMessages = 2000;
            produceWarmupMessages = 500;
        }
        javaBinary = ProcessHandle.current().info().command().orElse("java");
        classpath = System.getProperty("java.class.path");
        if (baselineJar != null) {
            String problem = checkBaseline(baselineJar);
            if (problem != null) {
                System.err.println("--baseline-jar " + baselineJar + ": " + problem);
                return 2;
            }
            log("baseline: %s runs %s from %s", BASELINE, ConsumerMain.class.getName(), baselineJar.toAbsolutePath());
        }
        String started = DateTimeFormatter.ISO_INSTANT.format(Instant.now().atOffset(ZoneOffset.UTC).withNano(0));
        double loadAtStart = load();
        try (ElasticMqProcess server = ElasticMqProcess.start(javaBinary, classpath, serverHeap, workDir);
             SqsAsyncClient admin = Clients.create(server.endpoint(), null)) {
            log("ElasticMQ pid %d at %s", server.pid(), server.endpoint());
            Seeder seeder = new Seeder(admin);
            String raw = "raw:loops=" + rawLoops;
            String rawName = "raw-" + rawLoops;
            if (scenarios.contains("drain")) {
                List<Entry> entries = new ArrayList<>(List.of(new Entry(rawName, raw, consumerJava()),
                        new Entry("sluice-default", "sluice", consumerJava())));
                if (baselineJar != null) {
                    // right after the current default, so that before and after run back to back in every round
                    entries.add(new Entry(BASELINE, "sluice", consumerJava(), baselineJar.toAbsolutePath().toString()));
                }
                entries.add(new Entry("sluice-tuned (" + tuned + ")", tuned, consumerJava()));
                for (String extra : extraContenders) {
                    entries.add(new Entry(extra.substring(0, extra.indexOf('=')), extra.substring(extra.indexOf('=') + 1),
                            consumerJava()));
                }
                runCase(seeder, server, new Case("drain", "drain " + drainMessages, entries,
                        drainMessages + warmupMessages, 0, "drain"), rounds);
            }
            if (scenarios.contains("io")) {
                ioCase(seeder, server, "20 ms x 10", 20, 10, (long) (3000 * ioScale));
                ioCase(seeder, server, "20 ms x 50", 20, 50, (long) (10000 * ioScale));
                ioCase(seeder, server, "1 s x 1000", 1000, 1000, (long) (20000 * ioScale));
            }
            if (scenarios.contains("latency")) {
                runCase(seeder, server, new Case("latency", latencyRate + " msg/s", List.of(
                        new Entry(rawName, raw, consumerJava()), new Entry("sluice-default", "sluice", consumerJava())),
                        0, 0, "latency"), rounds);
            }
            if (scenarios.contains("memory")) {
                for (int round = 1; round <= memoryRounds; round++) {
                    for (long backlog : memoryMessages) {
                        runRound(seeder, server, new Case("memory", "backlog " + backlog, List.of(
                                new Entry("sluice c=100", "sluice:concurrency=100", consumerJava())), backlog, 0,
                                "drain"), round);
                    }
                    long largest = memoryMessages.get(memoryMessages.size() - 1);
                    runRound(seeder, server, new Case("memory", "backlog " + largest, List.of(
                            new Entry(rawName, raw, consumerJava())), largest, 0, "drain"), round);
                }
            }
            if (scenarios.contains("idle")) {
                runCase(seeder, server, new Case("idle", "idle " + idleSeconds + " s", List.of(
                        new Entry("sluice-default", "sluice", consumerJava()), new Entry(rawName, raw, consumerJava())),
                        0, 0, "idle"), 1);
            }
            if (scenarios.contains("knee")) {
                kneeCase(seeder, server);
            }
            if (scenarios.contains("rate")) {
                runCase(seeder, server, new Case("rate", "rate " + Report.decimal(rateLimit), List.of(
                        new Entry("sluice maxMessagesPerSecond " + Report.decimal(rateLimit),
                                "sluice:maxRate=" + rateLimit, consumerJava())), rateMessages, 0, "rate"), rounds);
            }
            if (scenarios.contains("prefetch")) {
                List<Entry> entries = new ArrayList<>();
                for (int prefetch : prefetchSettings) {
                    entries.add(new Entry("sluice c=" + PREFETCH_CONCURRENCY + ", prefetch " + prefetch,
                            "sluice:concurrency=" + PREFETCH_CONCURRENCY + ",prefetch=" + prefetch, consumerJava()));
                }
                runCase(seeder, server, new Case("prefetch", PREFETCH_SLEEP_MS + " ms x " + PREFETCH_CONCURRENCY,
                        entries, prefetchMessages + prefetchWarmupMessages, PREFETCH_SLEEP_MS, "drain"), rounds);
            }
            if (scenarios.contains("produce")) {
                String single = "sluice-single:senders=" + produceSenders + ",window=";
                List<Entry> entries = List.of(
                        new Entry("raw SendMessageBatch loop", "raw:inFlight=" + RawSendContender.IN_FLIGHT, consumerJava()),
                        new Entry("sluice sendAll", "sluice-all", consumerJava()),
                        new Entry("sluice sendAsync, window " + produceWindowMs + " ms", single + produceWindowMs,
                                consumerJava()),
                        new Entry("sluice sendAsync, window 0", single + 0, consumerJava()));
                for (int round = 1; round <= rounds; round++) {
                    produceRound(seeder, server, "produce " + produceMessages, entries, round);
                }
            }
        }
        String markdown = Report.markdown(this, started, loadAtStart, load());
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, markdown);
        System.out.println(markdown);
        log("report written to %s", report.toAbsolutePath());
        return runs.stream().anyMatch(run -> run.result().has("error")) ? 1 : 0;
    }

    private void ioCase(Seeder seeder, ElasticMqProcess server, String name, long sleepMs, int concurrency, long messages)
            throws Exception {
        List<Entry> entries = new ArrayList<>(List.of(
                new Entry("raw " + Math.max(1, concurrency / 10) + " loops, " + concurrency + " threads",
                        "raw:loops=" + Math.max(1, concurrency / 10) + ",threads=" + concurrency, consumerJava()),
                new Entry("sluice c=" + concurrency, "sluice:concurrency=" + concurrency, consumerJava())));
        if (virtualThreadsJava != null && sleepMs >= 1000) {
            entries.add(new Entry("sluice c=" + concurrency + " (virtual threads)", "sluice:concurrency=" + concurrency,
                    virtualThreadsJava));
        }
        runCase(seeder, server, new Case("io", name, entries, Math.max(messages, concurrency), sleepMs, "drain"),
                Math.min(rounds, ioRounds));
    }

    /**
     * The knee scenario: four Sluice contenders on the same backlog, each message calling a simulated downstream whose
     * latency grows past {@link #knee} calls at once: two fixed concurrencies and the two adaptive algorithms with
     * concurrency 100 as their ceiling.
     */
    private void kneeCase(Seeder seeder, ElasticMqProcess server) throws Exception {
        List<Entry> entries = List.of(
                new Entry("fixed c=10", "sluice:concurrency=10", consumerJava()),
                new Entry("fixed c=100", "sluice:concurrency=100", consumerJava()),
                new Entry("adaptive vegas (defaults, ceiling 100)", "sluice:concurrency=100,adaptive=vegas",
                        consumerJava()),
                new Entry("adaptive gradient (ceiling 100)", "sluice:concurrency=100,adaptive=gradient", consumerJava()));
        runCase(seeder, server, new Case("knee", "knee " + knee + " x " + kneeUnloadedMs + " ms", entries,
                kneeMessages + kneeWarmupMessages, 0, "drain", List.of("--downstream-knee", Integer.toString(knee),
                "--downstream-ms", Long.toString(kneeUnloadedMs))), rounds);
    }

    private String consumerJava() {
        return consumerJava != null ? consumerJava : javaBinary;
    }

    private void runCase(Seeder seeder, ElasticMqProcess server, Case run, int caseRounds) throws Exception {
        for (int round = 1; round <= caseRounds; round++) {
            runRound(seeder, server, run, round);
        }
    }

    /** One round of {@code run}: each contender in turn on a fresh queue seeded with the case's backlog. */
    private void runRound(Seeder seeder, ElasticMqProcess server, Case run, int round) throws Exception {
        for (Entry entry : run.entries()) {
            String url = seeder.freshQueue(SluiceContender.QUEUE);
            if (run.messages() > 0) {
                seeder.send(url, run.messages());
            }
            double loadBefore = load();
            List<String> command = jvm(entry, ConsumerMain.class);
            command.addAll(consumerArgs(server.endpoint().toString(), url, entry.spec(), run.scenario(), run.mode(),
                    run.messages(), run.sleepMs()));
            command.addAll(run.extraArgs());
            JsonNode result = runConsumer(command);
            Thread.sleep(300); // let the last deletes land before counting what is left
            long remaining = run.mode().equals("drain") ? seeder.remaining(url) : 0;
            record(new Run(run.scenario(), run.name(), entry.name(), round, result, remaining, loadBefore));
        }
    }

    /**
     * One round of the producer benchmark: for each contender a fresh, empty queue and a producer JVM sending to it;
     * then what the queue holds is counted (it should be every message the JVM saw acknowledged, warm-up included).
     */
    private void produceRound(Seeder seeder, ElasticMqProcess server, String caseName, List<Entry> entries, int round)
            throws Exception {
        for (Entry entry : entries) {
            String url = seeder.freshQueue(SluiceContender.QUEUE);
            double loadBefore = load();
            List<String> command = jvm(entry, ProducerMain.class);
            command.addAll(List.of("--endpoint", server.endpoint().toString(), "--queue-url", url,
                    "--contender", entry.spec(), "--messages", Long.toString(produceMessages),
                    "--warmup-messages", Long.toString(produceWarmupMessages)));
            JsonNode result = runConsumer(command);
            record(new Run("produce", caseName, entry.name(), round, result, seeder.remaining(url), loadBefore));
        }
    }

    /** The command starting a JVM for {@code entry} with a fixed heap, up to and including the main class. */
    private List<String> jvm(Entry entry, Class<?> main) {
        List<String> command = new ArrayList<>(List.of(entry.java(), "-Xms" + heap, "-Xmx" + heap));
        if (nmt) {
            command.add("-XX:NativeMemoryTracking=summary");
        }
        command.addAll(consumerJvmArgs);
        command.addAll(List.of("-cp", entry.classpath() != null ? entry.classpath() : classpath, main.getName()));
        return command;
    }

    private void record(Run run) throws Exception {
        runs.add(run);
        Files.writeString(workDir.resolve("results.jsonl"), json.writeValueAsString(json.createObjectNode()
                        .put("scenario", run.scenario()).put("case", run.caseName()).put("contender", run.contender())
                        .put("round", run.round()).put("remaining", run.remaining()).put("load", run.loadBefore())
                        .set("result", run.result())) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        log("%-8s %-14s round %d %-34s %s", run.scenario(), run.caseName(), run.round(), run.contender(), summary(run));
    }

    /**
     * The consumer JVM's arguments after its main class. A {@code --baseline-jar} built at an older commit runs this
     * same command line, so an option added here must be one that jar's {@link ConsumerMain} knows, or the baseline
     * check ({@link #checkBaseline}) refuses that jar before the run.
     */
    List<String> consumerArgs(String endpoint, String url, String spec, String scenario, String mode, long messages,
            long sleepMs) {
        return List.of("--endpoint", endpoint, "--queue-url", url, "--contender", spec,
                "--mode", mode, "--messages", Long.toString(messages),
                "--warmup-messages", Long.toString(switch (scenario) {
                    case "drain" -> warmupMessages;
                    case "knee" -> kneeWarmupMessages;
                    case "prefetch" -> prefetchWarmupMessages;
                    default -> 0L;
                }),
                "--sleep-ms", Long.toString(sleepMs),
                "--rate", Integer.toString(latencyRate), "--warmup-seconds", Integer.toString(latencyWarmupSeconds),
                "--seconds", Integer.toString(switch (mode) {
                    case "idle" -> idleSeconds;
                    case "rate" -> rateSeconds;
                    default -> latencySeconds;
                }));
    }

    /**
     * Why {@code jar} cannot serve as the baseline, or {@code null} when it can: it must be a readable file whose
     * {@link ConsumerMain} starts ({@code --help}) and lists every option {@link #consumerArgs} passes.
     */
    String checkBaseline(Path jar) throws Exception {
        if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
            return "no readable file there (build one with `git worktree add /tmp/before <commit> && cd /tmp/before"
                    + " && mvn -B -q package -DskipTests -pl benchmarks -am`, then pass"
                    + " /tmp/before/benchmarks/target/benchmarks.jar)";
        }
        Process process = new ProcessBuilder(consumerJava(), "-cp", jar.toAbsolutePath().toString(),
                ConsumerMain.class.getName(), "--help").redirectErrorStream(true).start();
        String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "its " + ConsumerMain.class.getName() + " --help did not finish within 60 s";
        }
        if (process.exitValue() != 0) {
            return "`java -cp " + jar + " " + ConsumerMain.class.getName() + " --help` exited "
                    + process.exitValue() + ": " + help.strip();
        }
        List<String> missing = missingOptions(help, consumerArgs("http://localhost", "url", "sluice", "drain",
                "drain", 1, 0));
        return missing.isEmpty() ? null : "its " + ConsumerMain.class.getName() + " does not know " + missing
                + ", which this build passes to every consumer JVM; build the baseline at a commit whose"
                + " ConsumerMain has them, or pass only options it has";
    }

    /** The options ({@code --name}) in {@code args} that the picocli usage text {@code help} does not list. */
    static List<String> missingOptions(String help, List<String> args) {
        Set<String> known = new LinkedHashSet<>();
        java.util.regex.Matcher option = java.util.regex.Pattern.compile("--[A-Za-z0-9][A-Za-z0-9-]*").matcher(help);
        while (option.find()) {
            known.add(option.group());
        }
        return args.stream().filter(arg -> arg.startsWith("--")).map(arg -> arg.split("=", 2)[0])
                .filter(name -> !known.contains(name)).distinct().toList();
    }

    private JsonNode runConsumer(List<String> command) throws Exception {
        return ChildJvm.run(command, json);
    }

    private static String summary(Run run) {
        if (run.result().has("error")) {
            return "ERROR " + run.result().get("error").asText();
        }
        if (run.scenario().equals("produce")) {
            return String.format("%8.0f msg/s  %.3f req/msg  cpu %.0f us/msg  rss %.0f MB  failed %.0f  in queue %d of %.0f"
                            + " acknowledged", run.number("msgPerSec"), run.totalRequests() / run.number("messages"),
                    run.number("cpuMicrosPerMessage"), run.number("rssHwmMb"), run.number("failed"), run.remaining(),
                    run.number("acknowledged"));
        }
        return String.format("%8.0f msg/s  %.3f req/msg  cpu %.0f us/msg  p99 %s  heap %.0f MB  rss %.0f MB  left %d%s",
                run.number("msgPerSec"), run.totalRequests() / Math.max(1, run.number("messages")),
                run.number("cpuMicrosPerMessage"),
                run.result().has("latencyP99Ms") ? String.format("%.1f ms", run.number("latencyP99Ms")) : "-",
                run.number("peakHeapMb"), run.number("rssHwmMb"), run.remaining(), flowSummary(run));
    }

    /** The figures of the knee, rate and prefetch scenarios, where the run has them. */
    private static String flowSummary(Run run) {
        String out = "";
        if (run.result().has("downstreamP99Ms")) {
            out += String.format("  downstream p99 %.1f ms, %.0f of %.0f calls above the knee", run.number("downstreamP99Ms"),
                    run.number("downstreamAboveKnee"), run.number("downstreamCalls"));
        }
        if (run.result().has("limitMedian")) {
            out += String.format("  limit median %.0f final %.0f  longest wait %.0f ms", run.number("limitMedian"),
                    run.number("limitFinal"), run.number("maxWaitedMs"));
        }
        return out;
    }

    static double load() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    static void log(String format, Object... args) {
        System.err.printf("[bench %s] %s%n", java.time.LocalTime.now(java.time.ZoneOffset.UTC).withNano(0), String.format(format, args));
    }

    String commandLine() {
        return "java -jar benchmarks/target/benchmarks.jar " + String.join(" ", Arrays.asList(originalArgs));
    }

    String[] originalArgs = new String[0];

    Set<String> caseNames(String scenario) {
        Set<String> names = new LinkedHashSet<>();
        runs.stream().filter(run -> run.scenario().equals(scenario)).forEach(run -> names.add(run.caseName()));
        return names;
    }
}
