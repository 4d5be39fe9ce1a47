package io.sluice.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.SimulatedDownstream;
import io.sluice.time.Scheduler;
import io.sluice.time.SystemScheduler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The consumer JVM: runs one contender against the queue once and prints one line {@code RESULT {json}}. Started by
 * {@link BenchmarkMain} with a fixed heap, so that its CPU time, heap and RSS are its own and not the server's.
 */
@Command(name = "consumer", mixinStandardHelpOptions = true)
public final class ConsumerMain implements Callable<Integer> {

    @Option(names = "--endpoint", required = true)
    URI endpoint;
    @Option(names = "--queue", defaultValue = SluiceContender.QUEUE)
    String queue;
    @Option(names = "--queue-url", required = true)
    String queueUrl;
    @Option(names = "--contender", required = true)
    String contender;
    @Option(names = "--mode", defaultValue = "drain", description = "drain | latency | idle | rate")
    String mode;
    @Option(names = "--messages", defaultValue = "0", description = "drain: messages in the backlog")
    long messages;
    @Option(names = "--warmup-messages", defaultValue = "0",
            description = "drain: the first N of --messages warm the JVM up; figures count the rest")
    long warmupMessages;
    @Option(names = "--sleep-ms", defaultValue = "0", description = "the handler blocks this long (I/O-bound case)")
    long sleepMillis;
    @Option(names = "--rate", defaultValue = "50", description = "latency: messages per second sent")
    int rate;
    @Option(names = "--warmup-seconds", defaultValue = "2")
    int warmupSeconds;
    @Option(names = "--seconds", defaultValue = "10",
            description = "latency: measured seconds; idle: seconds idle; rate: seconds measured (from 10 s after the"
                    + " first receive)")
    int seconds;
    @Option(names = "--downstream-knee", defaultValue = "0",
            description = "each message calls a simulated downstream with this knee (calls at once; 0: none)")
    int downstreamKnee;
    @Option(names = "--downstream-ms", defaultValue = "20", description = "the simulated downstream's unloaded latency")
    long downstreamMillis;
    @Option(names = "--timeout-seconds", defaultValue = "600")
    int timeoutSeconds;

    public static void main(String[] args) {
        int code = new CommandLine(new ConsumerMain()).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        Resources.startSampler();
        RequestCounter counter = new RequestCounter();
        boolean latency = mode.equals("latency");
        SystemScheduler scheduler = Scheduler.system();
        SimulatedDownstream downstream = downstreamKnee > 0
                ? SimulatedDownstream.withKnee(downstreamKnee, Duration.ofMillis(downstreamMillis), scheduler) : null;
        Workload workload = new Workload(sleepMillis, latency, downstream);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("contender", contender);
        result.put("mode", mode);
        result.put("java", Runtime.version().toString());
        boolean crt = "crt".equals(Contender.options(contender).get("http")); // http=crt: the CRT HTTP client
        result.put("http", crt ? "crt" : "netty");
        try (SqsAsyncClient client = Clients.create(endpoint, counter, crt);
             Contender consumer = Contender.parse(contender)) {
            result.put("pollers", consumer.pollers());
            RequestCounter.Snapshot snapshot;
            RequestCounter.Window window;
            Map<String, Long> sendReturned = new ConcurrentHashMap<>();
            long measuredFrom = 0;
            RequestCounter.Snapshot idleFrom = null;
            switch (mode) {
                case "drain" -> {
                    counter.warmAfter(warmupMessages);
                    counter.closeWhenDeleted(messages);
                    consumer.start(client, queue, queueUrl, workload);
                    window = counter.firstReceive().get(60, TimeUnit.SECONDS);
                    snapshot = counter.done().get(timeoutSeconds, TimeUnit.SECONDS);
                }
                case "latency" -> {
                    long total = (long) rate * (warmupSeconds + seconds);
                    counter.closeWhenDeleted(total);
                    consumer.start(client, queue, queueUrl, workload);
                    window = counter.firstReceive().get(60, TimeUnit.SECONDS);
                    measuredFrom = produce(total, sendReturned);
                    snapshot = counter.done().get(timeoutSeconds, TimeUnit.SECONDS);
                }
                case "idle", "rate" -> {
                    consumer.start(client, queue, queueUrl, workload);
                    counter.firstReceive().get(60, TimeUnit.SECONDS);
                    // Start counting 10 s after the first receives, so the window holds no start-up burst and its
                    // edges do not line up with the 20 s long polls.
                    Thread.sleep(10_000);
                    idleFrom = counter.current();
                    window = new RequestCounter.Window(idleFrom.nanos(), idleFrom.cpuNanos());
                    Thread.sleep(seconds * 1000L);
                    snapshot = counter.closeNow();
                }
                default -> throw new IllegalArgumentException("mode must be drain, latency, idle or rate, but was "
                        + mode);
            }
            double coldSeconds = (snapshot.nanos() - window.nanos()) / 1e9;
            result.put("coldMsgPerSec", snapshot.deleted() / coldSeconds);
            result.put("coldCpuMicrosPerMessage", (snapshot.cpuNanos() - window.cpuNanos()) / 1e3 / Math.max(1, snapshot.deleted()));
            RequestCounter.Snapshot measured = idleFrom != null
                    ? RequestCounter.between(idleFrom, snapshot)
                    : RequestCounter.between(counter.warm().get(1, TimeUnit.SECONDS), snapshot);
            double elapsed = measured.nanos() / 1e9;
            long done = measured.deleted();
            result.put("warmupMessages", snapshot.deleted() - done);
            result.put("messages", done);
            result.put("handled", workload.handled());
            result.put("seconds", elapsed);
            result.put("msgPerSec", done / elapsed);
            result.put("requests", measured.requests());
            result.put("emptyReceives", measured.emptyReceives());
            result.put("receivedMessages", measured.receivedMessages());
            result.put("requestedMessagesAllWindow", counter.requestedMessages());
            result.put("cpuSeconds", measured.cpuNanos() / 1e9);
            result.put("cpuMicrosPerMessage", done == 0 ? 0 : measured.cpuNanos() / 1e3 / done);
            result.put("peakHeapMb", Resources.peakHeapBytes() / 1048576.0);
            result.put("maxHeapAfterGcMb", Resources.maxHeapAfterGcBytes() / 1048576.0);
            result.put("rssHwmMb", Resources.rssHighWaterBytes() / 1048576.0);
            result.put("peakThreads", java.lang.management.ManagementFactory.getThreadMXBean().getPeakThreadCount());
            if (latency) {
                result.putAll(latencies(sendReturned, workload.handlerStarts(), measuredFrom));
            }
            if (downstream != null) {
                result.putAll(downstreamFigures(downstream));
            }
            result.putAll(consumer.details());
            String nmt = Resources.nativeMemorySummary();
            if (nmt != null) {
                result.put("nmtCommittedMib", Resources.committedMib(nmt));
            }
        } catch (TimeoutException e) {
            result.put("error", "timed out; deleted " + counter.deleted() + " handled " + workload.handled());
        } finally {
            scheduler.close();
        }
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
        System.out.flush();
        return result.containsKey("error") ? 1 : 0;
    }

