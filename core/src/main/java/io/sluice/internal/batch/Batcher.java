package io.sluice.internal.batch;

import io.sluice.internal.support.Backoff;
import io.sluice.internal.support.Failures;
import io.sluice.internal.support.PendingCount;
import io.sluice.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;

/**
 * The one batching core of Sluice, behind deletes, visibility changes, dead-letter sends, re-sends of scheduled
 * messages and the producer: entries submitted one by one (or many at once) go out in calls of at most ten entries and
 * at most {@link Builder#maxBatchBytes} bytes; a batch goes out as soon as it is full, or when its oldest entry has
 * waited the flush interval (at once when the interval is zero). At most {@link Builder#maxCallsInFlight} calls run at
 * once; further batches wait their turn.
 *
 * <p>Each entry is settled on its own, through the future {@link #submit} returned: with its result when SQS did it;
 * retried with the one {@link Backoff} when it failed for a transient reason (the call failed, a server-side entry error,
 * an entry the response did not mention), up to the attempts allowed; failed for good, with a {@link
 * BatchEntryException} naming SQS's error code, when SQS blamed the request or attempts ran out (or with the call's own
 * exception when the call failed for a reason retrying cannot fix). No entry is ever dropped: {@link #flush()} completes
 * only when every entry submitted so far is settled.
 *
 * <p>Thread safe. Under load {@link #submit} runs on every handler thread at once: the lock guards only the buffer, never
 * a call or a scheduler action. An entry's future completes on the thread that settles it (an SDK completion thread),
 * so what depends on it must be quick.
 *
 * @param <E> what a caller submits
 * @param <R> what one entry's success returns
 */
public final class Batcher<E, R> {

    /** Entries per batch call: SQS's maximum. */
    public static final int MAX_ENTRIES = 10;
    private static final List<String> IDS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

    private final BatchAction<E, R> action;
    private final String queue;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Duration flushInterval;
    private final int maxAttempts;
    private final Backoff backoff;
    private final int maxCallsInFlight;
    private final long maxBatchBytes;

    private final List<Entry<E, R>> buffer = new ArrayList<>();
    private long bufferBytes;
    /** A flush check is scheduled; it stays scheduled while entries wait, so full batches never cancel it. */
    private boolean flushScheduled;
    private final ArrayDeque<List<Entry<E, R>>> waiting = new ArrayDeque<>();
    /** The message group of an entry, when a group's entries must reach SQS in order; else {@code null}. */
    private final Function<? super E, String> groupOf;
    private final GroupOrder<Entry<E, R>> order = new GroupOrder<>();
    private int callsInFlight;
    private final PendingCount unsettled = new PendingCount();

    private Batcher(Builder<E, R> builder) {
        this.action = builder.action;
        this.queue = builder.queue;
        this.scheduler = builder.scheduler;
        this.clock = scheduler.clock();
        this.flushInterval = builder.flushInterval;
        this.maxAttempts = builder.maxAttempts;
        this.backoff = builder.backoff;
        this.maxCallsInFlight = builder.maxCallsInFlight;
        this.maxBatchBytes = builder.maxBatchBytes;
        this.groupOf = builder.groupOf;
    }

    /** A batcher performing {@code action} on the queue named {@code queue} (named in errors). */
    public static <E, R> Builder<E, R> builder(BatchAction<E, R> action, String queue) {
        return new Builder<>(action, queue);
    }

    /** Queues {@code entry}; the future completes with its result, or with why it failed for good. */
    public CompletableFuture<R> submit(E entry) {
        Entry<E, R> queued = newEntry(entry);
        enqueue(List.of(queued), false);
        return queued.result;
    }

    /**
     * Queues every entry and sends them at once, without waiting for the flush interval: packed into as few calls as
     * the entry and byte limits allow.
     *
     * @return each entry's future, in the order given
     */
    public List<CompletableFuture<R>> submitAll(List<? extends E> entries) {
        List<CompletableFuture<R>> results = new ArrayList<>(entries.size());
        List<Entry<E, R>> queued = new ArrayList<>(entries.size());
        for (E entry : entries) {
            Entry<E, R> one = newEntry(entry);
            queued.add(one);
            results.add(one.result);
        }
        enqueue(queued, true);
        return results;
    }

