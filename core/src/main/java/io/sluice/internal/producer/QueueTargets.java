package io.sluice.internal.producer;

import io.sluice.internal.batch.Batcher;
import io.sluice.internal.batch.SendAction;
import io.sluice.internal.batch.SendEntry;
import io.sluice.internal.support.Failures;
import io.sluice.internal.support.MessageRules;
import io.sluice.internal.support.QueueRef;
import io.sluice.transport.SqsTransport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The queues a producer sends to, each resolved once and cached: a name through {@code GetQueueUrl} (a URL as given,
 * which may be another account's), then its {@code FifoQueue}, {@code ContentBasedDeduplication}, {@code
 * MaximumMessageSize} and {@code MessageRetentionPeriod} through {@code GetQueueAttributes}, and a {@link Batcher} of
 * its own. A producer allowed only {@code sqs:SendMessage} cannot read the attributes: its checks then use SQS's
 * maximums, and SQS judges the rest. A failed resolution is not cached: the next send tries again. Thread safe.
 */
public final class QueueTargets {

    /** SQS's longest retention: the limit for a due time when the queue's own cannot be read. */
    static final Duration MAX_RETENTION = Duration.ofDays(14);
    private static final Logger LOG = LoggerFactory.getLogger(QueueTargets.class);

    private final SqsTransport transport;
    private final Function<String, String> names;
    private final Consumer<Batcher.Builder<SendEntry, SendMessageBatchResultEntry>> batcherSettings;
    private final Map<String, CompletableFuture<QueueTarget>> targets = new ConcurrentHashMap<>();

    /**
     * @param names           resolves placeholders in a queue as given (identity when there are none)
     * @param batcherSettings applies the producer's settings (scheduler, window, attempts, calls) to each batcher
     */
    public QueueTargets(SqsTransport transport, Function<String, String> names,
            Consumer<Batcher.Builder<SendEntry, SendMessageBatchResultEntry>> batcherSettings) {
        this.transport = transport;
        this.names = names;
        this.batcherSettings = batcherSettings;
    }

    /** The queue given as {@code queue} (a name, a URL, or either behind a placeholder), resolved once. */
    public CompletableFuture<QueueTarget> target(String queue) {
        CompletableFuture<QueueTarget> known = targets.get(queue);
        if (known != null) {
            return known; // every send after the first: no allocation, no callback
        }
        CompletableFuture<QueueTarget> created = new CompletableFuture<>();
        CompletableFuture<QueueTarget> raced = targets.putIfAbsent(queue, created);
        if (raced != null) {
            return raced;
        }
        resolve(queue).whenComplete((target, error) -> {
            if (error != null) {
                targets.remove(queue, created); // not cached: the next send tries again
                created.completeExceptionally(error);
            } else {
                created.complete(target);
            }
        });
        return created;
    }

    /** Sends what every queue's batcher holds; completes when every message submitted so far is settled. */
    public CompletableFuture<Void> flush() {
        return CompletableFuture.allOf(targets.values().stream()
                .map(target -> target.isDone() && !target.isCompletedExceptionally()
                        ? target.join().sends().flush() : CompletableFuture.completedFuture(null))
                .toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<QueueTarget> resolve(String queue) {
        QueueRef ref;
        try {
            ref = QueueRef.parse(names.apply(queue));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<String> url = ref.hasUrl() ? CompletableFuture.completedFuture(ref.url())
                : transport.getQueueUrl(b -> b.queueName(ref.name()).queueOwnerAWSAccountId(ref.account()))
                        .thenApply(response -> response.queueUrl());
        return url.thenCompose(resolved -> transport.getQueueAttributes(b -> b.queueUrl(resolved).attributeNames(
                                QueueAttributeName.FIFO_QUEUE, QueueAttributeName.CONTENT_BASED_DEDUPLICATION,
                                QueueAttributeName.MAXIMUM_MESSAGE_SIZE, QueueAttributeName.MESSAGE_RETENTION_PERIOD))
                        .handle((response, error) -> {
                            if (error == null) {
                                return target(queue, ref, resolved, response.attributesAsStrings());
                            }
                            Throwable cause = Failures.unwrap(error);
                            if (!deniedAccess(cause)) {
                                throw new CompletionException(cause);
                            }
                            LOG.info("Cannot read the attributes of queue '{}' ({}): sends to it are checked against"
                                    + " SQS's maximums, and SQS judges the rest", queue, cause.getMessage());
                            return target(queue, ref, resolved, Map.of());
                        }));
    }

    /** {@code attributes} empty: they could not be read; a FIFO queue is then taken to deduplicate by content. */
    private QueueTarget target(String queue, QueueRef ref, String url, Map<String, String> attributes) {
        MessageRules.Limits limits = !attributes.isEmpty() ? MessageRules.Limits.of(attributes)
                : new MessageRules.Limits(ref.fifo(), ref.fifo(), MessageRules.MAX_MESSAGE_SIZE);
        String retention = attributes.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD.toString());
        Duration keeps = retention != null ? Duration.ofSeconds(Long.parseLong(retention)) : MAX_RETENTION;
        Batcher.Builder<SendEntry, SendMessageBatchResultEntry> sends = Batcher.builder(new SendAction(transport, url),
                ref.name()).maxBatchBytes(MessageRules.MAX_MESSAGE_SIZE);
        batcherSettings.accept(sends);
        if (limits.fifo()) {
            sends.orderedBy(entry -> entry.entry().messageGroupId()); // SQS keeps a group in the order it accepted
        }
        return new QueueTarget(queue, url, limits, keeps, sends.build());
    }

    /** An answer that says this caller may not read the queue's attributes (it may still send). */
    private static boolean deniedAccess(Throwable cause) {
        if (cause instanceof QueueDoesNotExistException || !(cause instanceof SqsException sqs)) {
            return false;
        }
        String code = sqs.awsErrorDetails() == null ? null : sqs.awsErrorDetails().errorCode();
        return sqs.statusCode() == 403 || "AccessDenied".equals(code) || "AccessDeniedException".equals(code);
    }
}
