package io.sluice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Does the backlog inflate the worker's heap? For each backlog size: a fresh queue seeded with that many orders, then a
 * fresh consumer JVM (fixed heap) running a Sluice worker at its defaults for {@code --drain-seconds}; then, with the
 * worker still running and the backlog mostly still there, a full GC and retained heap (old gen after GC) and RSS. The
 * goal: retained heap flat from a 10k to a 1M backlog. A command to run on purpose, never a CI test.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.BacklogHeapMain --backlogs 10000,100000,1000000
 * </pre>
 */
@Command(name = "backlog-heap", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Retained heap and RSS of a default Sluice worker draining backlogs of several sizes, each in a"
                + " fresh JVM.")
public final class BacklogHeapMain implements Callable<Integer> {

    @Option(names = "--backlogs", split = ",", defaultValue = "10000,100000,1000000",
            description = "backlog sizes (default ${DEFAULT-VALUE})")
    List<Long> backlogs;
    @Option(names = "--drain-seconds", defaultValue = "20",
            description = "how long each worker drains before the measurement, at most: it comes earlier once half the"
                    + " backlog is handled, so that no measurement sees an empty queue (default ${DEFAULT-VALUE})")
    int drainSeconds;
    @Option(names = "--heap", defaultValue = "256m", description = "the consumer JVM's fixed heap (default ${DEFAULT-VALUE})")
    String heap;
    @Option(names = "--seed-threads", defaultValue = "4",
            description = "threads seeding, each with the Seeder's 16 batch calls in flight (default ${DEFAULT-VALUE})")
    int seedThreads;
    @Option(names = "--endpoint", description = "an SQS endpoint to use instead of starting ElasticMQ")
    URI endpoint;
    @Option(names = "--server-heap", defaultValue = "3g",
            description = "ElasticMQ's heap: a million messages need more than a gigabyte (default ${DEFAULT-VALUE})")
    String serverHeap;
    @Option(names = "--work-dir", defaultValue = "benchmarks/target/backlog-heap",
            description = "results.jsonl and ElasticMQ's log (default ${DEFAULT-VALUE})")
    Path workDir;

    // The consumer JVM's side.
    @Option(names = "--child", hidden = true)
    boolean child;
    @Option(names = "--queue-url", hidden = true)
    String queueUrl;
    @Option(names = "--backlog", hidden = true)
    long backlog;

