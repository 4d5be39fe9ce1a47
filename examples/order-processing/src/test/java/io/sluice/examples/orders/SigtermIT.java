package io.sluice.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The worker jar as a real process, stopped with SIGTERM mid-load: it exits 0, leaves no message invisible, and every
 * order is either processed (and deleted) or back on the queue.
 */
class SigtermIT {

    private static final Path JAR = Path.of("target", "order-processing.jar");
    private static final Pattern PROCESSED = Pattern.compile("Processed order \\S+ .*message ([^,]+), receive #");
    private static final int ORDERS = 300;

    @Test
    void sigtermMidLoadExitsZeroLeavesNothingInvisibleAndLosesNothing() throws Exception {
        Assumptions.assumeTrue(Files.exists(JAR), "the shaded jar is built in the package phase");
        try (EmbeddedElasticMq server = EmbeddedElasticMq.start();
                SqsAsyncClient sqs = SqsAsyncClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                EmbeddedElasticMq.ACCESS_KEY_ID, EmbeddedElasticMq.SECRET_ACCESS_KEY)))
                        .build()) {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-jar", JAR.toString(), "--endpoint", server.endpoint().toString(),
                    "--orders", Integer.toString(ORDERS), "--latency", "10ms")
                    .redirectErrorStream(true);
            builder.environment().putAll(Map.of("SLUICE_HTTP_PORT", "0", "AWS_REGION", EmbeddedElasticMq.REGION,
                    "AWS_ACCESS_KEY_ID", EmbeddedElasticMq.ACCESS_KEY_ID,
                    "AWS_SECRET_ACCESS_KEY", EmbeddedElasticMq.SECRET_ACCESS_KEY));
            // The output goes to a file: Process.destroy() would close a pipe to it, losing the last lines.
            Path log = Files.createTempFile("order-processing-sigterm", ".log");
            builder.redirectOutput(log.toFile());
            // Slow enough (10 ms per downstream call, 4 calls per order) that SIGTERM lands mid-load.
            Process worker = builder.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> !worker.isAlive()
                        || processed(log).size() >= 30 && output(log).contains("Placed " + ORDERS + " order(s)"));
                assertThat(worker.isAlive()).as("still running; output:%n%s", output(log)).isTrue();

                assertThat(worker.toHandle().destroy()).as("SIGTERM sent").isTrue();

                assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(worker.exitValue()).as("exit status; output:%n%s", output(log)).isZero();
            } finally {
                worker.destroyForcibly();
            }
            String output = output(log);
            Set<String> processed = processed(log);
            assertThat(output).contains("Stop requested: stopping the worker gracefully", "Sluice worker stopped");

            String url = sqs.getQueueUrl(b -> b.queueName(OrderProcessor.QUEUE)).join().queueUrl();
            Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.ALL)).join().attributesAsStrings();
            assertThat(attributes.get("ApproximateNumberOfMessagesNotVisible")).as("nothing left invisible")
                    .isEqualTo("0");
            Set<String> remaining = ConcurrentHashMap.newKeySet();
            List<Message> batch;
            do {
                batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .visibilityTimeout(60)).join().messages();
                batch.forEach(message -> remaining.add(message.messageId()));
            } while (!batch.isEmpty());
            assertThat(remaining).as("processed orders were deleted").doesNotContainAnyElementsOf(processed);
            assertThat(processed.size() + remaining.size()).as("every order processed or still queued: %s processed,"
                    + " %s remaining, attributes after exit %s; output:%n%s", processed.size(), remaining.size(),
                    attributes, output)
                    .isEqualTo(ORDERS);
        }
    }

    private static String output(Path log) throws java.io.IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static Set<String> processed(Path log) throws java.io.IOException {
        Set<String> ids = new java.util.HashSet<>();
        Matcher matcher = PROCESSED.matcher(output(log));
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }
}
