package io.sluice.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.it.ElasticMqServer;
import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link FaultProxy} between the AWS SDK and ElasticMQ: requests pass through unchanged, each fault reaches the client
 * as the exception {@link FaultInjectingTransport} raises, lost responses take effect on the server, and a worker
 * behind the proxy handles every message. Clients that check one fault do not retry (the SDK would retry it away).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultProxyIT {

    private ElasticMqServer server;
    private SqsTransport direct;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    void startServer() {
        server = ElasticMqServer.start();
        direct = SqsTransport.create(config(server.endpoint()));
    }

    @AfterAll
    void stopServer() {
        direct.close();
        server.close();
    }

    @AfterEach
    void closeResources() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        cleanup.clear();
    }

    private static SqsClientConfig config(URI endpoint) {
        return SqsClientConfig.builder().endpoint(endpoint).region("us-east-1").credentials("test", "test").build();
    }

    private FaultProxy proxy(FaultPlan plan) {
        FaultProxy proxy = FaultProxy.builder(server.endpoint()).plan(plan).maxHold(Duration.ofSeconds(5)).start();
        cleanup.add(proxy);
        return proxy;
    }

    /** A transport through {@code proxy} whose SDK client does not retry and gives an attempt one second. */
    private SqsTransport oneAttempt(FaultProxy proxy) {
        return oneAttempt(proxy, Duration.ofSeconds(1));
    }

    private SqsTransport oneAttempt(FaultProxy proxy, Duration attemptTimeout) {
        SqsAsyncClient client = SqsAsyncClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(attemptTimeout))
                .build();
        cleanup.add(client::close);
        return SqsTransport.of(client);
    }

    private String queue(String name, Map<String, String> attributes) {
        return direct.createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).join().queueUrl();
    }

    private Map<String, String> depth(String url) {
        return direct.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).join().attributesAsStrings();
    }

    private static List<SendMessageBatchRequestEntry> entries(int count, String prefix) {
        return IntStream.range(0, count).mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i)
                .messageBody(prefix + i).build()).toList();
    }

    @Test
    void requestsPassThroughUnchangedAndAreCountedPerAction() {
        FaultProxy proxy = proxy(FaultPlan.none());
        SqsTransport sqs = SqsTransport.create(config(proxy.endpoint()));
        cleanup.add(sqs);

        String url = sqs.createQueue(b -> b.queueName("proxy-pass")).join().queueUrl();
        assertThat(sqs.getQueueUrl(b -> b.queueName("proxy-pass")).join().queueUrl()).isEqualTo(url);
        for (int batch = 0; batch < 3; batch++) {
            assertThat(sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries(10, "m"))).join().failed())
                    .isEmpty();
        }
        List<Message> received = new ArrayList<>();
        while (received.size() < 30) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).join().messages();
            received.addAll(messages);
            assertThat(sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(messages.stream()
                    .map(message -> DeleteMessageBatchRequestEntry.builder().id(message.messageId().replace("-", ""))
                            .receiptHandle(message.receiptHandle()).build()).toList())).join().failed()).isEmpty();
        }

        assertThat(received).extracting(Message::body).hasSize(30);
        assertThat(depth(url)).containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
        FaultCounts counts = proxy.counts();
        assertThat(counts.calls(SqsAction.CREATE_QUEUE)).isOne();
        assertThat(counts.calls(SqsAction.SEND_MESSAGE_BATCH)).isEqualTo(3);
        assertThat(counts.calls(SqsAction.RECEIVE_MESSAGE)).isEqualTo(counts.calls(SqsAction.DELETE_MESSAGE_BATCH));
        assertThat(counts.injected()).isZero();
    }

    @Test
    void eachFailureReachesTheClientAsTheTransportDecoratorRaisesIt() {
        String url = queue("proxy-failures", Map.of());
        for (Fault kind : List.of(Fault.THROTTLING, Fault.SERVER_ERROR, Fault.CONNECTION_RESET, Fault.TIMEOUT)) {
            FaultPlan plan = FaultPlan.builder().rate(SqsAction.SEND_MESSAGE_BATCH, kind, 1).build();
            Throwable expected = InjectedErrors.of(kind, SqsAction.SEND_MESSAGE_BATCH, plan);

            Throwable seen = failure(oneAttempt(proxy(plan)).sendMessageBatch(b -> b.queueUrl(url)
                    .entries(entries(1, kind.name()))));

            assertThat(seen).as(kind.name()).isExactlyInstanceOf(expected.getClass());
            if (expected instanceof AwsServiceException service) {
                AwsServiceException answered = (AwsServiceException) seen;
                assertThat(answered.statusCode()).isEqualTo(service.statusCode());
                assertThat(answered.awsErrorDetails().errorCode()).isEqualTo(service.awsErrorDetails().errorCode());
                assertThat(answered.isThrottlingException()).isEqualTo(kind == Fault.THROTTLING);
            }
            if (kind == Fault.CONNECTION_RESET) {
                assertThat(seen).hasRootCauseExactlyInstanceOf(expected.getCause().getClass())
                        .hasRootCauseMessage(expected.getCause().getMessage());
            }
        }
        assertThat(depth(url)).as("no failed send reached the server")
                .containsEntry("ApproximateNumberOfMessages", "0");
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static Throwable failure(CompletableFuture<?> call) {
        assertThatThrownBy(call::join).isInstanceOf(CompletionException.class);
        return call.handle((response, error) -> error instanceof CompletionException ? error.getCause() : error)
                .join();
    }

    @Test
    void aLostDeleteDeletesOnTheServerWhileTheClientSeesAnError() {
        String url = queue("proxy-lost-delete", Map.of());
        direct.sendMessageBatch(b -> b.queueUrl(url).entries(entries(1, "m"))).join();
        Message message = direct.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).join().messages().get(0);
        FaultProxy proxy = proxy(FaultPlan.builder().rate(SqsAction.DELETE_MESSAGE_BATCH, Fault.LOST_RESPONSE, 1)
                .build());

        Throwable seen = failure(oneAttempt(proxy).deleteMessageBatch(b -> b.queueUrl(url).entries(
                DeleteMessageBatchRequestEntry.builder().id("d").receiptHandle(message.receiptHandle()).build())));

        assertThat(seen).isExactlyInstanceOf(SdkClientException.class).hasRootCauseMessage("Connection reset");
        assertThat(depth(url)).containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "0");
        assertThat(proxy.counts().injected(SqsAction.DELETE_MESSAGE_BATCH, Fault.LOST_RESPONSE)).isOne();
    }

    @Test
    void aLostReceiveLeavesItsMessagesInvisibleOnTheServer() {
        String url = queue("proxy-lost-receive", Map.of());
        direct.sendMessageBatch(b -> b.queueUrl(url).entries(entries(3, "m"))).join();
        FaultProxy proxy = proxy(FaultPlan.builder().rate(SqsAction.RECEIVE_MESSAGE, Fault.LOST_RESPONSE, 1)
                .build());

        Throwable seen = failure(oneAttempt(proxy).receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .visibilityTimeout(30)));

        assertThat(seen).isInstanceOf(SdkClientException.class);
        assertThat(depth(url)).containsEntry("ApproximateNumberOfMessages", "0")
                .containsEntry("ApproximateNumberOfMessagesNotVisible", "3");
    }

    @Test
    void aPartialBatchSendsOnlyTheEntriesItDoesNotReportFailed() {
        String url = queue("proxy-partial", Map.of());
        FaultProxy proxy = proxy(FaultPlan.builder().seed(3).rate(SqsAction.SEND_MESSAGE_BATCH, Fault.PARTIAL_BATCH, 1)
                .build());

        SendMessageBatchResponse sent = oneAttempt(proxy).sendMessageBatch(b -> b.queueUrl(url)
                .entries(entries(10, "body-"))).join();

        assertThat(sent.failed()).isNotEmpty().allSatisfy(failed -> {
            assertThat(failed.senderFault()).isFalse();
            assertThat(failed.code()).isEqualTo("InternalError");
        });
        assertThat(sent.successful()).hasSize(10 - sent.failed().size());
        Set<String> failedBodies = sent.failed().stream().map(BatchResultErrorEntry::id)
                .map(id -> "body-" + id.substring(1)).collect(Collectors.toSet());
        List<Message> onServer = direct.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                .join().messages();
        assertThat(onServer).extracting(Message::body).hasSize(sent.successful().size())
                .doesNotContainAnyElementsOf(failedBodies);
    }

    @Test
    void latencyDelaysTheRequestAndTheCallStillSucceeds() {
        String url = queue("proxy-latency", Map.of());
        FaultProxy proxy = proxy(FaultPlan.builder().rate(SqsAction.GET_QUEUE_ATTRIBUTES, Fault.LATENCY, 1)
                .latency(Duration.ofMillis(300)).build());

        long started = System.nanoTime();
        oneAttempt(proxy).getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn")).join();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(proxy.counts().injected(SqsAction.GET_QUEUE_ATTRIBUTES, Fault.LATENCY)).isOne();
    }

    @Test
    void anOutageRefusesConnectionsUntilItEndsAndCanFailChosenActions() {
        String url = queue("proxy-outage", Map.of());
        FaultProxy proxy = proxy(FaultPlan.none());
        SqsTransport sqs = oneAttempt(proxy);
        sqs.getQueueUrl(b -> b.queueName("proxy-outage")).join(); // a kept-alive connection is open now

        proxy.outage(Fault.CONNECTION_REFUSED);
        Throwable open = failure(sqs.getQueueUrl(b -> b.queueName("proxy-outage")));
        // A new connection is refused. The SDK may first pick the pooled connection just reset, before it sees it
        // closed: that call fails with a reset too, and the next one opens a connection.
        await().atMost(Duration.ofSeconds(5)).until(() -> rootCause(failure(sqs.getQueueUrl(b -> b.queueName(
                "proxy-outage")))) instanceof ConnectException);
        proxy.outage(Fault.SERVER_ERROR, SqsAction.RECEIVE_MESSAGE);
        Throwable serverError = failure(sqs.receiveMessage(b -> b.queueUrl(url)));
        String resolved = sqs.getQueueUrl(b -> b.queueName("proxy-outage")).join().queueUrl();
        proxy.endOutage();

        assertThat(open).as("the open connection is reset").isInstanceOf(SdkClientException.class);
        assertThat(serverError).isInstanceOfSatisfying(AwsServiceException.class,
                error -> assertThat(error.statusCode()).isEqualTo(500));
        assertThat(resolved).isEqualTo(url);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).join().messages()).isEmpty();
        assertThat(proxy.counts().injected(Fault.CONNECTION_REFUSED)).as("resets; refused connections never arrive")
                .isPositive();
    }

    @Test
    void closingTheProxyEndsHeldAndDelayedRequestsAtOnce() {
        String url = queue("proxy-close", Map.of());
        FaultProxy proxy = FaultProxy.builder(server.endpoint()).plan(FaultPlan.builder()
                .rate(SqsAction.RECEIVE_MESSAGE, Fault.TIMEOUT, 1)
                .rate(SqsAction.GET_QUEUE_URL, Fault.LATENCY, 1).latency(Duration.ofMinutes(1)).build()).start();
        SqsTransport sqs = oneAttempt(proxy, Duration.ofSeconds(30));
        CompletableFuture<?> held = sqs.receiveMessage(b -> b.queueUrl(url));
        CompletableFuture<?> delayed = sqs.getQueueUrl(b -> b.queueName("proxy-close"));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.counts().injected() == 2);

        long closing = System.nanoTime();
        proxy.close();

        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> held.isDone() && delayed.isDone());
        assertThat(held).isCompletedExceptionally();
        assertThat(delayed).isCompletedExceptionally();
    }

    @Test
    void aWorkerBehindTheProxyHandlesEveryMessageWhenFivePercentOfCallsFail() {
        String dlqUrl = queue("orders-dlq", Map.of());
        String arn = direct.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNamesWithStrings("QueueArn")).join()
                .attributesAsStrings().get("QueueArn");
        String url = queue("orders", Map.of("VisibilityTimeout", "2", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"20\"}"));
        List<String> bodies = new ArrayList<>();
        for (int batch = 0; batch < 30; batch++) {
            List<SendMessageBatchRequestEntry> entries = entries(10, "order-" + batch + "-");
            entries.forEach(entry -> bodies.add(entry.messageBody()));
            direct.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).join();
        }
        FaultProxy proxy = proxy(FaultPlan.builder().seed(7).allActions(0.05).lostResponseShare(1 / 3.0).build());
        SqsTransport transport = SqsTransport.create(config(proxy.endpoint()));
        cleanup.add(transport);
        FaultInjectedWorkerTest.Orders orders = new FaultInjectedWorkerTest.Orders();
        Worker worker = Worker.builder().transport(transport).handlers(orders)
                .config(WorkerConfig.builder().waitTime(Duration.ofSeconds(1)).build()).build();
        cleanup.add(() -> worker.stop(Duration.ofSeconds(5)));
        worker.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> orders.handled.size() == bodies.size()
                && depth(url).equals(Map.of("ApproximateNumberOfMessages", "0",
                        "ApproximateNumberOfMessagesNotVisible", "0")));

        FaultCounts counts = proxy.counts();
        System.out.println("FaultProxyIT: a worker through the proxy, 300 messages\n" + counts.report());
        assertThat(orders.handled).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(depth(dlqUrl)).containsEntry("ApproximateNumberOfMessages", "0");
        // Seed 7 fails the 16th ReceiveMessage (a reset) and loses the 29th; 300 messages take at least 30 receives.
        assertThat(counts.injected(SqsAction.RECEIVE_MESSAGE, Fault.LOST_RESPONSE)).isPositive();
        assertThat(counts.failed(SqsAction.RECEIVE_MESSAGE)).isGreaterThanOrEqualTo(2);
    }
}
