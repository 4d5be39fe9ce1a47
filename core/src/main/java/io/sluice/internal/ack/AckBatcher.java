package io.sluice.internal.ack;

import io.sluice.Delivery;
import io.sluice.internal.support.Backoff;
import io.sluice.internal.support.Failures;
import io.sluice.internal.support.PendingCount;
import io.sluice.time.Scheduler;
import io.sluice.transport.SqsTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Batches one queue's deletes (or visibility changes) into calls of up to ten entries: a batch goes out as soon as ten
 * entries wait, or when the oldest has waited the flush interval. Each entry is settled on its own: entries that fail
 * for a transient reason (a failed call, a server-side entry error) are retried with back-off up to a number of
 * attempts; entries that fail for good (a stale receipt handle, a missing queue, attempts spent) are reported to the
 * submitter through the entry's future, and logged. None is ever dropped silently: a message whose delete failed is
 * delivered again, a duplicate rather than a loss.
 *
 * <p>Thread safe. An entry's future completes on the thread that settles it (an SDK completion thread): what depends
 * on it must be quick.
 */
public final class AckBatcher {

    /** Which batch action this batcher performs. */
    public enum Action {
        DELETE("delete"),
        CHANGE_VISIBILITY("visibility change");

        private final String description;

        Action(String description) {
            this.description = description;
        }
    }

