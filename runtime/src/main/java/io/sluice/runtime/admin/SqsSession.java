package io.sluice.runtime.admin;

import io.sluice.producer.SqsProducer;
import io.sluice.runtime.SluiceSettings;
import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.SqsUnavailableException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One command's connection to SQS: an AWS SDK client built from the settings exactly as the worker builds its own
 * ({@link SqsClientConfig#newClient()}), blocking calls whose failures name the action and the queue, queue URLs looked
 * up once, and a producer on the same client when a command sends.
 */
final class SqsSession implements AutoCloseable {

    /** Longer than any call the CLI makes (a receive waits 2 s at most; the SDK retries within this). */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);

    private final SqsAsyncClient client;
    private final SluiceSettings settings;
    private final String where;
    private final Map<String, QueueRef> queues = new HashMap<>();
    private SqsProducer producer;

    private SqsSession(SqsAsyncClient client, SluiceSettings settings, String where) {
        this.client = client;
        this.settings = settings;
        this.where = where;
    }

    /**
     * A session with a client from {@code settings}.
     *
     * @throws AdminException for a bad setting, or when no region is configured
     */
    static SqsSession open(SluiceSettings settings) {
        SqsAsyncClient client;
        try {
            client = settings.clientConfig().newClient();
        } catch (IllegalArgumentException | SqsUnavailableException e) {
            throw new AdminException(e.getMessage(), e);
        }
        String endpoint = client.serviceClientConfiguration().endpointOverride().map(URI::toString)
                .orElse("the AWS endpoint");
        return new SqsSession(client, settings, endpoint + " (region " + client.serviceClientConfiguration().region()
                + ")");
    }

    /** The endpoint and region the session calls, for messages. */
    String where() {
        return where;
    }

    SqsAsyncClient client() {
        return client;
    }

    /** Waits for {@code call}, an {@code action} on {@code queue}; fails naming both and why. */
    <T> T call(String action, QueueRef queue, CompletableFuture<T> call) {
        return call(action + " on queue '" + queue.name() + "'", call);
    }

    /**
     * Waits for {@code call}.
     *
     * @param what what the call does, as the error names it: {@code "ListQueues"}
     * @throws AdminException naming {@code what} and why it failed
     */
    <T> T call(String what, CompletableFuture<T> call) {
        try {
            return call.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AdminException(what + " failed: " + SqsErrors.describe(e, where), SqsErrors.unwrap(e));
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new AdminException(what + " failed: " + where + " did not answer within "
                    + CALL_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new AdminException(what + " was interrupted", e);
        }
    }

    /** The queue named {@code queue} (or at that URL), its URL looked up once. */
    QueueRef queue(String queue) {
        if (QueueRef.isUrl(queue)) {
            return QueueRef.ofUrl(queue);
        }
        return queues.computeIfAbsent(queue, name -> new QueueRef(name,
                call("GetQueueUrl for queue '" + name + "'", client.getQueueUrl(b -> b.queueName(name))).queueUrl()));
    }

    /** The queue with ARN {@code arn}, in its owner's account. */
    QueueRef queueOfArn(String arn) {
        String name = QueueRef.nameOfArn(arn);
        String account = QueueRef.accountOfArn(arn);
        return queues.computeIfAbsent(arn, key -> new QueueRef(name, call("GetQueueUrl for queue '" + name + "'",
                client.getQueueUrl(b -> b.queueName(name).queueOwnerAWSAccountId(account))).queueUrl()));
    }

    /** The {@code names} attributes of {@code queue} that it has. */
    Map<String, String> attributes(QueueRef queue, List<QueueAttributeName> names) {
        return call("GetQueueAttributes", queue, client.getQueueAttributes(b -> b.queueUrl(queue.url())
                .attributeNames(names))).attributesAsStrings();
    }

    /**
     * A producer on this session's client, with the {@code sluice.producer.*} settings, as a worker application's
     * {@code SqsProducer} would send.
     */
    SqsProducer producer() {
        if (producer == null) {
            try {
                producer = settings.applyTo(SqsProducer.builder().transport(SqsTransport.of(client))).build();
            } catch (IllegalArgumentException e) {
                throw new AdminException(e.getMessage(), e);
            }
        }
        return producer;
    }

    @Override
    public void close() {
        try {
            if (producer != null) {
                producer.close();
            }
        } finally {
            client.close();
        }
    }
}
