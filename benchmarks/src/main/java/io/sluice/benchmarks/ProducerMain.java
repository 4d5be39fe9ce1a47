package io.sluice.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The producer JVM: sends {@code --warmup-messages} orders, then {@code --messages} more, with one {@link
 * SendContender}, and prints one line {@code RESULT {json}} with the figures of the second part: from the first send to
 * the last acknowledgement. Started by {@link BenchmarkMain} with a fixed heap, like the consumer JVM.
 */
@Command(name = "producer", mixinStandardHelpOptions = true)
public final class ProducerMain implements Callable<Integer> {

    @Option(names = "--endpoint", required = true)
    URI endpoint;
    @Option(names = "--queue", defaultValue = SluiceContender.QUEUE)
    String queue;
    @Option(names = "--queue-url", required = true)
    String queueUrl;
    @Option(names = "--contender", required = true, description = "raw | sluice-all | sluice-single[:window=10,senders=64]")
    String contender;
    @Option(names = "--messages", required = true, description = "orders sent and measured")
    long messages;
    @Option(names = "--warmup-messages", defaultValue = "0",
            description = "orders sent first the same way (JIT warm-up, queue resolution), not measured")
    long warmupMessages;
    @Option(names = "--timeout-seconds", defaultValue = "600")
    int timeoutSeconds;

    public static void main(String[] args) {
        int code = new CommandLine(new ProducerMain()).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        Resources.startSampler();
        RequestCounter counter = new RequestCounter();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("contender", contender);
        result.put("mode", "produce");
        result.put("java", Runtime.version().toString());
        List<Order> warmup = orders(0, warmupMessages);
        List<Order> measured = orders(warmupMessages, messages);
        try (SqsAsyncClient client = Clients.create(endpoint, counter);
             SendContender producer = SendContender.create(contender, client, queue, queueUrl)) {
            counter.open();
            long warmupFailed = warmup.isEmpty() ? 0 : send(producer, warmup);
            Resources.resetPeaks();
            RequestCounter.Snapshot from = counter.current();
            long failed = send(producer, measured);
            RequestCounter.Snapshot window = RequestCounter.between(from, counter.current());
            double elapsed = window.nanos() / 1e9;
            result.put("warmupMessages", warmupMessages);
            result.put("warmupFailed", warmupFailed);
            result.put("messages", messages);
            result.put("failed", failed);
            result.put("acknowledged", warmupMessages - warmupFailed + messages - failed);
            result.put("seconds", elapsed);
            result.put("msgPerSec", messages / elapsed);
            result.put("requests", window.requests());
            result.put("cpuSeconds", window.cpuNanos() / 1e9);
            result.put("cpuMicrosPerMessage", window.cpuNanos() / 1e3 / Math.max(1, messages));
            result.put("peakHeapMb", Resources.peakHeapBytes() / 1048576.0);
            result.put("maxHeapAfterGcMb", Resources.maxHeapAfterGcBytes() / 1048576.0);
            result.put("rssHwmMb", Resources.rssHighWaterBytes() / 1048576.0);
        } catch (TimeoutException e) {
            result.put("error", "timed out after " + timeoutSeconds + " s");
        }
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
        System.out.flush();
        return result.containsKey("error") ? 1 : 0;
    }

    /** {@link SendContender#send}, giving up after {@link #timeoutSeconds}. */
    private long send(SendContender producer, List<Order> orders) throws Exception {
        CompletableFuture<Long> sent = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            try {
                sent.complete(producer.send(orders));
            } catch (Exception | Error e) {
                sent.completeExceptionally(e);
            }
        }, "sender");
        sender.setDaemon(true);
        sender.start();
        return sent.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    private static List<Order> orders(long first, long count) {
        List<Order> orders = new ArrayList<>((int) count);
        for (long n = first; n < first + count; n++) {
            orders.add(Order.of(n));
        }
        return orders;
    }
}
