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
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

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
            Seeder seeder = new Seeder(sqs);
            Map<String, String> sent = seed(seeder, url, poison);
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
                    long remaining = seeder.remaining(url);
                    emptyPolls = remaining == 0 ? emptyPolls + 1 : 0;
                    if (Instant.now().isAfter(nextLog)) {
                        log("%d left in %s, %d in %s", remaining, QUEUE, seeder.remaining(dlqUrl), DLQ);
                        nextLog = Instant.now().plusSeconds(10);
                    }
                    Thread.sleep(1000);
                }
                proxy.enabled(false);
                fleet.stopAll(Duration.ofSeconds(60));
                Duration wallTime = Duration.between(consumingSince, Instant.now());
                long left = seeder.remaining(url);
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

    /** Sends the orders, some of them poison; returns each message's id by its (unique) body. */
    private Map<String, String> seed(Seeder seeder, String url, Set<String> poison) throws Exception {
        SplittableRandom random = new SplittableRandom(options.seed);
        List<String> bodies = new ArrayList<>(options.messages);
        Set<Integer> poisonAt = new HashSet<>();
        for (int n = 0; n < options.messages; n++) {
            boolean isPoison = random.nextDouble() < options.poisonRate;
            if (isPoison) {
                poisonAt.add(n);
            }
            bodies.add(isPoison ? (n % 2 == 0 ? "this is not an order #" + n
                    : "{\"customer\": \"poison-" + n + "\", \"items\": []}") : order(n));
        }
        List<String> ids = seeder.send(url, bodies);
        Map<String, String> idByBody = new LinkedHashMap<>();
        for (int n = 0; n < bodies.size(); n++) {
            idByBody.put(bodies.get(n), ids.get(n));
            if (poisonAt.contains(n)) {
                poison.add(ids.get(n));
            }
        }
        return idByBody;
    }

    /** The article's order: order_id, items, customer and a Python-style timestamp. */
    static String order(int n) {
        return "{\"order_id\": \"chaos-" + n + "\", \"items\": [{\"sku\": \"sku-" + (n % 31) + "\", \"quantity\": "
                + (1 + n % 3) + "}], \"customer\": \"customer-" + (n % 977) + "\", \"timestamp\":"
                + " \"2026-11-30T12:00:00.123456\"}";
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
