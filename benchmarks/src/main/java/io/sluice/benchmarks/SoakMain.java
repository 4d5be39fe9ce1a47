package io.sluice.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The soak: a producer sending orders at a steady rate and a Sluice worker at its defaults consuming them, in this
 * JVM, for a long time; every {@code --sample-every} a full GC and a sample of retained heap, RSS and threads. At the
 * end: did retained heap grow, and was anything lost. A command to run on purpose, never a CI test.
 *
 * <pre>
 * java -Xms256m -Xmx256m -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.SoakMain                 # one hour
 * java -Xms256m -Xmx256m -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.SoakMain --duration 10m --warmup 2m
 * </pre>
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A steady producer and a default Sluice worker for a long time; retained heap, RSS and threads"
                + " sampled after a full GC; growth and loss reported at the end.")
public final class SoakMain implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "60m", description = "how long to produce (default ${DEFAULT-VALUE})")
    String duration;
    @Option(names = "--rate", defaultValue = "500", description = "messages per second sent (default ${DEFAULT-VALUE})")
    int rate;
    @Option(names = "--sample-every", defaultValue = "60s", description = "sampling period (default ${DEFAULT-VALUE})")
    String sampleEvery;
    @Option(names = "--warmup", defaultValue = "5m",
            description = "samples before this are warm-up: not in the growth figures (default ${DEFAULT-VALUE})")
    String warmup;
    @Option(names = "--endpoint", description = "an SQS endpoint to use instead of starting ElasticMQ")
    URI endpoint;
    @Option(names = "--server-heap", defaultValue = "1g", description = "ElasticMQ's heap (default ${DEFAULT-VALUE})")
    String serverHeap;
    @Option(names = "--work-dir", defaultValue = "benchmarks/target/soak",
            description = "where the samples (soak.csv, soak.json) and ElasticMQ's log go (default ${DEFAULT-VALUE})")
    Path workDir;

    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public static void main(String[] args) {
        System.exit(new CommandLine(new SoakMain()).execute(args));
    }

    /** One sample, taken right after a full GC. */
    record Sample(double minutes, long sent, long handled, long backlog, long inFlight, double retainedHeapMb,
            double heapAfterFullGcMb, double rssMb, double directMb, double nonHeapMb, int threads, double loadAverage) {
        static String header() {
            return "minutes,sent,handled,backlog,inFlight,retainedHeapMb,heapAfterFullGcMb,rssMb,directMb,nonHeapMb,"
                    + "threads,load1";
        }

        String csv() {
            return String.format(java.util.Locale.ROOT, "%.2f,%d,%d,%d,%d,%.2f,%.2f,%.1f,%.2f,%.1f,%d,%.2f", minutes, sent,
                    handled, backlog, inFlight, retainedHeapMb, heapAfterFullGcMb, rssMb, directMb, nonHeapMb, threads,
                    loadAverage);
        }
    }

    @Override
    public Integer call() throws Exception {
        Duration runFor = io.sluice.time.Durations.parse("--duration", duration);
        Duration period = io.sluice.time.Durations.parse("--sample-every", sampleEvery);
        Duration warmUp = io.sluice.time.Durations.parse("--warmup", warmup);
        Files.createDirectories(workDir);
        Path csv = workDir.resolve("soak.csv");
        Files.writeString(csv, Sample.header() + "\n");
        // Ctrl-C or SIGTERM ends the run early but still stops the worker, counts and reports: a handler instead of
        // the JVM's shutdown (whose hooks would kill ElasticMQ under the final count).
        for (String signal : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stopRequested.countDown());
        }
        ElasticMqProcess server = null;
        try {
            URI target = endpoint;
            if (target == null) {
                server = ElasticMqProcess.start(ProcessHandle.current().info().command().orElse("java"),
                        System.getProperty("java.class.path"), serverHeap, workDir);
                target = server.endpoint();
                BenchmarkMain.log("ElasticMQ pid %d at %s", server.pid(), target);
            }
            return run(target, runFor, period, warmUp, csv);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private int run(URI target, Duration runFor, Duration period, Duration warmUp, Path csv) throws Exception {
        List<Sample> samples = new ArrayList<>();
        Workload workload = new Workload(0, false, null);
        AtomicLong sent = new AtomicLong();
        AtomicLong sendFailed = new AtomicLong();
        Phaser inFlightSends = new Phaser(1);
        SluiceContender consumer = new SluiceContender(Map.of());
        boolean interrupted;
        long remaining;
        long start;
        try (SqsAsyncClient admin = Clients.create(target, null);
             SqsAsyncClient producerClient = Clients.create(target, null);
             SqsAsyncClient consumerClient = Clients.create(target, null)) {
            Seeder seeder = new Seeder(admin);
            String url = seeder.freshQueue(SluiceContender.QUEUE);
            consumer.start(consumerClient, SluiceContender.QUEUE, url, workload);
            // One batch of ten per tick, at a fixed rate: the batched sends of the Seeder, spread over time.
            ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "soak-producer");
                thread.setDaemon(true);
                return thread;
            });
            AtomicLong next = new AtomicLong();
            long tickNanos = 10 * 1_000_000_000L / rate;
            start = System.nanoTime();
            producer.scheduleAtFixedRate(() -> {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>(10);
                for (int i = 0; i < 10; i++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                            .messageBody(Order.json(next.getAndIncrement())).build());
                }
                inFlightSends.register();
                producerClient.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).whenComplete((response, error) -> {
                    if (error != null) {
                        sendFailed.addAndGet(entries.size());
                    } else {
                        sent.addAndGet(response.successful().size());
                        sendFailed.addAndGet(response.failed().size());
                    }
                    inFlightSends.arriveAndDeregister();
                });
            }, 0, tickNanos, TimeUnit.NANOSECONDS);
            BenchmarkMain.log("soak: %d msg/s for %s into %s, a sample every %s (warm-up %s); samples in %s", rate,
                    runFor, url, period, warmUp, csv.toAbsolutePath());
            System.out.println(String.format("%7s %10s %10s %8s %8s %11s %9s %8s %8s %7s", "minutes", "sent", "handled",
                    "backlog", "inflight", "retainedMB", "afterGcMB", "rssMB", "directMB", "threads"));
            long end = start + runFor.toNanos();
            long nextSample = start + period.toNanos();
            interrupted = false;
            while (true) {
                long wait = Math.min(nextSample, end) - System.nanoTime();
                if (wait > 0 && stopRequested.await(wait, TimeUnit.NANOSECONDS)) {
                    interrupted = true;
                    break;
                }
                if (System.nanoTime() >= end) {
                    break;
                }
                Sample sample = sample(admin, url, start, sent.get(), workload.handled());
                samples.add(sample);
                Files.writeString(csv, sample.csv() + "\n", StandardOpenOption.APPEND);
                print(sample);
                nextSample += period.toNanos();
            }
            producer.shutdown();
            producer.awaitTermination(10, TimeUnit.SECONDS);
            inFlightSends.arriveAndDeregister();
            inFlightSends.awaitAdvanceInterruptibly(0, 60, TimeUnit.SECONDS);
            // Let the worker finish the backlog, so that "handled" and "remaining" do not overlap at the stop.
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (workload.handled() < sent.get() && System.nanoTime() < drainDeadline) {
                Thread.sleep(200);
            }
            Thread.sleep(500); // the last deletes
            consumer.close();
            Thread.sleep(300);
            remaining = seeder.remaining(url);
        }
        Map<String, Object> summary = summary(samples, warmUp, sent.get(), sendFailed.get(), workload.handled(),
                remaining, (System.nanoTime() - start) / 6e10, interrupted);
        String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                Map.of("summary", summary, "samples", samples));
        Files.writeString(workDir.resolve("soak.json"), json);
        summary.forEach((key, value) -> System.out.println(String.format("%-34s %s", key, value)));
        System.out.println("samples written to " + csv.toAbsolutePath() + " and " + workDir.resolve("soak.json").toAbsolutePath());
        return Boolean.TRUE.equals(summary.get("nothingLost")) ? 0 : 1;
    }

    private static Sample sample(SqsAsyncClient admin, String url, long start, long sent, long handled) throws Exception {
        Map<QueueAttributeName, String> attributes = admin.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).get(30, TimeUnit.SECONDS).attributes();
        Footprint.Snapshot after = Footprint.afterFullGc();
        return new Sample((System.nanoTime() - start) / 6e10, sent, handled,
                Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
                after.retainedHeapMb(), after.heapUsedMb(), after.rssMb(), after.directMb(), after.nonHeapMb(),
                after.threads(), BenchmarkMain.load());
    }

    private static void print(Sample s) {
        System.out.println(String.format(java.util.Locale.ROOT, "%7.1f %10d %10d %8d %8d %11.2f %9.2f %8.1f %8.2f %7d",
                s.minutes(), s.sent(), s.handled(), s.backlog(), s.inFlight(), s.retainedHeapMb(), s.heapAfterFullGcMb(),
                s.rssMb(), s.directMb(), s.threads()));
    }

    static Map<String, Object> summary(List<Sample> samples, Duration warmUp, long sent, long sendFailed, long handled,
            long remaining, double minutes, boolean interrupted) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("finished", Instant.now().toString());
        out.put("minutes", round(minutes));
        out.put("stoppedEarly", interrupted);
        out.put("sent", sent);
        out.put("sendFailed", sendFailed);
        out.put("handled", handled);
        out.put("remainingInQueue", remaining);
        out.put("nothingLost", sent == handled + remaining);
        out.put("duplicatesOrLost", handled + remaining - sent);
        double warmMinutes = warmUp.toMillis() / 60_000.0;
        List<Sample> warm = samples.stream().filter(s -> s.minutes() >= warmMinutes).toList();
        out.put("samples", samples.size());
        out.put("samplesAfterWarmup", warm.size());
        if (warm.size() >= 2) {
            Sample first = warm.get(0);
            Sample last = warm.get(warm.size() - 1);
            out.put("retainedHeapMbFirstAfterWarmup", round(first.retainedHeapMb()));
            out.put("retainedHeapMbLast", round(last.retainedHeapMb()));
            out.put("retainedHeapMbMinAfterWarmup", round(warm.stream().mapToDouble(Sample::retainedHeapMb).min().orElse(0)));
            out.put("retainedHeapMbMaxAfterWarmup", round(warm.stream().mapToDouble(Sample::retainedHeapMb).max().orElse(0)));
            out.put("retainedHeapLastMinusFirstKiB", round((last.retainedHeapMb() - first.retainedHeapMb()) * 1024));
            double half = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).minutes() / 2;
            List<Sample> secondHalf = samples.stream().filter(s -> s.minutes() >= Math.max(half, warmMinutes)).toList();
            out.put("samplesInSecondHalf", secondHalf.size());
            out.put("retainedHeapSlopeSecondHalfKiBPerMin", round(slope(secondHalf, Sample::retainedHeapMb) * 1024));
            out.put("retainedHeapSlopeAfterWarmupKiBPerMin", round(slope(warm, Sample::retainedHeapMb) * 1024));
            out.put("rssMbFirstAfterWarmup", round(first.rssMb()));
            out.put("rssMbLast", round(last.rssMb()));
            out.put("rssSlopeAfterWarmupKiBPerMin", round(slope(warm, Sample::rssMb) * 1024));
            out.put("threadsFirstAfterWarmup", first.threads());
            out.put("threadsLast", last.threads());
            out.put("threadsMaxAfterWarmup", warm.stream().mapToInt(Sample::threads).max().orElse(0));
        }
        return out;
    }

    /** Least-squares slope of {@code y} over minutes (per minute); 0 for fewer than two samples. */
    static double slope(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> y) {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        double mx = samples.stream().mapToDouble(Sample::minutes).average().orElse(0);
        double my = samples.stream().mapToDouble(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample s : samples) {
            num += (s.minutes() - mx) * (y.applyAsDouble(s) - my);
            den += (s.minutes() - mx) * (s.minutes() - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
