package io.sluice.transport.memory;

import io.sluice.internal.support.MessageRules;
import io.sluice.internal.support.QueueNames;
import io.sluice.time.Scheduler;
import io.sluice.time.SystemScheduler;
import io.sluice.transport.SqsTransport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * An {@link SqsTransport} that keeps its queues in memory and behaves like Amazon SQS: visibility timeouts, receipt
 * handles that change on every receive, {@code ApproximateReceiveCount} and the other system attributes (a sent
 * {@code AWSTraceHeader} among them, returned when asked for, by name or {@code All}), {@code RedrivePolicy}
 * dead-lettering, FIFO group ordering, deduplication and {@code ReceiveRequestAttemptId}, fair queues'
 * {@code MessageGroupId}, delays, retention, long polls, the batch rules, size and character limits, and SQS's error
 * kinds. Where SQS and its emulators disagree, it follows SQS.
 *
 * <pre>{@code
 * VirtualTime time = new VirtualTime();
 * InMemorySqs sqs = InMemorySqs.builder().scheduler(time).build();
 * // ... a test advances time: time.advance(Duration.ofMinutes(15)) runs in microseconds
 * }</pre>
 *
 * <p>All timing (visibility, delays, retention, the deduplication and receive-attempt windows, the end of a long poll)
 * uses the {@link Scheduler}'s clock and {@code schedule}; nothing sleeps. On a {@code VirtualTime} a test decides when
 * time passes; on the system scheduler (the default) it is a real local broker. A long poll never blocks the caller:
 * its future completes as soon as a message becomes available or when the wait ends. Futures complete inline (on the
 * calling thread, or the scheduler's when a long poll ends later) unless {@link Builder#completionExecutor} names the
 * executor to complete them on, as the AWS SDK completes its futures on its own response threads.
 *
 * <p>Thread safe, with one lock per queue and no global state: any number of instances can run in parallel.
 *
 * <p>FIFO delivery follows SQS: a receive takes a group's messages in order from its head while they are visible and
 * stops at the first one in flight or delayed, so a head made visible again is handed out while later messages of its
 * group are still in flight, and a receive with {@code VisibilityTimeout=0} may return several messages of a group. A
 * FIFO queue's {@code DelaySeconds} change applies to the messages already queued and not yet received; a message
 * moved to a FIFO dead-letter queue counts its retention from the move (from its send on a standard one).
 *
 * <p>Receipt handles follow SQS. Deleting with the latest handle succeeds however often it is repeated. On a standard
 * queue the latest handle still deletes, or hides the message again, after its visibility timeout ran out, and a
 * delete with an earlier receive's handle succeeds without deleting ("the request will succeed, but the message might
 * not be deleted"). On a FIFO queue a handle whose visibility timeout ran out, or that a later receive superseded, has
 * expired: deletes and visibility changes with it fail with {@code InvalidParameterValue} ("The receipt handle has
 * expired.") and the message is delivered again. A visibility change with an earlier receive's handle on a standard
 * queue is rejected with {@code ReceiptHandleIsInvalid}, which surfaces the stale handle in tests.
 *
 * <p>Not modelled: high-throughput FIFO ({@code DeduplicationScope} and {@code FifoThroughputLimit} are accepted and
 * ignored: deduplication is per queue), the delivery order of fair queues (a standard queue keeps and returns {@code
 * MessageGroupId} but does not favour quiet tenants over a noisy one), the format of an {@code AWSTraceHeader} (any
 * non-empty String is kept), queue policies and encryption (their attributes are accepted and ignored), the actions
 * outside {@link SqsTransport} but {@link #setQueueAttributes} (no purge, delete-queue, tags or message move tasks),
 * and the API's request rate limits. It holds the queues of one account: {@code GetQueueUrl} with another {@code
 * QueueOwnerAWSAccountId} finds none, as SQS finds none that the other account does not share.
 */
public final class InMemorySqs implements SqsTransport {

    private static final Pattern BATCH_ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Set<String> QUEUE_ATTRIBUTE_NAMES = Set.of("All", "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed", "QueueArn",
            "VisibilityTimeout", "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication", "DelaySeconds",
            "MessageRetentionPeriod", "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds", "CreatedTimestamp",
            "LastModifiedTimestamp", "Policy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
            "SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit", "RedriveAllowPolicy");

    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final Completions completions;
    private final String region;
    private final String accountId;
    private final Map<String, MemoryQueue> byName = new ConcurrentHashMap<>();
    private final Map<String, MemoryQueue> byUrl = new ConcurrentHashMap<>();
    private final Map<String, MemoryQueue> byArn = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private InMemorySqs(Builder builder) {
        this.ownsScheduler = builder.scheduler == null;
        this.scheduler = ownsScheduler ? Scheduler.system() : builder.scheduler;
        this.completions = builder.completionExecutor == null ? Completions.INLINE
                : Completions.on(builder.completionExecutor);
        this.region = builder.region;
        this.accountId = builder.accountId;
    }

    /** A builder with region {@code us-east-1}, account {@code 000000000000} and its own system scheduler. */
    public static Builder builder() {
        return new Builder();
    }

    /** An in-memory SQS on the system clock, with defaults: a real local broker. Close it to stop its scheduler. */
    public static InMemorySqs create() {
        return builder().build();
    }

    /** The scheduler whose clock this transport runs on. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * What {@code queueName} holds now (visible, in flight and delayed messages, oldest first, with every attribute and
     * no receipt handle), for tests and diagnostics. Receives nothing and changes nothing.
     *
     * @throws SqsException ({@code QueueDoesNotExistException}) when there is no such queue
     */
    public List<Message> messages(String queueName) {
        MemoryQueue queue = byName.get(queueName);
        if (queue == null) {
            throw Errors.queueDoesNotExist();
        }
        return queue.snapshot();
    }

    // ---- queues ----

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        return call(() -> {
            MemoryQueue queue = byName.get(required("QueueName", request.queueName()));
            String owner = request.queueOwnerAWSAccountId();
            if (queue == null || owner != null && !owner.equals(accountId)) {
                throw Errors.queueDoesNotExist(); // as SQS answers for a queue that another account does not share
            }
            return GetQueueUrlResponse.builder().queueUrl(queue.url).build();
        });
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return call(() -> {
            String name = required("QueueName", request.queueName());
            Map<String, String> attributes = request.attributesAsStrings();
            boolean fifo = "true".equalsIgnoreCase(attributes.get("FifoQueue"));
            if (!QueueNames.isValid(name, fifo)) {
                throw Errors.invalidParameter("Can only include alphanumeric characters, hyphens, or underscores."
                        + " 1 to 80 in length" + (fifo ? "; a FIFO queue's name ends in .fifo" : "") + ": '" + name + "'");
            }
            QueueSettings settings = QueueSettings.defaults(fifo).with(attributes, true);
            checkRedriveTarget(settings);
            synchronized (this) {
                MemoryQueue existing = byName.get(name);
                if (existing != null) {
                    QueueSettings current = existing.settings();
                    if (!current.with(attributes, true).equals(current)) {
                        throw Errors.queueNameExists(name);
                    }
                    return CreateQueueResponse.builder().queueUrl(existing.url).build();
                }
                String url = "http://sqs." + region + ".localhost.localstack.cloud:4566/" + accountId + "/" + name;
                String arn = "arn:aws:sqs:" + region + ":" + accountId + ":" + name;
                MemoryQueue queue = new MemoryQueue(this, name, url, arn, settings, scheduler, completions);
                byName.put(name, queue);
                byUrl.put(url, queue);
                byArn.put(arn, queue);
                return CreateQueueResponse.builder().queueUrl(url).build();
            }
        });
    }

    private void checkRedriveTarget(QueueSettings settings) {
        if (settings.redrive().targetArn() == null) {
            return;
        }
        MemoryQueue target = byArn.get(settings.redrive().targetArn());
        if (target == null) {
            throw Errors.invalidAttributeValue("RedrivePolicy", settings.redrive().policy(),
                    "Dead letter target does not exist.");
        }
        if (target.fifo != settings.fifo()) {
            throw Errors.invalidAttributeValue("RedrivePolicy", settings.redrive().policy(),
                    "Dead-letter target must be of the same type (standard or FIFO) as the source queue.");
        }
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return call(() -> {
            MemoryQueue queue = queue(request.queueUrl());
            List<String> names = request.attributeNamesAsStrings();
            for (String name : names) {
                if (!QUEUE_ATTRIBUTE_NAMES.contains(name)) {
                    throw Errors.invalidAttributeName(name);
                }
            }
            Map<String, String> all = queue.attributes();
            if (!names.contains("All")) {
                all.keySet().retainAll(new HashSet<>(names));
            }
            return GetQueueAttributesResponse.builder().attributesWithStrings(all).build();
        });
    }

    /**
     * Changes queue attributes, as SQS's {@code SetQueueAttributes} does. Not part of {@link SqsTransport}: the worker
     * never changes a queue; tests and tools may. As on SQS, a FIFO queue's new {@code DelaySeconds} applies to the
     * messages already in it that were not received yet; a standard queue's applies to later sends only.
     */
    public void setQueueAttributes(String queueUrl, Map<String, String> attributes) {
        MemoryQueue queue = queue(queueUrl);
        QueueSettings updated = queue.settings().with(attributes, false);
        checkRedriveTarget(updated);
        queue.update(updated);
    }

    // ---- messages ----

    @Override
    @SuppressWarnings("deprecation") // the legacy AttributeNames parameter still selects attributes, as on SQS
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        CompletableFuture<ReceiveMessageResponse> result = new CompletableFuture<>();
        try {
            checkOpen();
            MemoryQueue queue = queue(request.queueUrl());
            int max = request.maxNumberOfMessages() == null ? 1 : request.maxNumberOfMessages();
            if (max < 1 || max > 10) {
                throw Errors.invalidParameter("Value " + max + " for parameter MaxNumberOfMessages is invalid."
                        + " Reason: Must be between 1 and 10, if provided.");
            }
            QueueSettings settings = queue.settings();
            int wait = request.waitTimeSeconds() == null ? settings.receiveWaitTimeSeconds() : request.waitTimeSeconds();
            if (wait < 0 || wait > 20) {
                throw Errors.invalidParameter("Value " + wait + " for parameter WaitTimeSeconds is invalid."
                        + " Reason: Must be >= 0 and <= 20, if provided.");
            }
            int visibility = request.visibilityTimeout() == null ? settings.visibilityTimeout()
                    : request.visibilityTimeout();
            if (visibility < 0 || visibility > 43_200) {
                throw Errors.invalidParameter("Value " + visibility + " for parameter VisibilityTimeout is invalid."
                        + " Reason: Must be between 0 and 43200, if provided.");
            }
            List<String> system = new ArrayList<>(request.attributeNamesAsStrings());
            system.addAll(request.messageSystemAttributeNamesAsStrings());
            String attemptId = queue.fifo ? request.receiveRequestAttemptId() : null; // standard queues ignore it
            if (attemptId != null) {
                refuse(MessageRules.checkToken("ReceiveRequestAttemptId", attemptId));
            }
            queue.receive(new MemoryQueue.Receive(max, visibility, wait, Selection.of(system),
                    Selection.of(request.messageAttributeNames()), attemptId), result);
        } catch (RuntimeException e) {
            completions.fail(result, e);
        }
        return result;
    }

    /**
     * Sends each entry that {@link MessageRules} lets through and fails the others, as SQS does; fails the whole call
     * for a rule SQS fails it for (the batch's size, a FIFO entry without group or deduplication id).
     */
    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return call(() -> {
            MemoryQueue queue = queue(request.queueUrl());
            List<SendMessageBatchRequestEntry> entries = request.entries();
            checkBatch(entries.size(), entries, SendMessageBatchRequestEntry::id);
            refuse(MessageRules.checkBatchSize(entries));
            MessageRules.Limits limits = queue.settings().limits();
            List<MessageRules.Violation> violations = new ArrayList<>(entries.size());
            for (SendMessageBatchRequestEntry entry : entries) {
                MessageRules.Violation violation = MessageRules.check(entry, limits);
                if (violation != null && violation.failsBatch()) {
                    refuse(violation);
                }
                violations.add(violation);
            }
            List<SendMessageBatchResultEntry> successful = new ArrayList<>(entries.size());
            List<BatchResultErrorEntry> failed = new ArrayList<>(0);
            for (int i = 0; i < entries.size(); i++) {
                SendMessageBatchRequestEntry entry = entries.get(i);
                if (violations.get(i) != null) {
                    failed.add(Errors.entry(entry.id(), Errors.rejected(violations.get(i))));
                    continue;
                }
                Map<String, MessageAttributeValue> attributes = entry.messageAttributes();
                MessageSystemAttributeValue trace = entry.messageSystemAttributesAsStrings().get("AWSTraceHeader");
                MemoryQueue.Sent sent = queue.send(entry.messageBody(),
                        attributes.isEmpty() ? Map.of() : Map.copyOf(attributes),
                        trace == null ? null : trace.stringValue(), queue.fifo ? null : entry.delaySeconds(),
                        entry.messageGroupId(), entry.messageDeduplicationId());
                successful.add(SendMessageBatchResultEntry.builder()
                        .id(entry.id())
                        .messageId(sent.messageId())
                        .md5OfMessageBody(sent.md5OfBody())
                        .md5OfMessageAttributes(sent.md5OfAttributes())
                        .md5OfMessageSystemAttributes(sent.md5OfSystemAttributes())
                        .sequenceNumber(sent.sequenceNumber())
                        .build());
            }
            return SendMessageBatchResponse.builder().successful(successful).failed(failed).build();
        });
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return call(() -> {
            MemoryQueue queue = queue(request.queueUrl());
            List<DeleteMessageBatchRequestEntry> entries = request.entries();
            checkBatch(entries.size(), entries, DeleteMessageBatchRequestEntry::id);
            List<DeleteMessageBatchResultEntry> successful = new ArrayList<>(entries.size());
            List<BatchResultErrorEntry> failed = new ArrayList<>(0);
            for (DeleteMessageBatchRequestEntry entry : entries) {
                try {
                    queue.delete(entry.receiptHandle());
                    successful.add(DeleteMessageBatchResultEntry.builder().id(entry.id()).build());
                } catch (SqsException e) {
                    failed.add(Errors.entry(entry.id(), e));
                }
            }
            return DeleteMessageBatchResponse.builder().successful(successful).failed(failed).build();
        });
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return call(() -> {
            MemoryQueue queue = queue(request.queueUrl());
            List<ChangeMessageVisibilityBatchRequestEntry> entries = request.entries();
            checkBatch(entries.size(), entries, ChangeMessageVisibilityBatchRequestEntry::id);
            List<ChangeMessageVisibilityBatchResultEntry> successful = new ArrayList<>(entries.size());
            List<BatchResultErrorEntry> failed = new ArrayList<>(0);
            for (ChangeMessageVisibilityBatchRequestEntry entry : entries) {
                try {
                    if (entry.visibilityTimeout() == null) {
                        throw Errors.missingParameter("VisibilityTimeout");
                    }
                    queue.changeVisibility(entry.receiptHandle(), entry.visibilityTimeout());
                    successful.add(ChangeMessageVisibilityBatchResultEntry.builder().id(entry.id()).build());
                } catch (SqsException e) {
                    failed.add(Errors.entry(entry.id(), e));
                }
            }
            return ChangeMessageVisibilityBatchResponse.builder().successful(successful).failed(failed).build();
        });
    }

    private static <T> void checkBatch(int size, List<T> entries, java.util.function.Function<T, String> id) {
        if (size == 0) {
            throw Errors.emptyBatch();
        }
        if (size > 10) {
            throw Errors.tooManyEntries(size);
        }
        Set<String> seen = new HashSet<>();
        for (T entry : entries) {
            String entryId = id.apply(entry);
            if (entryId == null || !BATCH_ENTRY_ID.matcher(entryId).matches()) {
                throw Errors.invalidBatchEntryId(entryId);
            }
            if (!seen.add(entryId)) {
                throw Errors.idsNotDistinct(entryId);
            }
        }
    }

    // ---- plumbing ----

    MemoryQueue queueByArn(String arn) {
        return byArn.get(arn);
    }

    private MemoryQueue queue(String url) {
        MemoryQueue queue = byUrl.get(required("QueueUrl", url));
        if (queue == null) {
            throw Errors.queueDoesNotExist();
        }
        return queue;
    }

    /** Throws the error SQS answers {@code violation} with; does nothing for {@code null}. */
    private static void refuse(MessageRules.Violation violation) {
        if (violation != null) {
            throw Errors.rejected(violation);
        }
    }

    private static String required(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            throw Errors.missingParameter(parameter);
        }
        return value;
    }

    private <T> CompletableFuture<T> call(Supplier<T> action) {
        T value;
        try {
            checkOpen();
            value = action.get();
        } catch (RuntimeException e) {
            return completions.failed(e);
        }
        return completions.completed(value);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this InMemorySqs is closed");
        }
    }

    /** True: a cancelled long poll hands back whatever it had taken, visible at once. */
    @Override
    public boolean cancelledReceiveTakesNothing() {
        return true;
    }

    /** Ends open long polls with no messages and stops the scheduler if this transport created it. Idempotent. */
    @Override
    public void close() {
        closed = true;
        byName.values().forEach(MemoryQueue::close);
        if (ownsScheduler && scheduler instanceof SystemScheduler system) {
            system.close();
        }
    }

    @Override
    public String toString() {
        return "InMemorySqs[" + region + "/" + accountId + ", " + byName.size() + " queue(s)]";
    }

    /** Builds an {@link InMemorySqs}; each setter rejects a bad value at once, naming it. */
    public static final class Builder {
        private Scheduler scheduler;
        private Executor completionExecutor;
        private String region = "us-east-1";
        private String accountId = "000000000000";

        private Builder() {
        }

        /** The clock and scheduler for every timing; the caller keeps ownership. By default a system scheduler. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The executor on which every future this transport returns is completed, as the AWS SDK completes its futures
         * on its own response threads: continuations ({@code thenApply}, {@code whenComplete}, ...) then run there,
         * never on the caller's thread nor the scheduler's. By default futures complete inline: on the calling thread,
         * or on the scheduler's for a long poll that ends later. When the executor rejects a completion, the future
         * fails with its {@code RejectedExecutionException} and a receive's messages are made visible again at once.
         * The caller keeps ownership of the executor.
         */
        public Builder completionExecutor(Executor completionExecutor) {
            this.completionExecutor = Objects.requireNonNull(completionExecutor, "completionExecutor");
            return this;
        }

        /** The region in queue URLs and ARNs, e.g. {@code us-east-1}. */
        public Builder region(String region) {
            if (region == null || !region.matches("[a-z0-9-]{1,32}")) {
                throw new IllegalArgumentException("region must look like us-east-1, but was '" + region + "'");
            }
            this.region = region;
            return this;
        }

        /** The 12-digit account id in queue URLs and ARNs. */
        public Builder accountId(String accountId) {
            if (accountId == null || !accountId.matches("[0-9]{12}")) {
                throw new IllegalArgumentException("accountId must be 12 digits, but was '" + accountId + "'");
            }
            this.accountId = accountId;
            return this;
        }

        public InMemorySqs build() {
            return new InMemorySqs(this);
        }
    }
}