    /** Entries not yet settled: buffered, waiting for a call slot, in a call, or waiting for a retry. */
    public int unsettled() {
        return unsettled.get();
    }

    /**
     * Sends every buffered entry now, and returns a future that completes when every entry submitted so far is settled
     * (including retries).
     */
    public CompletableFuture<Void> flush() {
        List<List<Entry<E, R>>> ready = new ArrayList<>();
        synchronized (this) {
            cut(ready);
            flushScheduled = false; // a check still scheduled finds the buffer empty, or schedules itself again
        }
        CompletableFuture<Void> settled = unsettled.whenZero(); // what was cut is still counted
        ready.forEach(this::dispatch);
        return settled;
    }

    private Entry<E, R> newEntry(E entry) {
        Objects.requireNonNull(entry, "entry");
        unsettled.increment();
        return new Entry<>(entry, action.size(entry), groupOf == null ? null : groupOf.apply(entry));
    }

    /** Whether the entry may be buffered now, rather than held behind its group's outstanding one. Holding the lock. */
    private boolean admitted(Entry<E, R> entry) {
        return entry.group == null || order.admit(entry.group, entry);
    }

    /** Adds to the buffer, first closing the batch it would not fit in, then closing it when full. Holding the lock. */
    private void add(Entry<E, R> entry, List<List<Entry<E, R>>> ready) {
        if (!buffer.isEmpty() && bufferBytes + entry.size > maxBatchBytes) {
            cut(ready);
        }
        buffer.add(entry);
        bufferBytes += entry.size;
        if (buffer.size() >= MAX_ENTRIES) {
            cut(ready);
        }
    }

    /** Closes the buffered entries into a batch, if any. Holding the lock. */
    private void cut(List<List<Entry<E, R>>> ready) {
        if (!buffer.isEmpty()) {
            ready.add(new ArrayList<>(buffer));
            buffer.clear();
            bufferBytes = 0;
        }
    }

    /**
     * The flush check: sends what is buffered once the oldest entry has waited the flush interval; until then (full
     * batches went out meanwhile, and newer entries wait) it checks again when that entry falls due.
     */
    private void flushDue() {
        List<List<Entry<E, R>>> ready = new ArrayList<>(1);
        long waitMillis = -1;
        synchronized (this) {
            if (buffer.isEmpty()) {
                flushScheduled = false;
            } else {
                long due = buffer.get(0).enqueuedAtMillis + flushInterval.toMillis();
                long now = clock.millis();
                if (now >= due) {
                    cut(ready);
                    flushScheduled = false;
                } else {
                    waitMillis = due - now;
                }
            }
        }
        if (waitMillis >= 0) {
            scheduler.schedule(Duration.ofMillis(Math.max(1, waitMillis)), this::flushDue);
        }
        ready.forEach(this::dispatch);
    }

    /** Sends the batch now, or queues it behind the calls in flight. */
    private void dispatch(List<Entry<E, R>> batch) {
        synchronized (this) {
            if (callsInFlight >= maxCallsInFlight) {
                waiting.add(batch);
                return;
            }
            callsInFlight++;
        }
        call(batch);
    }