    /**
     * Sends {@code total} messages at {@link #rate} per second from a client of its own, noting when each SendMessage
     * returned; returns the time after which sends are measured (the warm-up ends).
     */
    private long produce(long total, Map<String, Long> sendReturned) throws InterruptedException {
        SqsAsyncClient producer = Clients.create(endpoint, null);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = 1_000_000_000L / rate;
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        ticker.scheduleAtFixedRate(() -> {
            long n = sent.getAndIncrement();
            if (n >= total) {
                return;
            }
            producer.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(Order.json(n)).build())
                    .thenAccept(response -> sendReturned.put(response.messageId(), System.nanoTime()));
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        Thread.sleep(warmupSeconds * 1000L);
        long measuredFrom = System.nanoTime();
        while (sent.get() < total) {
            Thread.sleep(50);
        }
        ticker.shutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(producer::close));
        return measuredFrom;
    }

    private static Map<String, Object> latencies(Map<String, Long> sendReturned, Map<String, Long> starts,
            long measuredFrom) {
        List<Double> millis = new ArrayList<>();
        long beforeSendReturned = 0;
        for (Map.Entry<String, Long> sent : sendReturned.entrySet()) {
            if (sent.getValue() < measuredFrom) {
                continue;
            }
            Long started = starts.get(sent.getKey());
            if (started == null) {
                continue;
            }
            long delta = started - sent.getValue();
            if (delta < 0) {
                beforeSendReturned++; // the handler began before SendMessage's response reached the producer
            }
            millis.add(Math.max(0, delta) / 1e6);
        }
        millis.sort(null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("latencySamples", millis.size());
        out.put("latencyBeforeSendReturned", beforeSendReturned);
        out.put("latencyP50Ms", percentile(millis, 0.50));
        out.put("latencyP99Ms", percentile(millis, 0.99));
        out.put("latencyMaxMs", millis.isEmpty() ? 0 : millis.get(millis.size() - 1));
        return out;
    }

    /** The simulated downstream's counts; its latency percentiles skip the first 10 % of the calls (the ramp-up). */
    private static Map<String, Object> downstreamFigures(SimulatedDownstream downstream) {
        Map<String, Object> out = new LinkedHashMap<>();
        long calls = downstream.calls();
        out.put("downstreamKnee", downstream.knee());
        out.put("downstreamUnloadedMs", downstream.unloaded().toNanos() / 1e6);
        out.put("downstreamCalls", calls);
        out.put("downstreamMostAtOnce", downstream.mostAtOnce());
        out.put("downstreamAboveKnee", downstream.callsAboveKnee());
        out.put("downstreamP50Ms", downstream.latencyPercentile(50, calls / 10).toNanos() / 1e6);
        out.put("downstreamP99Ms", downstream.latencyPercentile(99, calls / 10).toNanos() / 1e6);
        return out;
    }

    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