    private final ObjectMapper json = new ObjectMapper();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BacklogHeapMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return child ? consume() : orchestrate();
    }

    private int orchestrate() throws Exception {
        Files.createDirectories(workDir);
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        List<Map<String, Object>> rows = new ArrayList<>();
        ElasticMqProcess server = null;
        try {
            URI target = endpoint;
            if (target == null) {
                server = ElasticMqProcess.start(java, classpath, serverHeap, workDir);
                target = server.endpoint();
                BenchmarkMain.log("ElasticMQ pid %d at %s (heap %s)", server.pid(), target, serverHeap);
            }
            try (SqsAsyncClient admin = Clients.create(target, null)) {
                Seeder seeder = new Seeder(admin);
                for (long backlog : backlogs) {
                    String url = seeder.freshQueue(SluiceContender.QUEUE); // a new queue: the previous one is purged
                    long seedStart = System.nanoTime();
                    seed(seeder, url, backlog);
                    double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
                    long before = seeder.remaining(url);
                    BenchmarkMain.log("backlog %,d seeded in %.1f s (%,.0f msg/s); %,d in the queue", backlog,
                            seedSeconds, backlog / seedSeconds, before);
                    double load = BenchmarkMain.load();
                    JsonNode result = runChild(List.of(java, "-Xms" + heap, "-Xmx" + heap, "-cp", classpath,
                            BacklogHeapMain.class.getName(), "--child", "--endpoint", target.toString(),
                            "--queue-url", url, "--drain-seconds", Integer.toString(drainSeconds),
                            "--backlog", Long.toString(backlog)));
                    BenchmarkMain.log("backlog %,d: %s", backlog, result);
                    Thread.sleep(300);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("backlog", backlog);
                    row.put("seedSeconds", seedSeconds);
                    row.put("load1Before", load);
                    row.put("remainingAfter", remaining(seeder, url));
                    row.put("consumer", result);
                    rows.add(row);
                    Files.writeString(workDir.resolve("results.jsonl"), json.writeValueAsString(row) + "\n",
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                try {
                    seeder.freshQueue(SluiceContender.QUEUE); // leave no backlog behind (matters with --endpoint)
                } catch (Exception e) {
                    BenchmarkMain.log("could not empty the queue at the end (%s)", e);
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        System.out.println(table(rows));
        return rows.stream().anyMatch(row -> ((JsonNode) row.get("consumer")).has("error")) ? 1 : 0;
    }

    /**
     * What is left, for the record only: ElasticMQ holding most of a million messages can take longer to count them
     * than the Seeder waits, which must not cost the row.
     */
    private static Long remaining(Seeder seeder, String url) {
        try {
            return seeder.remaining(url);
        } catch (Exception e) {
            BenchmarkMain.log("could not count what is left (%s); going on", e);
            return null;
        }
    }

    /** {@code count} orders in chunks, {@link #seedThreads} chunks at a time, each through {@link Seeder#send}. */
    private void seed(Seeder seeder, String url, long count) throws Exception {
        int chunk = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(seedThreads);
        try {
            List<Future<?>> chunks = new ArrayList<>();
            for (long first = 0; first < count; first += chunk) {
                long from = first;
                long to = Math.min(count, first + chunk);
                chunks.add(pool.submit(() -> {
                    List<String> bodies = new ArrayList<>((int) (to - from));
                    for (long n = from; n < to; n++) {
                        bodies.add(Order.json(n));
                    }
                    int sent = seeder.send(url, bodies).size();
                    if (to % 100_000 == 0) {
                        BenchmarkMain.log("seeded up to %,d", to);
                    }
                    return sent;
                }));
            }
            for (Future<?> done : chunks) {
                done.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonNode runChild(List<String> command) throws Exception {
        return ChildJvm.run(command, json);
    }

    /**
     * The consumer JVM: a default Sluice worker for {@link #drainSeconds} or until half the {@link #backlog} is handled,
     * then the footprint while it still runs.
     */
    private int consume() throws Exception {
        Resources.startSampler();
        Workload workload = new Workload(0, false, null);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("java", Runtime.version().toString());
        try (SqsAsyncClient client = Clients.create(endpoint, null);
             SluiceContender worker = new SluiceContender(Map.of())) {
            worker.start(client, SluiceContender.QUEUE, queueUrl, workload);
            long start = System.nanoTime();
            long deadline = start + drainSeconds * 1_000_000_000L;
            while (System.nanoTime() < deadline && workload.handled() < backlog / 2) {
                Thread.sleep(50);
            }
            Footprint.Snapshot after = Footprint.afterFullGc();
            double seconds = (System.nanoTime() - start) / 1e9;
            result.put("seconds", seconds);
            result.put("handled", workload.handled());
            result.put("msgPerSec", workload.handled() / seconds);
            result.put("backlogLeftApprox", backlog - workload.handled());
            result.put("retainedHeapMb", after.retainedHeapMb());
            result.put("heapUsedAfterFullGcMb", after.heapUsedMb());
            result.put("maxHeapAfterGcDuringDrainMb", Resources.maxHeapAfterGcBytes() / 1048576.0);
            result.put("peakHeapMb", Resources.peakHeapBytes() / 1048576.0);
            result.put("rssMb", after.rssMb());
            result.put("rssHwmMb", after.rssHwmMb());
            result.put("directMb", after.directMb());
            result.put("threads", after.threads());
        }
        System.out.println("RESULT " + json.writeValueAsString(result));
        System.out.flush();
        return 0;
    }

    private static String table(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder("| backlog | seeded in s | handled before the measurement | retained heap MB (old gen after full GC)"
                + " | max heap after GC while draining MB | peak heap MB | RSS MB | RSS high-water MB | threads |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> row : rows) {
            JsonNode c = (JsonNode) row.get("consumer");
            if (c.has("error")) {
                out.append(String.format("| %,d | %.1f | error: %s |%n", row.get("backlog"), row.get("seedSeconds"),
                        c.get("error").asText()));
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %,d | %.1f | %,d | %.2f | %.2f | %.0f | %.0f | %.0f | %d |%n",
                    row.get("backlog"), row.get("seedSeconds"), c.get("handled").asLong(), c.get("retainedHeapMb").asDouble(),
                    c.get("maxHeapAfterGcDuringDrainMb").asDouble(), c.get("peakHeapMb").asDouble(),
                    c.get("rssMb").asDouble(), c.get("rssHwmMb").asDouble(), c.get("threads").asInt()));
        }
        return out.toString();
    }
}