    private void call(List<Entry<E, R>> batch) {
        List<E> entries = new ArrayList<>(batch.size());
        for (Entry<E, R> entry : batch) {
            entry.attempts++;
            entries.add(entry.value);
        }
        List<String> ids = IDS.subList(0, batch.size());
        CompletableFuture<BatchReply<R>> reply;
        try {
            reply = action.call(entries, ids);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((response, error) -> {
            callEnded();
            if (error != null) {
                onCallFailed(batch, Failures.unwrap(error));
            } else {
                onReply(batch, ids, response);
            }
        });
    }

    /** A call slot came free: the next waiting batch takes it. */
    private void callEnded() {
        List<Entry<E, R>> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                callsInFlight--;
            }
        }
        if (next != null) {
            call(next);
        }
    }

    private void onReply(List<Entry<E, R>> batch, List<String> ids, BatchReply<R> reply) {
        Settling settling = new Settling();
        for (int i = 0; i < batch.size(); i++) {
            Entry<E, R> entry = batch.get(i);
            String id = ids.get(i);
            BatchResultErrorEntry failure = reply.failed().get(id);
            if (failure == null && reply.successful().containsKey(id)) {
                settling.settle(entry, reply.successful().get(id), null);
            } else if (failure == null) {
                settling.retryOrFail(entry, failed(entry, "the response listed the entry neither as successful nor as"
                        + " failed", null, false));
            } else {
                boolean senderFault = Boolean.TRUE.equals(failure.senderFault());
                BatchEntryException cause = failed(entry, failure.code() + ": " + failure.message(), failure.code(),
                        senderFault);
                if (senderFault) {
                    settling.settle(entry, null, cause); // e.g. ReceiptHandleIsInvalid: retrying cannot help
                } else {
                    settling.retryOrFail(entry, cause);
                }
            }
        }
        settling.finish();
    }

    private void onCallFailed(List<Entry<E, R>> batch, Throwable cause) {
        boolean permanent = Failures.isPermanent(cause);
        Settling settling = new Settling();
        for (Entry<E, R> entry : batch) {
            if (permanent) {
                settling.settle(entry, null, cause);
            } else {
                settling.retryOrFail(entry, cause);
            }
        }
        settling.finish();
    }

    private BatchEntryException failed(Entry<E, R> entry, String reason, String code, boolean senderFault) {
        return new BatchEntryException(what(entry), "failed: " + reason, code, senderFault);
    }

    private String what(Entry<E, R> entry) {
        return action.description() + " of " + action.describe(entry.value) + " on queue '" + queue + "'";
    }

    /**
     * What one response leaves to do, done together: entries to try again, grouped by their back-off so that they go
     * out together; and, for ordered groups, each settled entry's successor, buffered together so that they share calls.
     */
    private final class Settling {
        private final Map<Duration, List<Entry<E, R>>> retries = new TreeMap<>();
        private final List<Entry<E, R>> released = new ArrayList<>();

        void retryOrFail(Entry<E, R> entry, Throwable cause) {
            if (entry.attempts >= maxAttempts) {
                settle(entry, null, cause);
                return;
            }
            Duration delay = backoff.after(entry.attempts);
            LOG.debug("Retrying the {} of {} on queue '{}' in {} ms (attempt {} of {}): {}", action.description(),
                    action.describe(entry.value), queue, delay.toMillis(), entry.attempts + 1, maxAttempts,
                    cause.toString());
            retries.computeIfAbsent(delay, ignored -> new ArrayList<>()).add(entry);
        }

        /** Completes the entry's future; an ordered group then lets its next entry go, or fails those held. */
        void settle(Entry<E, R> entry, R result, Throwable failure) {
            complete(entry, result, failure);
            if (entry.group == null) {
                return;
            }
            Entry<E, R> next = null;
            List<Entry<E, R>> held = List.of();
            synchronized (Batcher.this) {
                if (failure == null) {
                    next = order.accepted(entry.group);
                } else {
                    held = order.failed(entry.group);
                }
            }
            if (next != null) {
                released.add(next);
            }
            for (Entry<E, R> behind : held) {
                complete(behind, null, new BatchEntryException(what(behind), "not attempted: the "
                        + action.description() + " of " + action.describe(entry.value) + ", earlier in its message"
                        + " group, failed, and sending a later message of the group would break its order", null,
                        false));
            }
        }

        void finish() {
            retries.forEach((delay, entries) -> scheduler.schedule(delay, () -> enqueue(entries, false)));
            if (!released.isEmpty()) {
                enqueue(released, false);
            }
        }
    }

    /**
     * Buffers entries (new, or back for another attempt) and sends what is full, or everything when not batching or
     * when {@code sendNow}.
     */
    private void enqueue(List<Entry<E, R>> entries, boolean sendNow) {
        long now = clock.millis();
        List<List<Entry<E, R>>> ready = new ArrayList<>();
        boolean schedule = false;
        synchronized (this) {
            for (Entry<E, R> entry : entries) {
                entry.enqueuedAtMillis = now;
                if (admitted(entry)) {
                    add(entry, ready);
                }
            }
            if (sendNow || flushInterval.isZero()) {
                cut(ready);
            } else if (!buffer.isEmpty() && !flushScheduled) {
                flushScheduled = true;
                schedule = true;
            }
        }
        ready.forEach(this::dispatch);
        if (schedule) {
            scheduler.schedule(flushInterval, this::flushDue);
        }
    }

    private void complete(Entry<E, R> entry, R result, Throwable failure) {
        try {
            if (failure == null) {
                entry.result.complete(result);
            } else {
                LOG.debug("The {} of {} on queue '{}' failed after {} attempt(s): {}", action.description(),
                        action.describe(entry.value), queue, entry.attempts, failure.toString());
                entry.result.completeExceptionally(failure);
            }
        } finally {
            unsettled.decrement();
        }
    }

    @Override
    public String toString() {
        return "Batcher{" + action.description() + " on '" + queue + "', " + unsettled + " unsettled}";
    }

    private static final class Entry<E, R> {
        final E value;
        final int size;
        /** Its message group when groups are kept in order, else {@code null}. */
        final String group;
        final CompletableFuture<R> result = new CompletableFuture<>();
        int attempts;
        long enqueuedAtMillis;

        Entry(E value, int size, String group) {
            this.value = value;
            this.size = size;
            this.group = group;
        }
    }

    /** Settings of a {@link Batcher}; each fails fast naming a bad value. */
    public static final class Builder<E, R> {
        private final BatchAction<E, R> action;
        private final String queue;
        private Scheduler scheduler;
        private Duration flushInterval = Duration.ZERO;
        private int maxAttempts = 3;
        private Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(5));
        private int maxCallsInFlight = Integer.MAX_VALUE;
        private long maxBatchBytes = Long.MAX_VALUE;
        private Function<? super E, String> groupOf;

        private Builder(BatchAction<E, R> action, String queue) {
            this.action = Objects.requireNonNull(action, "action");
            this.queue = Objects.requireNonNull(queue, "queue");
        }

        /** Where flush checks and retries are scheduled, and whose clock times the flush interval. Required. */
        public Builder<E, R> scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** How long the oldest buffered entry waits for others before its batch goes out; zero sends at once. */
        public Builder<E, R> flushInterval(Duration flushInterval) {
            if (flushInterval == null || flushInterval.isNegative()) {
                throw new IllegalArgumentException("flushInterval must be zero or positive, but was " + flushInterval);
            }
            this.flushInterval = flushInterval;
            return this;
        }

        /** Calls an entry may take in all, the first included (at least 1). */
        public Builder<E, R> maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The wait before an entry's next attempt. */
        public Builder<E, R> backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Calls running at once (at least 1); further full batches wait. Unbounded by default. */
        public Builder<E, R> maxCallsInFlight(int maxCallsInFlight) {
            if (maxCallsInFlight < 1) {
                throw new IllegalArgumentException("maxCallsInFlight must be at least 1, but was " + maxCallsInFlight);
            }
            this.maxCallsInFlight = maxCallsInFlight;
            return this;
        }

        /** The most bytes ({@link BatchAction#size}) one call carries; a larger single entry goes alone. */
        public Builder<E, R> maxBatchBytes(long maxBatchBytes) {
            if (maxBatchBytes < 1) {
                throw new IllegalArgumentException("maxBatchBytes must be at least 1, but was " + maxBatchBytes);
            }
            this.maxBatchBytes = maxBatchBytes;
            return this;
        }

        /**
         * Keeps each message group's entries in the order submitted, as a FIFO queue needs: one entry of a group at a
         * time, the next only once SQS accepted it; when one fails for good, those held behind it fail too, unsent.
         * {@code groupOf} gives an entry's group ({@code null}: none, sent freely).
         */
        public Builder<E, R> orderedBy(Function<? super E, String> groupOf) {
            this.groupOf = Objects.requireNonNull(groupOf, "groupOf");
            return this;
        }

        public Batcher<E, R> build() {
            if (scheduler == null) {
                throw new IllegalStateException("a Batcher needs a scheduler (queue '" + queue + "')");
            }
            return new Batcher<>(this);
        }
    }
}
