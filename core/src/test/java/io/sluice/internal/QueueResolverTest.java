package io.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.QueueConfig;
import io.sluice.internal.support.QueueRef;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.time.VirtualTime;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

class QueueResolverTest {

    private static final String OTHER_ACCOUNT = "210987654321";
    private static final String CROSS_ACCOUNT_REDRIVE = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:"
            + OTHER_ACCOUNT + ":orders-dlq\",\"maxReceiveCount\":5}";

    private final InMemorySqs sqs = InMemorySqs.builder().scheduler(new VirtualTime()).build();
    private final FakeSqsTransport fake = new FakeSqsTransport();

    @AfterEach
    void close() {
        sqs.close();
    }

    private static CompletableFuture<QueueResolver.QueueFacts> resolve(SqsTransport transport, String queue,
            boolean create) {
        QueueResolver resolver = new QueueResolver(transport, Duration.ofSeconds(5), new VirtualTime());
        QueueRef ref = QueueRef.parse(queue);
        return resolver.resolve(ref, "OrderProcessor.handle", QueueConfig.empty(), create)
                .thenCompose(url -> resolver.describe(ref, url, "OrderProcessor.handle", QueueConfig.empty()));
    }

    @Test
    void aQueueGivenByUrlIsUsedAsGivenWithoutGetQueueUrl() {
        fake.withQueue("orders");

        QueueResolver.QueueFacts facts = resolve(fake, FakeSqsTransport.urlOf("orders"), true).join();

        assertThat(facts.url()).isEqualTo(FakeSqsTransport.urlOf("orders"));
        assertThat(fake.getQueueUrlRequests()).isEmpty();
        assertThat(fake.createQueueRequests()).isEmpty();
    }

    @Test
    void aQueueGivenByUrlKeepsItsDeadLetterQueue() {
        String dlqUrl = sqs.createQueue(b -> b.queueName("orders-dlq")).join().queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNamesWithStrings("QueueArn")).join()
                .attributesAsStrings().get("QueueArn");
        String url = sqs.createQueue(b -> b.queueName("orders").attributesWithStrings(Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":4}"))).join().queueUrl();

        QueueResolver.QueueFacts facts = resolve(sqs, url, false).join();

        assertThat(facts).isEqualTo(new QueueResolver.QueueFacts(url, 30, 4, "orders-dlq", dlqUrl));
    }

    @Test
    void aMissingQueueGivenByUrlIsNotCreatedAndFailsNamingIt() {
        String url = "http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/orders";

        assertThat(resolve(sqs, url, true)).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(QueueResolver.QueueProblem.class)
                .withMessage("queue '" + url + "' used by OrderProcessor.handle does not exist; a queue given by URL"
                        + " is used as given, never created");
        assertThat(sqs.getQueueUrl(b -> b.queueName("orders"))).as("not created").isCompletedExceptionally();
    }

    @Test
    void aDeadLetterQueueInTheQueuesAccountIsAskedForByName() {
        fake.withRedrive("orders", "orders-dlq", 5, 30);

        QueueResolver.QueueFacts facts = resolve(fake, "orders", false).join();

        assertThat(facts.deadLetterUrl()).isEqualTo(FakeSqsTransport.urlOf("orders-dlq"));
        assertThat(fake.getQueueUrlRequests()).extracting(GetQueueUrlRequest::queueName)
                .containsExactly("orders", "orders-dlq");
        assertThat(fake.getQueueUrlRequests()).extracting(GetQueueUrlRequest::queueOwnerAWSAccountId)
                .containsOnlyNulls();
    }

    @Test
    void aDeadLetterQueueInAnotherAccountIsAskedForInThatAccount() {
        fake.withQueue("orders", Map.of("RedrivePolicy", CROSS_ACCOUNT_REDRIVE)).withQueue("orders-dlq");

        QueueResolver.QueueFacts facts = resolve(fake, FakeSqsTransport.urlOf("orders"), false).join();

        assertThat(facts.deadLetterQueue()).isEqualTo("orders-dlq");
        assertThat(facts.maxReceiveCount()).isEqualTo(5);
        assertThat(fake.getQueueUrlRequests()).singleElement().satisfies(request -> {
            assertThat(request.queueName()).isEqualTo("orders-dlq");
            assertThat(request.queueOwnerAWSAccountId()).isEqualTo(OTHER_ACCOUNT);
        });
    }

    @Test
    void aDeadLetterQueueThatItsAccountDoesNotShareFailsNamingTheAccount() {
        fake.withQueue("orders", Map.of("RedrivePolicy", CROSS_ACCOUNT_REDRIVE));
        // What SQS answers, as InMemorySqs does, for a queue of an account that does not share it.
        fake.onGetQueueUrl(request -> CompletableFuture.<GetQueueUrlResponse>failedFuture(
                QueueDoesNotExistException.builder().message("The specified queue does not exist.").statusCode(400)
                        .build()));

        assertThat(resolve(fake, FakeSqsTransport.urlOf("orders"), false)).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(QueueResolver.QueueProblem.class)
                .withMessageContaining("the dead-letter queue 'orders-dlq' of account " + OTHER_ACCOUNT + " of queue '"
                        + FakeSqsTransport.urlOf("orders") + "' (used by OrderProcessor.handle) cannot be resolved");
    }

    @Test
    void aCallThatTimedOutIsExplainedByAProbeOfTheEndpoint() throws Exception {
        // A loaded machine can time a call out before the client ever tried to connect: the endpoint itself says why.
        try (java.net.Socket bound = new java.net.Socket()) {
            bound.bind(new java.net.InetSocketAddress("127.0.0.1", 0)); // bound, not listening: refused
            java.net.URI endpoint = java.net.URI.create("http://127.0.0.1:" + bound.getLocalPort());
            fake.onGetQueueUrl(request -> CompletableFuture.<GetQueueUrlResponse>failedFuture(
                    software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException.create(5000)));
            SqsTransport timingOut = new io.sluice.transport.ForwardingSqsTransport(fake) {
                @Override
                public java.util.Optional<java.net.URI> endpoint() {
                    return java.util.Optional.of(endpoint);
                }

                @Override
                public String toString() {
                    return "SQS at " + endpoint;
                }
            };

            assertThat(resolve(timingOut, "orders", false)).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(io.sluice.transport.SqsUnavailableException.class)
                    .withMessage("cannot reach SQS at " + endpoint + ": connection refused, while resolving queue"
                            + " 'orders' for OrderProcessor.handle");
        }
    }

    @Test
    void aCallThatTimedOutOnATransportWithoutEndpointSaysItTimedOut() {
        fake.onGetQueueUrl(request -> CompletableFuture.<GetQueueUrlResponse>failedFuture(
                software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(10000)));

        assertThat(resolve(fake, "orders", false)).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(io.sluice.transport.SqsUnavailableException.class)
                .withMessageContaining(": timed out (no answer), while resolving queue 'orders' for OrderProcessor.handle");
    }
}
