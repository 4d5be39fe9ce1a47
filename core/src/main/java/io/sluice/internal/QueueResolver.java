package io.sluice.internal;

import io.sluice.QueueConfig;
import io.sluice.internal.support.Failures;
import io.sluice.internal.support.QueueNames;
import io.sluice.internal.support.QueueRef;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.SqsUnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Turns queue names into URLs, optionally creating a missing queue together with its dead-letter queue and a
 * {@code RedrivePolicy} that moves a message there after {@code maxReceiveCount} receives. A queue given by URL is used
 * as given (no {@code GetQueueUrl}, never created); a dead-letter queue in another account than its queue is resolved
 * with the account of its ARN.
 */
public final class QueueResolver {

    private static final Logger LOG = LoggerFactory.getLogger(QueueResolver.class);

    /** The longest one attempt of a startup call may take: a healthy endpoint answers in milliseconds. */
    static final Duration MAX_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    /** The longest one startup call may take, retries included, so that an endpoint that never answers fails fast. */
    static final Duration MAX_CALL_TIMEOUT = Duration.ofSeconds(10);

    private final SqsTransport transport;
    private final Scheduler scheduler;
    private final Duration callTimeout;
    private final Duration attemptTimeout;

    /**
     * @param startupTimeout the worker's startup timeout: no single call takes longer (nor longer than 10s)
     * @param scheduler times the probe of an endpoint that did not answer
     */
    public QueueResolver(SqsTransport transport, Duration startupTimeout, Scheduler scheduler) {
        this.transport = transport;
        this.scheduler = scheduler;
        this.callTimeout = startupTimeout.compareTo(MAX_CALL_TIMEOUT) < 0 ? startupTimeout : MAX_CALL_TIMEOUT;
        this.attemptTimeout = callTimeout.compareTo(MAX_ATTEMPT_TIMEOUT) < 0 ? callTimeout : MAX_ATTEMPT_TIMEOUT;
    }

    /** The per-call timeouts of startup calls, so a silent endpoint fails within seconds, naming the cause. */
    private AwsRequestOverrideConfiguration timeouts() {
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(callTimeout)
                .apiCallAttemptTimeout(attemptTimeout).build();
    }

    /**
     * Fails with what went wrong in a startup call about {@code queue}: {@link SqsUnavailableException} when the
     * endpoint cannot be reached (naming it and why), else a {@link QueueProblem} saying {@code what} failed. When the
     * call only timed out, a plain connection to the endpoint (when the transport names one) tells whether anything
     * listens there.
     */
    private <T> CompletableFuture<T> failure(String what, String queue, String usedBy, Throwable error) {
        Throwable cause = Failures.unwrap(error);
        if (cause instanceof QueueProblem || cause instanceof SqsUnavailableException) {
            return CompletableFuture.failedFuture(cause);
        }
        Optional<String> unreachable = SqsUnavailableException.reason(cause);
        String where = ", while resolving queue '" + queue + "' for " + usedBy;
        if (unreachable.isPresent()) {
            CompletableFuture<Optional<String>> why = unreachable.get().startsWith("timed out")
                    ? transport.endpoint().map(endpoint -> EndpointProbe.whyNoAnswer(endpoint, scheduler,
                            EndpointProbe.TIMEOUT)).orElseGet(() -> CompletableFuture.completedFuture(unreachable))
                    : CompletableFuture.completedFuture(unreachable);
            return why.thenCompose(reason -> CompletableFuture.failedFuture(new SqsUnavailableException(
                    "cannot reach " + transport + ": " + reason.orElse(unreachable.get()) + where, cause)));
        }
        if (cause instanceof SdkClientException) {
            // The call never got an answer from SQS (no credentials, a client failure): not a problem of the queue.
            return CompletableFuture.failedFuture(new SqsUnavailableException("cannot call " + transport + ": "
                    + Failures.rootMessage(cause) + where, cause));
        }
        return CompletableFuture.failedFuture(new QueueProblem(what + ": " + cause, cause));
    }