    static final int MAX_BATCH = 10;
    private static final Logger LOG = LoggerFactory.getLogger(AckBatcher.class);
    private static final Backoff RETRY_BACKOFF = Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(5));

    private final String queue;
    private final String queueUrl;
    private final Action action;
    private final SqsTransport transport;
    private final Scheduler scheduler;
    private final Duration flushInterval;
    private final int maxAttempts;

    private final Clock clock;
    private final List<Entry> buffer = new ArrayList<>();
    private final PendingCount unsettled = new PendingCount();
    /** A flush check is scheduled; it stays scheduled while entries wait, so full batches never cancel it. */
    private boolean flushScheduled;

    public AckBatcher(String queue, String queueUrl, Action action, SqsTransport transport, Scheduler scheduler,
            Duration flushInterval, int maxAttempts) {
        this.queue = queue;
        this.queueUrl = queueUrl;
        this.action = action;
        this.transport = transport;
        this.scheduler = scheduler;
        this.flushInterval = flushInterval;
        this.maxAttempts = maxAttempts;
        this.clock = scheduler.clock();
    }

    /**
     * Queues the action for {@code message}.
     *
     * @param visibilitySeconds the new visibility timeout, for {@link Action#CHANGE_VISIBILITY}; ignored otherwise
     * @return completes normally once SQS did it, or exceptionally with why it failed for good
     */
    public CompletableFuture<Void> submit(Message message, Delivery delivery, int visibilitySeconds) {
        unsettled.increment();
        Entry entry = new Entry(message, delivery, visibilitySeconds);
        enqueue(entry);
        return entry.result;
    }

    /** Entries not yet settled: buffered, in a call, or waiting for a retry. */
    public int unsettled() {
        return unsettled.get();
    }

    /**
     * Sends every buffered entry now, and returns a future that completes when every entry submitted so far is settled
     * (including retries).
     */
    public CompletableFuture<Void> flush() {
        List<List<Entry>> batches;
        synchronized (this) {
            batches = drainBuffer();
        }
        CompletableFuture<Void> settled = unsettled.whenZero(); // what was drained is still counted
        batches.forEach(this::send);
        return settled;
    }

    /**
     * Under load this runs on every handler thread at once: the lock guards only the buffer (no scheduler call, no
     * cancellation), so a thread preempted while holding it delays the others as little as possible.
     */
    private void enqueue(Entry entry) {
        if (flushInterval.isZero()) {
            synchronized (this) {
                buffer.add(entry);
            }
            flushAll();
            return;
        }
        entry.enqueuedAtMillis = clock.millis();
        List<Entry> full = null;
        boolean schedule = false;
        synchronized (this) {
            buffer.add(entry);
            if (buffer.size() >= MAX_BATCH) {
                full = new ArrayList<>(buffer.subList(0, MAX_BATCH));
                buffer.subList(0, MAX_BATCH).clear();
            } else if (!flushScheduled) {
                flushScheduled = true;
                schedule = true;
            }
        }
        if (full != null) {
            send(full);
        }
        if (schedule) {
            scheduler.schedule(flushInterval, this::flushDue);
        }
    }

    /**
     * The flush check: sends what is buffered once the oldest entry has waited the flush interval; until then (full
     * batches went out meanwhile, and newer entries wait) it checks again when that entry falls due.
     */
    private void flushDue() {
        List<List<Entry>> batches = List.of();
        long waitMillis = -1;
        synchronized (this) {
            if (buffer.isEmpty()) {
                flushScheduled = false;
            } else {
                long due = buffer.get(0).enqueuedAtMillis + flushInterval.toMillis();
                long now = clock.millis();
                if (now >= due) {
                    batches = drainBuffer();
                } else {
                    waitMillis = due - now;
                }
            }
        }
        if (waitMillis >= 0) {
            scheduler.schedule(Duration.ofMillis(Math.max(1, waitMillis)), this::flushDue);
        }
        batches.forEach(this::send);
    }

    private void flushAll() {
        List<List<Entry>> batches;
        synchronized (this) {
            batches = drainBuffer();
        }
        batches.forEach(this::send);
    }

    /** Takes every buffered entry in batches of at most ten. Call holding the lock. */
    private List<List<Entry>> drainBuffer() {
        flushScheduled = false; // a check still scheduled finds the buffer empty, or schedules itself again
        List<List<Entry>> batches = new ArrayList<>();
        for (int from = 0; from < buffer.size(); from += MAX_BATCH) {
            batches.add(new ArrayList<>(buffer.subList(from, Math.min(buffer.size(), from + MAX_BATCH))));
        }
        buffer.clear();
        return batches;
    }

    private void send(List<Entry> batch) {
        for (Entry entry : batch) {
            entry.attempts++;
        }
        CompletableFuture<List<BatchResultErrorEntry>> call;
        Set<String> successful = new HashSet<>();
        try {
            if (action == Action.DELETE) {
                List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    entries.add(DeleteMessageBatchRequestEntry.builder()
                            .id(Integer.toString(i))
                            .receiptHandle(batch.get(i).message.receiptHandle())
                            .build());
                }
                call = transport.deleteMessageBatch(DeleteMessageBatchRequest.builder()
                                .queueUrl(queueUrl).entries(entries).build())
                        .thenApply(response -> {
                            response.successful().forEach(ok -> successful.add(ok.id()));
                            return response.failed();
                        });
            } else {
                List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id(Integer.toString(i))
                            .receiptHandle(batch.get(i).message.receiptHandle())
                            .visibilityTimeout(batch.get(i).visibilitySeconds)
                            .build());
                }
                call = transport.changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest.builder()
                                .queueUrl(queueUrl).entries(entries).build())
                        .thenApply(response -> {
                            response.successful().forEach(ok -> successful.add(ok.id()));
                            return response.failed();
                        });
            }
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((failed, error) -> {
            if (error != null) {
                onCallFailed(batch, Failures.unwrap(error));
            } else {
                onCallCompleted(batch, successful, failed);
            }
        });
    }

    private void onCallCompleted(List<Entry> batch, Set<String> successful, List<BatchResultErrorEntry> failed) {
        Map<String, BatchResultErrorEntry> failures = new HashMap<>();
        for (BatchResultErrorEntry failure : failed) {
            failures.put(failure.id(), failure);
        }
        for (int i = 0; i < batch.size(); i++) {
            String id = Integer.toString(i);
            Entry entry = batch.get(i);
            BatchResultErrorEntry failure = failures.get(id);
            if (failure == null && successful.contains(id)) {
                settle(entry, null);
            } else if (failure == null) {
                retryOrFail(entry, new EntryFailedException(queue, action, entry.delivery,
                        "the response listed the entry neither as successful nor as failed"));
            } else {
                EntryFailedException cause = new EntryFailedException(queue, action, entry.delivery,
                        failure.code() + ": " + failure.message());
                if (Boolean.TRUE.equals(failure.senderFault())) {
                    settle(entry, cause); // e.g. ReceiptHandleIsInvalid: retrying cannot help
                } else {
                    retryOrFail(entry, cause);
                }
            }
        }
    }

    private void onCallFailed(List<Entry> batch, Throwable cause) {
        boolean permanent = Failures.isPermanent(cause);
        for (Entry entry : batch) {
            if (permanent) {
                settle(entry, cause);
            } else {
                retryOrFail(entry, cause);
            }
        }
    }

    private void retryOrFail(Entry entry, Throwable cause) {
        if (entry.attempts >= maxAttempts) {
            settle(entry, cause);
            return;
        }
        long delay = RETRY_BACKOFF.after(entry.attempts).toMillis();
        LOG.debug("Retrying {} of {} in {} ms (attempt {} of {}): {}", action.description, entry.delivery, delay,
                entry.attempts + 1, maxAttempts, cause.toString());
        scheduler.schedule(Duration.ofMillis(delay), () -> enqueue(entry));
    }

    private void settle(Entry entry, Throwable failure) {
        if (failure == null) {
            entry.result.complete(null);
        } else {
            LOG.debug("The {} of {} failed after {} attempt(s): {}", action.description, entry.delivery,
                    entry.attempts, failure.toString());
            entry.result.completeExceptionally(failure);
        }
        unsettled.decrement();
    }

    private static final class Entry {
        final Message message;
        final Delivery delivery;
        final int visibilitySeconds;
        final CompletableFuture<Void> result = new CompletableFuture<>();
        int attempts;
        long enqueuedAtMillis;

        Entry(Message message, Delivery delivery, int visibilitySeconds) {
            this.message = message;
            this.delivery = delivery;
            this.visibilitySeconds = visibilitySeconds;
        }
    }

    /** One entry of a batch call failed; the message names the action, queue, message id and SQS's reason. */
    static final class EntryFailedException extends RuntimeException {
        EntryFailedException(String queue, Action action, Delivery delivery, String reason) {
            super(action.description + " of message " + delivery.messageId() + " on queue '" + queue + "' failed: "
                    + reason, null, false, false);
        }
    }
}
