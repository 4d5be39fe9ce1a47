package io.sluice.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.SluiceJson;
import io.sluice.internal.batch.BatchEntryException;
import io.sluice.internal.batch.Batcher;
import io.sluice.internal.batch.SendEntry;
import io.sluice.internal.producer.Draft;
import io.sluice.internal.producer.MessageEncoder;
import io.sluice.internal.producer.QueueTarget;
import io.sluice.internal.producer.QueueTargets;
import io.sluice.internal.support.Backoff;
import io.sluice.internal.support.Failures;
import io.sluice.internal.support.Placeholders;
import io.sluice.time.Scheduler;
import io.sluice.time.SystemScheduler;
import io.sluice.transport.SqsTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Sends typed messages to SQS queues: one message ({@link #send}), or any number ({@link #sendAll}) packed into {@code
 * SendMessageBatch} calls of up to ten messages within SQS's 1 MiB per call, several calls at once up to a bound.
 * Payloads are written as JSON with the same {@code ObjectMapper} a worker binds them with (a {@code String} is sent as
 * it is); nothing is wrapped around them, so any SQS consumer reads them.
 *
 * <pre>{@code
 * SqsProducer producer = SqsProducer.create(transport);            // or injected by Sluice's Guice module
 * producer.send("order-processing", order);                        // blocks; the message id and sequence number
 * producer.sendAll("order-processing", orders).throwIfAnyFailed(); // each message's outcome
 * producer.sendAsync("payments.fifo", OutgoingMessage.of(payment).group(customerId).deduplicationId(transactionId));
 * }</pre>
 *
 * <ul>
 *   <li><b>Checks before any request.</b> A message SQS would refuse (body or attribute characters, the queue's
 *       {@code MaximumMessageSize} for body plus attributes, more than ten attributes, reserved or malformed attribute
 *       names and types, numbers out of SQS's range, a FIFO message without a group, a delay on a FIFO queue,
 *       deduplication ids) fails with a {@link SendFailedException} naming the queue, the message and the limit, and
 *       with the error code SQS would have returned; in {@code sendAll} the others are still sent.</li>
 *   <li><b>Retries.</b> A call that fails for a transient reason, and an entry SQS failed without blaming the
 *       request, are tried again with back-off ({@link Builder#maxAttempts}); only those entries. A message is reported
 *       as sent only when SQS listed it as successful. A retried send whose first response was lost can deliver a
 *       message twice (on a FIFO queue with a deduplication id, SQS drops the copy).</li>
 *   <li><b>FIFO order.</b> On a FIFO queue each message group reaches SQS in the order given: a group's next message
 *       goes only once SQS accepted the one before (other groups fill the calls meanwhile), and when one fails for
 *       good the group's later ones fail unsent, so none overtakes it.</li>
 *   <li><b>Queues</b> are named or given by URL (another account's too), or by a placeholder such as {@code
 *       ${orders.queue}}; each is resolved once ({@code GetQueueUrl}, {@code GetQueueAttributes}) and cached.</li>
 *   <li><b>Scheduled delivery.</b> {@link OutgoingMessage#delay} and {@link OutgoingMessage#deliverAt} take any time
 *       up to the queue's retention period; see {@link OutgoingMessage}.</li>
 *   <li><b>Batching single sends.</b> With {@link Builder#batchWindow} set, single sends made within the window share
 *       calls (fewer requests, a little latency).</li>
 * </ul>
 *
 * <p>Thread safe; one producer serves a whole application. Its batching, retries and result correlation are the same
 * component the worker acknowledges messages with.
 */
public final class SqsProducer implements AutoCloseable {

    private final SqsTransport transport;
    private final boolean ownsTransport;
    private final SystemScheduler ownScheduler;
    private final Clock clock;
    private final MessageEncoder encoder;
    private final QueueTargets targets;

    private SqsProducer(Builder builder) {
        this.transport = builder.transport;
        this.ownsTransport = builder.ownsTransport;
        this.ownScheduler = builder.scheduler == null ? Scheduler.system() : null;
        Scheduler scheduler = builder.scheduler != null ? builder.scheduler : ownScheduler;
        this.clock = scheduler.clock();
        this.encoder = new MessageEncoder(builder.objectMapper != null ? builder.objectMapper
                : SluiceJson.defaultMapper(), builder.hooks);
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(5));
        Function<String, Optional<String>> values = builder.placeholders;
        this.targets = new QueueTargets(transport, queue -> Placeholders.resolve(queue, values, "SqsProducer"), sends -> sends.scheduler(scheduler)
                .flushInterval(builder.batchWindow).maxAttempts(builder.maxAttempts)
                .maxCallsInFlight(builder.maxCallsInFlight).backoff(backoff));
    }

    /** A producer with the defaults, on {@code transport} (which the caller keeps and closes). */
    public static SqsProducer create(SqsTransport transport) {
        return builder().transport(transport).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends {@code message} (an {@link OutgoingMessage}, or a payload to send as it is) to {@code queue}.
     *
     * @return completes with SQS's answer, or fails with a {@link SendFailedException}
     */
    public CompletableFuture<SendResult> sendAsync(String queue, Object message) {
        Objects.requireNonNull(queue, "queue");
        OutgoingMessage outgoing = asMessage(message);
        Draft draft;
        try {
            draft = encoder.draft(queue, outgoing, "message (" + typeOf(outgoing) + ")", clock.instant());
        } catch (SendFailedException e) {
            return CompletableFuture.failedFuture(e);
        }
        return targets.target(queue)
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(unresolved(queue, draft.label(), error)))
                .thenCompose(target -> target.sends().submit(encoder.fit(draft, target, clock.instant()))
                        .handle((sent, error) -> {
                            if (error != null) {
                                throw notSent(queue, draft.label(), error);
                            }
                            return result(sent);
                        }));
    }

    /** {@link #sendAsync}, waiting for the answer. */
    public SendResult send(String queue, Object message) {
        return await(sendAsync(queue, message));
    }

    /**
     * Sends every message (each an {@link OutgoingMessage}, or a payload to send as it is) to {@code queue}, in as few
     * calls as SQS's limits allow, and reports each message's outcome. Never fails as a whole: a message refused
     * before sending, or by SQS, is reported with why, and the others are still sent.
     */
    public CompletableFuture<SendAllResult> sendAllAsync(String queue, Collection<?> messages) {
        Objects.requireNonNull(queue, "queue");
        List<?> all = List.copyOf(messages);
        SendOutcome[] outcomes = new SendOutcome[all.size()];
        List<Draft> drafts = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            OutgoingMessage outgoing = asMessage(all.get(i));
            String label = "message " + (i + 1) + " of " + all.size() + " (" + typeOf(outgoing) + ")";
            try {
                drafts.add(encoder.draft(queue, outgoing, label, clock.instant()));
            } catch (SendFailedException e) {
                drafts.add(null);
                outcomes[i] = new SendOutcome.Failed(i, e);
            }
        }
        return targets.target(queue).handle((target, error) -> {
            if (error != null) {
                for (int i = 0; i < outcomes.length; i++) {
                    if (outcomes[i] == null) {
                        outcomes[i] = new SendOutcome.Failed(i, unresolved(queue, drafts.get(i).label(), error));
                    }
                }
                return CompletableFuture.completedFuture(new SendAllResult(queue, List.of(outcomes)));
            }
            return sendAll(queue, target, drafts, outcomes);
        }).thenCompose(Function.identity());
    }

    /** {@link #sendAllAsync}, waiting for every outcome. */
    public SendAllResult sendAll(String queue, Collection<?> messages) {
        return await(sendAllAsync(queue, messages));
    }

    /** Sends what single sends left waiting for the batch window; completes when every send so far is settled. */
    public CompletableFuture<Void> flush() {
        return targets.flush();
    }

    /** Sends what waits and waits for every send to settle; then closes what the producer owns. */
    @Override
    public void close() {
        try {
            await(flush());
        } finally {
            if (ownScheduler != null) {
                ownScheduler.close();
            }
            if (ownsTransport) {
                transport.close();
            }
        }
    }

    private CompletableFuture<SendAllResult> sendAll(String queue, QueueTarget target, List<Draft> drafts,
            SendOutcome[] outcomes) {
        List<SendEntry> entries = new ArrayList<>(drafts.size());
        List<Integer> indexes = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            if (outcomes[i] != null) {
                continue;
            }
            try {
                entries.add(encoder.fit(drafts.get(i), target, clock.instant()));
                indexes.add(i);
            } catch (SendFailedException e) {
                outcomes[i] = new SendOutcome.Failed(i, e);
            }
        }
        List<CompletableFuture<SendMessageBatchResultEntry>> sent = target.sends().submitAll(entries);
        List<CompletableFuture<Void>> settled = new ArrayList<>(sent.size());
        for (int k = 0; k < sent.size(); k++) {
            int index = indexes.get(k);
            settled.add(sent.get(k).handle((entry, error) -> {
                outcomes[index] = error == null ? new SendOutcome.Sent(index, result(entry))
                        : new SendOutcome.Failed(index, notSent(queue, drafts.get(index).label(), error));
                return null;
            }));
        }
        return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new SendAllResult(queue, List.of(outcomes)));
    }

    private static OutgoingMessage asMessage(Object message) {
        Objects.requireNonNull(message, "message");
        return message instanceof OutgoingMessage outgoing ? outgoing : OutgoingMessage.of(message);
    }

    private static String typeOf(OutgoingMessage message) {
        return message.payload().getClass().getSimpleName();
    }

    private static SendResult result(SendMessageBatchResultEntry entry) {
        return new SendResult(entry.messageId(), entry.sequenceNumber());
    }

    /** Why a message was not sent once it was handed to the batcher: SQS refused it, or the calls kept failing. */
    private static SendFailedException notSent(String queue, String label, Throwable error) {
        Throwable cause = Failures.unwrap(error);
        if (cause instanceof SendFailedException refused) {
            return refused;
        }
        if (cause instanceof BatchEntryException entry) {
            return new SendFailedException(queue, label + " to queue '" + queue + "' was not sent: the send "
                    + entry.reason(), entry.code(), entry.senderFault(), false, entry);
        }
        return new SendFailedException(queue, label + " to queue '" + queue + "' was not sent: " + cause, code(cause),
                Failures.isPermanent(cause), false, cause);
    }

    private static SendFailedException unresolved(String queue, String label, Throwable error) {
        Throwable cause = Failures.unwrap(error);
        return new SendFailedException(queue, label + " to queue '" + queue + "' was not sent: the queue cannot be"
                + " resolved: " + cause, code(cause), Failures.isPermanent(cause), false, cause);
    }

    private static String code(Throwable cause) {
        return cause instanceof SqsException sqs && sqs.awsErrorDetails() != null
                ? sqs.awsErrorDetails().errorCode() : null;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = Failures.unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CompletionException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    @Override
    public String toString() {
        return "SqsProducer{" + transport + '}';
    }

    /** Settings of an {@link SqsProducer}; each fails fast naming a bad value. */
    public static final class Builder {
        private SqsTransport transport;
        private boolean ownsTransport;
        private ObjectMapper objectMapper;
        private Scheduler scheduler;
        private Duration batchWindow = Duration.ZERO;
        private int maxCallsInFlight = 16;
        private int maxAttempts = 3;
        private final List<SendHook> hooks = new ArrayList<>();
        private Function<String, Optional<String>> placeholders = Placeholders.systemLookup();

        private Builder() {
        }

        /** The queue service. The caller keeps ownership: {@link SqsProducer#close()} does not close it. */
        public Builder transport(SqsTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            this.ownsTransport = false;
            return this;
        }

        /** The queue service, closed by {@link SqsProducer#close()}. */
        public Builder ownedTransport(SqsTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            this.ownsTransport = true;
            return this;
        }

        /** The JSON mapper payloads are written with; by default {@link SluiceJson#defaultMapper()}, as the worker's. */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
            return this;
        }

        /** Time, the batch window and retry back-offs; by default the system clock with a thread the producer owns. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * How long a single send waits for others to the same queue to share its call; zero (the default) sends each
         * at once. {@code sendAll} never waits.
         */
        public Builder batchWindow(Duration batchWindow) {
            if (batchWindow == null || batchWindow.isNegative() || batchWindow.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("batchWindow must be from 0 to 1s, but was " + batchWindow);
            }
            this.batchWindow = batchWindow;
            return this;
        }

        /** {@code SendMessageBatch} calls running at once per queue (default 16); further batches wait their turn. */
        public Builder maxCallsInFlight(int maxCallsInFlight) {
            if (maxCallsInFlight < 1) {
                throw new IllegalArgumentException("maxCallsInFlight must be at least 1, but was " + maxCallsInFlight);
            }
            this.maxCallsInFlight = maxCallsInFlight;
            return this;
        }

        /** Calls a message may take in all, retries included (default 3). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("maxAttempts must be from 1 to 10, but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Adds a hook run for every message before it is checked, e.g. to add a trace context attribute. */
        public Builder hook(SendHook hook) {
            hooks.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * Where placeholders in queue names ({@code ${orders.queue}}, {@code ${orders.queue:orders-dev}}) take their
         * values; by default system properties, then environment variables ({@code ORDERS_QUEUE}), as the worker's
         * {@code WorkerConfig.placeholders()} does. An unresolved placeholder fails the send, naming the key.
         */
        public Builder placeholders(Function<String, Optional<String>> values) {
            this.placeholders = Objects.requireNonNull(values, "values");
            return this;
        }

        public SqsProducer build() {
            if (transport == null) {
                throw new IllegalStateException("a transport is required: transport(SqsTransport.of(client))");
            }
            return new SqsProducer(this);
        }
    }
}
