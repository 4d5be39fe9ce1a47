package io.sluice.benchmarks;

import io.sluice.testing.faults.FaultCounts;
import io.sluice.testing.faults.FaultPlan;
import io.sluice.testing.faults.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** One chaos run, as {@link ChaosMain} describes it: set up, run, kill, stop, audit. */
final class ChaosRun {

    static final String QUEUE = "order-processing";
    static final String DLQ = "order-processing-dlq";

    /** What a run found. */
    record Result(ChaosAudit.Figures figures, int kills, Duration wallTime, double requestsPerMessage,
            FaultCounts faults, String report) {
        boolean passed() {
            return figures.lost().isEmpty() && figures.left() == 0 && figures.unexpectedDeadLetters().isEmpty()
                    && figures.deadLettered() == figures.poison()
                    && !figures.duplicates().containsKey(ChaosAudit.AFTER_DELETE);
        }
    }

    private final ChaosMain options;

    ChaosRun(ChaosMain options) {
        this.options = options;
    }

    private static void log(String format, Object... args) {
        System.err.printf("[chaos %s] %s%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), format.formatted(args));
    }

    Result run() throws Exception {
        Path dir = options.workDir.toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Duration killEvery = options.duration("--kill-every", options.killEvery);
        Duration timeout = options.duration("--timeout", options.timeout);
        Instant started = Instant.now();
        try (ElasticMqProcess server = ElasticMqProcess.start(java, System.getProperty("java.class.path"),
                options.serverHeap, dir.resolve("elasticmq"));
                SqsAsyncClient sqs = Clients.create(server.endpoint(), null);
                FaultProxy proxy = FaultProxy.start(server.endpoint(), FaultPlan.builder().seed(options.seed)
                        .allActions(options.sqsFaultRate).lostResponseShare(options.lostShare).build())) {
            log("ElasticMQ at %s (pid %d); fault proxy at %s: %s", server.endpoint(), server.pid(), proxy.endpoint(),
                    proxy.plan());
            String dlqUrl = sqs.createQueue(b -> b.queueName(DLQ)).get(30, TimeUnit.SECONDS).queueUrl();
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .get(30, TimeUnit.SECONDS).attributes().get(QueueAttributeName.QUEUE_ARN);
            String url = sqs.createQueue(b -> b.queueName(QUEUE).attributesWithStrings(Map.of("VisibilityTimeout", "30",
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\""
                            + options.maxReceiveCount + "\"}"))).get(30, TimeUnit.SECONDS).queueUrl();
            Set<String> poison = new HashSet<>();
            Map<String, String> sent = seed(sqs, url, poison);
            log("sent %d orders (%d poison) to %s", sent.size(), poison.size(), QUEUE);

            Instant outageStart = Instant.now().plus(options.duration("--outage-after", options.outageAfter));
            List<String> workerOptions = List.of("--failure-rate", Double.toString(options.failureRate),
                    "--outage", options.outage, "--outage-start", outageStart.toString());
            int kills = 0;
            try (WorkerFleet fleet = new WorkerFleet(java, options.workerJar.toAbsolutePath(), proxy.endpoint(),
                    dir, workerOptions)) {
                for (int i = 0; i < options.workers; i++) {
                    fleet.start();
                }
                log("%d workers started; outage of %s from %s", options.workers, options.outage, outageStart);
                Instant consumingSince = Instant.now();
                Instant nextKill = killEvery.isZero() ? Instant.MAX : consumingSince.plus(killEvery);
                Instant nextLog = consumingSince;
                int emptyPolls = 0;
                while (emptyPolls < 2) {
                    if (Instant.now().isAfter(started.plus(timeout))) {
                        log("timed out after %s", timeout);
                        break;
                    }
                    List<WorkerFleet.Member> exited = fleet.exitedOnTheirOwn();
                    if (!exited.isEmpty()) {
                        throw new IllegalStateException("worker " + exited.get(0).number() + " exited on its own; see "
                                + exited.get(0).log());
                    }
                    if (Instant.now().isAfter(nextKill) && (options.maxKills < 0 || kills < options.maxKills)) {
                        WorkerFleet.Member replacement = fleet.killOldestAndReplace();
                        kills++;
                        nextKill = nextKill.plus(killEvery);
                        log("kill %d: SIGKILL sent, worker %d started in its place", kills, replacement.number());
                    }
                    long remaining = depth(sqs, url);
                    emptyPolls = remaining == 0 ? emptyPolls + 1 : 0;
                    if (Instant.now().isAfter(nextLog)) {
                        log("%d left in %s, %d in %s", remaining, QUEUE, depth(sqs, dlqUrl), DLQ);
                        nextLog = Instant.now().plusSeconds(10);
                    }
                    Thread.sleep(1000);
                }
                proxy.enabled(false);
                fleet.stopAll(Duration.ofSeconds(60));
                Duration wallTime = Duration.between(consumingSince, Instant.now());
                long left = depth(sqs, url);
                List<Message> deadLetters = drain(sqs, dlqUrl);
                ChaosAudit audit = new ChaosAudit(QUEUE);
                for (WorkerFleet.Member member : fleet.all()) {
                    audit.read(member.number(), member.journal());
                }
                ChaosAudit.Figures figures = audit.figures(sent, poison, deadLetters, fleet.killed(), left);
                FaultCounts faults = proxy.counts();
                double requestsPerMessage = (double) faults.calls() / sent.size();
                String report = ChaosReport.render(options, figures, kills, wallTime, requestsPerMessage, faults);
                return new Result(figures, kills, wallTime, requestsPerMessage, faults, report);
            }
        }
    }

    /** Sends the orders, some of them poison, in batches of ten; returns each message's id by its (unique) body. */
    private Map<String, String> seed(SqsAsyncClient sqs, String url, Set<String> poison) throws Exception {
        SplittableRandom random = new SplittableRandom(options.seed);
        Map<String, String> idByBody = new LinkedHashMap<>();
        Set<String> poisonBodies = new HashSet<>();
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<SendMessageBatchResponse>> calls = new ArrayList<>();
        List<List<String>> batches = new ArrayList<>();
        for (int first = 0; first < options.messages; first += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int n = first; n < Math.min(options.messages, first + 10); n++) {
                boolean isPoison = random.nextDouble() < options.poisonRate;
                String body = isPoison ? (n % 2 == 0 ? "this is not an order #" + n
                        : "{\"customer\": \"poison-" + n + "\", \"items\": []}") : order(n);
                if (isPoison) {
                    poisonBodies.add(body);
                }
                bodies.add(body);
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + (n - first)).messageBody(body).build());
            }
            inFlight.acquire();
            calls.add(sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries))
                    .whenComplete((response, error) -> inFlight.release()));
            batches.add(bodies);
        }
        for (int i = 0; i < calls.size(); i++) {
            SendMessageBatchResponse response = calls.get(i).get(60, TimeUnit.SECONDS);
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("seeding failed: " + response.failed());
            }
            List<String> bodies = batches.get(i);
            response.successful().forEach(entry -> {
                String body = bodies.get(Integer.parseInt(entry.id().substring(1)));
                idByBody.put(body, entry.messageId());
                if (poisonBodies.contains(body)) {
                    poison.add(entry.messageId());
                }
            });
        }
        return idByBody;
    }

    /** The article's order: order_id, items, customer and a Python-style timestamp. */
    static String order(int n) {
        return "{\"order_id\": \"chaos-" + n + "\", \"items\": [{\"sku\": \"sku-" + (n % 31) + "\", \"quantity\": "
                + (1 + n % 3) + "}], \"customer\": \"customer-" + (n % 977) + "\", \"timestamp\":"
                + " \"2026-11-30T12:00:00.123456\"}";
    }

    /** Visible, in-flight and delayed messages of {@code url}. */
    private static long depth(SqsAsyncClient sqs, String url) throws Exception {
        Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed")).get(30, TimeUnit.SECONDS).attributesAsStrings();
        return attributes.values().stream().mapToLong(Long::parseLong).sum();
    }

    /** Every message of the dead-letter queue, with its attributes (left there, invisible for a while). */
    private static List<Message> drain(SqsAsyncClient sqs, String dlqUrl) throws Exception {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10)
                    .messageAttributeNames("All").visibilityTimeout(600).waitTimeSeconds(1))
                    .get(30, TimeUnit.SECONDS).messages();
            if (messages.isEmpty()) {
                return all;
            }
            all.addAll(messages);
        }
    }
}