    /**
     * The URL of {@code ref}: the one given, or else SQS's for its name, creating the queue when {@code create} is
     * set and it does not exist.
     *
     * @param usedBy named in errors, e.g. {@code OrderProcessor.handle}
     * @return a future failing with a {@link QueueProblem} that names the queue and its user
     */
    public CompletableFuture<String> resolve(QueueRef ref, String usedBy, QueueConfig config, boolean create) {
        if (ref.hasUrl()) {
            return CompletableFuture.completedFuture(ref.url());
        }
        String queue = ref.name();
        return transport.getQueueUrl(GetQueueUrlRequest.builder().queueName(queue).overrideConfiguration(timeouts())
                        .build())
                .thenApply(GetQueueUrlResponse::queueUrl)
                .handle((url, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(url);
                    }
                    Throwable cause = Failures.unwrap(error);
                    if (cause instanceof QueueDoesNotExistException) {
                        if (create) {
                            return create(queue, usedBy, config);
                        }
                        return CompletableFuture.<String>failedFuture(new QueueProblem("queue '" + queue
                                + "' used by " + usedBy + " does not exist; create it (with its dead-letter queue) or"
                                + " let the worker create it (WorkerConfig.createQueues / sluice.create-queues=true)",
                                cause));
                    }
                    return this.<String>failure("cannot resolve queue '" + queue + "' used by " + usedBy,
                            queue, usedBy, cause);
                })
                .thenCompose(future -> future);
    }

    private CompletableFuture<String> create(String queue, String usedBy, QueueConfig config) {
        boolean fifo = QueueNames.isFifo(queue);
        Map<String, String> attributes = new HashMap<>();
        if (fifo) {
            attributes.put(QueueAttributeName.FIFO_QUEUE.toString(), "true");
        }
        CompletableFuture<Map<String, String>> withRedrive;
        if (config.deadLetterQueueDisabled()) {
            withRedrive = CompletableFuture.completedFuture(attributes);
        } else {
            String dlq = config.deadLetterQueue().orElse(QueueNames.defaultDeadLetterQueue(queue));
            int maxReceiveCount = config.maxReceiveCount().orElse(QueueConfig.DEFAULT_MAX_RECEIVE_COUNT);
            withRedrive = createQueue(dlq, Map.copyOf(attributes))
                    .thenCompose(dlqUrl -> transport.getQueueAttributes(GetQueueAttributesRequest.builder()
                            .queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN)
                            .overrideConfiguration(timeouts()).build()))
                    .thenApply(response -> {
                        String arn = response.attributes().get(QueueAttributeName.QUEUE_ARN);
                        Map<String, String> redriven = new HashMap<>(attributes);
                        redriven.put(QueueAttributeName.REDRIVE_POLICY.toString(),
                                "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}");
                        LOG.info("Created dead-letter queue '{}' for queue '{}' (maxReceiveCount {})", dlq, queue,
                                maxReceiveCount);
                        return redriven;
                    });
        }
        return withRedrive
                .thenCompose(queueAttributes -> createQueue(queue, queueAttributes))
                .whenComplete((url, error) -> {
                    if (error == null) {
                        LOG.info("Created queue '{}' for {}", queue, usedBy);
                    }
                })
                .exceptionallyCompose(error -> failure("cannot create queue '" + queue + "' used by " + usedBy,
                        queue, usedBy, error));
    }

    private CompletableFuture<String> createQueue(String name, Map<String, String> attributes) {
        return transport.createQueue(CreateQueueRequest.builder().queueName(name).attributesWithStrings(attributes)
                        .overrideConfiguration(timeouts()).build())
                .thenApply(response -> response.queueUrl());
    }

    /**
     * What the worker needs to know about a resolved queue, read once at startup: its {@code VisibilityTimeout}, its
     * {@code RedrivePolicy} ({@code maxReceiveCount} and the dead-letter queue its {@code deadLetterTargetArn} names),
     * or else the dead-letter queue named in its configuration; and that queue's URL, asked of SQS in the ARN's account
     * ({@code QueueOwnerAWSAccountId}) when it differs from the queue's own.
     *
     * @return a future failing with a {@link QueueProblem} when the queue cannot be read or its DLQ does not exist
     */
    public CompletableFuture<QueueFacts> describe(QueueRef ref, String url, String usedBy, QueueConfig config) {
        String queue = ref.toString();
        return transport.getQueueAttributes(GetQueueAttributesRequest.builder().queueUrl(url)
                        .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.REDRIVE_POLICY)
                        .overrideConfiguration(timeouts()).build())
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(
                        ref.hasUrl() && Failures.unwrap(error) instanceof QueueDoesNotExistException
                                ? new QueueProblem("queue '" + queue + "' used by " + usedBy + " does not exist; a"
                                        + " queue given by URL is used as given, never created", Failures.unwrap(error))
                                : error))
                .thenCompose(response -> {
                    Map<String, String> attributes = response.attributesAsStrings();
                    Integer visibility = parseInt(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT.toString()));
                    Redrive redrive = Redrive.parse(attributes.get(QueueAttributeName.REDRIVE_POLICY.toString()));
                    QueueRef dlq = redrive != null ? redrive.deadLetterQueue()
                            : config.deadLetterQueue().map(QueueRef::parse).orElse(null);
                    Integer maxReceiveCount = redrive != null ? redrive.maxReceiveCount() : null;
                    if (dlq == null) {
                        return CompletableFuture.completedFuture(new QueueFacts(url, visibility, maxReceiveCount,
                                null, null));
                    }
                    String owner = dlq.account() != null && !dlq.account().equals(accountOf(url)) ? dlq.account()
                            : null;
                    return transport.getQueueUrl(GetQueueUrlRequest.builder().queueName(dlq.name())
                                    .queueOwnerAWSAccountId(owner).overrideConfiguration(timeouts()).build())
                            .thenApply(dlqUrl -> new QueueFacts(url, visibility, maxReceiveCount, dlq.name(),
                                    dlqUrl.queueUrl()))
                            .exceptionallyCompose(error -> failure("the dead-letter queue '" + dlq.name() + "'"
                                    + (owner == null ? "" : " of account " + owner) + " of queue '" + queue
                                    + "' (used by " + usedBy + ") cannot be resolved", queue, usedBy, error));
                })
                .exceptionallyCompose(error -> failure("cannot read the attributes of queue '" + queue + "' used by "
                        + usedBy, queue, usedBy, error));
    }

    /** The account in {@code url}'s path, or {@code null} when it has none. */
    private static String accountOf(String url) {
        try {
            return QueueRef.parse(url).account();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Integer parseInt(String value) {
        try {
            return value == null ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A resolved queue.
     *
     * @param visibilityTimeoutSeconds its {@code VisibilityTimeout} attribute, or null when not reported
     * @param maxReceiveCount          its RedrivePolicy's, or null without one
     * @param deadLetterQueue          the DLQ's name, from the RedrivePolicy or configuration, or null
     * @param deadLetterUrl            the DLQ's URL, or null
     */
    public record QueueFacts(String url, Integer visibilityTimeoutSeconds, Integer maxReceiveCount,
            String deadLetterQueue, String deadLetterUrl) {
    }

    /** A queue's {@code RedrivePolicy}: its dead-letter queue is the one {@code deadLetterTargetArn} names. */
    record Redrive(QueueRef deadLetterQueue, int maxReceiveCount) {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
                new com.fasterxml.jackson.databind.ObjectMapper();

        /** Parses the attribute's JSON; null when absent or unreadable. */
        static Redrive parse(String json) {
            if (json == null || json.isBlank()) {
                return null;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(json);
                String arn = node.path("deadLetterTargetArn").asText("");
                int max = node.path("maxReceiveCount").asInt(node.path("maxReceiveCount").isTextual()
                        ? Integer.parseInt(node.path("maxReceiveCount").asText("0")) : 0);
                if (arn.isEmpty() || max < 1) {
                    LOG.warn("Ignoring an unreadable RedrivePolicy: {}", json);
                    return null;
                }
                return new Redrive(QueueRef.fromArn(arn), max);
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                LOG.warn("Ignoring an unreadable RedrivePolicy: {}", json);
                return null;
            }
        }
    }

    /** A queue that cannot be used; the message names the queue and the handler that needs it. */
    public static final class QueueProblem extends RuntimeException {
        QueueProblem(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
