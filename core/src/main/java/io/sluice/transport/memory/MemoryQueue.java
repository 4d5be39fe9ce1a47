package io.sluice.transport.memory;

import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * One in-memory queue: its messages, their visibility, long polls waiting on it, and its deduplication window.
 *
 * <p>Thread safe: every operation holds the queue's monitor briefly and never calls out while holding it. Futures are
 * completed, and dead-lettered messages handed to their DLQ, after the monitor is released, so a caller's continuation
 * may re-enter any queue.
 *
 * <p>Its messages by state are in a {@link MessageStore}; a FIFO queue's groups, which decide what a receive may take,
 * in {@link FifoGroups}, and its receive attempts in {@link ReceiveAttempts}. This class holds SQS's rules for
 * receiving, deleting and changing visibility, and the long polls; what a send may carry is checked before, by {@link
 * io.sluice.internal.support.MessageRules}.
 */
final class MemoryQueue {

    static final long MAX_VISIBILITY_MILLIS = 43_200_000L;
    static final int IN_FLIGHT_LIMIT = 120_000;

    final String name;
    final String url;
    final String arn;
    final boolean fifo;
    private final InMemorySqs owner;
    private final Scheduler scheduler;
    private final Completions completions;
    private final String handlePrefix;
    private final long createdAt;

    private QueueSettings settings;
    private long lastModifiedAt;

    private final MessageStore store;
    /** A FIFO queue's groups and deduplication window; {@code null} for a standard queue. */
    private final FifoGroups groups;
    /** A FIFO queue's receives by ReceiveRequestAttemptId; {@code null} for a standard queue (SQS ignores it there). */
    private final ReceiveAttempts attempts;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private Scheduler.Cancellable wakeTask;
    private long wakeAt;
    private boolean closed;

    MemoryQueue(InMemorySqs owner, String name, String url, String arn, QueueSettings settings, Scheduler scheduler,
            Completions completions) {
        this.owner = owner;
        this.name = name;
        this.url = url;
        this.arn = arn;
        this.fifo = settings.fifo();
        this.groups = fifo ? new FifoGroups() : null;
        this.attempts = fifo ? new ReceiveAttempts() : null;
        this.store = new MessageStore(groups);
        this.settings = settings;
        this.scheduler = scheduler;
        this.completions = completions;
        this.createdAt = now();
        this.lastModifiedAt = createdAt;
        this.handlePrefix = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE) + "-";
    }

    // ---- attributes ----

    synchronized QueueSettings settings() {
        return settings;
    }

    /**
     * Applies changed attributes. On a FIFO queue a changed {@code DelaySeconds} is retroactive, as on SQS: every
     * message not received yet is delayed until its enqueue time plus the new delay. On a standard queue it applies to
     * later sends only.
     */
    void update(QueueSettings updated) {
        After after = new After();
        synchronized (this) {
            long now = now();
            boolean redelay = fifo && updated.delaySeconds() != settings.delaySeconds();
            settings = updated;
            lastModifiedAt = now;
            if (redelay) {
                store.redelay(now, settings.delaySeconds() * 1000L);
                serveWaiters(now, after);
                armWakeUp(now);
            }
        }
        after.run();
    }

    /** Every attribute this queue reports, counts first computed on the current clock. */
    Map<String, String> attributes() {
        Map<String, String> values = new LinkedHashMap<>();
        After after = new After();
        synchronized (this) {
            long now = now();
            store.promote(now, retentionMillis());
            store.dropExpired(now, retentionMillis());
            values.put("ApproximateNumberOfMessages", Integer.toString(store.visibleCount()));
            values.put("ApproximateNumberOfMessagesNotVisible", Integer.toString(store.inFlight()));
            values.put("ApproximateNumberOfMessagesDelayed", Integer.toString(store.delayed()));
            values.put("QueueArn", arn);
            values.put("CreatedTimestamp", Long.toString(createdAt / 1000));
            values.put("LastModifiedTimestamp", Long.toString(lastModifiedAt / 1000));
            values.putAll(settings.asStrings());
            serveWaiters(now, after);
        }
        after.run();
        return values;
    }

    /** A copy of every message held now, without receipt handles; changes nothing. */
    synchronized List<Message> snapshot() {
        return store.inOrder().stream().map(message -> message.toMessage(null, Selection.ALL, Selection.ALL)).toList();
    }

    // ---- send ----

    /** What a send returned. */
    record Sent(String messageId, String md5OfBody, String md5OfAttributes, String md5OfSystemAttributes,
            String sequenceNumber) {
    }

    /**
     * Stores one message that {@link io.sluice.internal.support.MessageRules} let through.
     *
     * @param traceHeader     its {@code AWSTraceHeader} message system attribute, or {@code null}
     * @param delaySeconds    the per-message delay, or {@code null} for the queue's
     * @param groupId         the FIFO message group, or a fair queue's tenant on a standard queue (no order there), or
     *                        {@code null}
     * @param deduplicationId a FIFO message's deduplication id, or {@code null} for the SHA-256 of its body
     */
    Sent send(String body, Map<String, MessageAttributeValue> attributes, String traceHeader, Integer delaySeconds,
            String groupId, String deduplicationId) {
        String md5OfBody = Md5.ofBody(body);
        String md5OfAttributes = Md5.ofAttributes(attributes);
        String md5OfSystemAttributes = Md5.ofTraceHeader(traceHeader);
        After after = new After();
        Sent sent;
        synchronized (this) {
            long now = now();
            String dedupId = null;
            String sequenceNumber = null;
            if (fifo) {
                dedupId = deduplicationId != null ? deduplicationId : FifoGroups.contentDeduplicationId(body);
                FifoGroups.Deduplicated earlier = groups.earlierSend(dedupId, now);
                if (earlier != null) {
                    return new Sent(earlier.messageId(), md5OfBody, md5OfAttributes, md5OfSystemAttributes,
                            earlier.sequenceNumber());
                }
                sequenceNumber = groups.nextSequenceNumber();
            }
            int delay = delaySeconds != null ? delaySeconds : settings.delaySeconds();
            StoredMessage message = new StoredMessage(store.nextSeq(), newMessageId(),
                    new StoredMessage.Content(body, md5OfBody, attributes, md5OfAttributes, traceHeader), now,
                    new StoredMessage.Ids(groupId, dedupId, sequenceNumber), null);
            store.add(message, now + delay * 1000L, now);
            if (fifo) {
                groups.remember(dedupId, message.messageId, sequenceNumber, now);
            }
            sent = new Sent(message.messageId, md5OfBody, md5OfAttributes, md5OfSystemAttributes, sequenceNumber);
            serveWaiters(now, after);
        }
        after.run();
        return sent;
    }

    /**
     * Takes in a message that another queue's RedrivePolicy moved here, with its id, body and receive count. Its
     * retention counts from the move on a FIFO queue and from the original send on a standard one, as on SQS.
     */
    void acceptDeadLetter(StoredMessage source, String sourceArn) {
        After after = new After();
        synchronized (this) {
            long now = now();
            StoredMessage moved = new StoredMessage(store.nextSeq(), source.messageId, source.content(), source.sentAt,
                    new StoredMessage.Ids(source.groupId, fifo ? source.deduplicationId : null,
                            fifo ? source.sequenceNumber : null), sourceArn);
            moved.receiveCount = source.receiveCount;
            moved.firstReceiveAt = source.firstReceiveAt;
            moved.enqueuedAt = fifo ? now : source.enqueuedAt;
            store.add(moved, now, now);
            serveWaiters(now, after);
        }
        after.run();
    }

    // ---- receive ----

    /**
     * A validated receive.
     *
     * @param attemptId its {@code ReceiveRequestAttemptId} on a FIFO queue, else {@code null}
     */
    record Receive(int max, int visibilitySeconds, int waitSeconds, Selection system, Selection custom,
            String attemptId) {
    }

    /**
     * Completes {@code result} with what {@code receive} gets now, or when a message arrives within its wait. A FIFO
     * receive that repeats a {@code ReceiveRequestAttemptId} of the last five minutes gets that receive's messages and
     * receipt handles again, their visibility timeout restarted, or fails when one of them was deleted, received again
     * or had its visibility changed since.
     */
    void receive(Receive receive, CompletableFuture<ReceiveMessageResponse> result) {
        After after = new After();
        synchronized (this) {
            long now = now();
            store.promote(now, retentionMillis());
            List<Message> retried = receive.attemptId() == null ? null : retry(receive, now);
            if (retried == null) {
                serveWaiters(now, after); // earlier long polls first
            }
            List<Message> messages = retried != null ? retried
                    : waiters.isEmpty() ? take(receive, now, after) : List.of();
            if (retried != null || !messages.isEmpty() || receive.waitSeconds() == 0 || closed) {
                after.complete(result, messages, receive);
            } else {
                Waiter waiter = new Waiter(receive, result);
                waiters.addLast(waiter);
                waiter.timeout = scheduler.schedule(Duration.ofSeconds(receive.waitSeconds()), () -> expire(waiter));
                result.whenComplete((response, error) -> {
                    if (result.isCancelled()) {
                        abandon(waiter);
                    }
                });
                armWakeUp(now);
            }
        }
        after.run();
    }

    private void expire(Waiter waiter) {
        synchronized (this) {
            waiters.remove(waiter);
        }
        completions.complete(waiter.result, ReceiveMessageResponse.builder().messages(List.of()).build(), null);
    }

    private synchronized void abandon(Waiter waiter) {
        if (waiters.remove(waiter)) {
            waiter.timeout.cancel();
        }
    }

    /**
     * The messages of the earlier receive with {@code receive}'s attempt id, hidden again for that receive's visibility
     * timeout; {@code null} when there is none within five minutes. Holding the monitor.
     *
     * @throws software.amazon.awssdk.services.sqs.model.SqsException when one of its messages was deleted, received
     *                                                                 again or had its visibility changed since
     */
    private List<Message> retry(Receive receive, long now) {
        ReceiveAttempts.Attempt attempt = attempts.find(receive.attemptId(), now);
        if (attempt == null) {
            return null;
        }
        if (!attempt.retryable()) {
            throw Errors.invalidParameter("Value " + receive.attemptId() + " for parameter ReceiveRequestAttemptId is"
                    + " invalid. Reason: The receiveRequestAttemptId is not valid anymore since the receive call is not"
                    + " retryable.");
        }
        List<Message> messages = new ArrayList<>(attempt.messages().size());
        for (StoredMessage message : attempt.messages()) {
            message.receivedAt = now;
            if (attempt.visibilitySeconds > 0) {
                store.hide(message, now + attempt.visibilitySeconds * 1000L);
            } else {
                message.visibleAt = now;
            }
            messages.add(message.toMessage(handle(message), receive.system(), receive.custom()));
        }
        return messages;
    }

    /** Receives up to {@code receive.max()} messages now: the core of ReceiveMessage. Holding the monitor. */
    private List<Message> take(Receive receive, long now, After after) {
        List<Message> taken = new ArrayList<>(Math.min(receive.max(), 10));
        if (fifo) {
            List<StoredMessage> delivered = new ArrayList<>(Math.min(receive.max(), 10));
            takeFifo(receive, now, after, taken, delivered);
            if (receive.attemptId() != null) {
                attempts.record(receive.attemptId(), now, receive.visibilitySeconds(), delivered);
            }
        } else {
            List<StoredMessage> stillVisible = null;
            StoredMessage message;
            while (taken.size() < receive.max() && store.inFlight() < IN_FLIGHT_LIMIT
                    && (message = store.pollVisible()) != null) {
                if (MessageStore.expired(message, now, retentionMillis())) {
                    store.remove(message);
                    continue;
                }
                if (deadLetter(message, after)) {
                    continue;
                }
                taken.add(deliver(message, now, receive));
                if (receive.visibilitySeconds() == 0) {
                    if (stillVisible == null) {
                        stillVisible = new ArrayList<>();
                    }
                    stillVisible.add(message);
                }
            }
            if (stillVisible != null) {
                stillVisible.forEach(store::enqueueVisible);
            }
        }
        return taken;
    }

    private void takeFifo(Receive receive, long now, After after, List<Message> taken, List<StoredMessage> delivered) {
        groups.receive(now, new FifoGroups.Receiver() {
            @Override
            public boolean full() {
                return taken.size() >= receive.max() || store.inFlight() >= IN_FLIGHT_LIMIT;
            }

            @Override
            public boolean take(StoredMessage message) {
                if (MessageStore.expired(message, now, retentionMillis())) {
                    store.forget(message);
                    return false;
                }
                MemoryQueue target = settings.redrive().exhausted(message.receiveCount) ? deadLetterTarget() : null;
                if (target != null) {
                    store.forget(message);
                    after.deadLetter(target, message, arn);
                    return false;
                }
                taken.add(deliver(message, now, receive));
                delivered.add(message);
                return true;
            }
        });
    }

    private MemoryQueue deadLetterTarget() {
        String target = settings.redrive().targetArn();
        return target == null ? null : owner.queueByArn(target);
    }

    /** Moves {@code message} (standard queue, just polled) to the DLQ when its receives are spent. */
    private boolean deadLetter(StoredMessage message, After after) {
        if (!settings.redrive().exhausted(message.receiveCount)) {
            return false;
        }
        MemoryQueue target = deadLetterTarget();
        if (target == null) {
            return false;
        }
        store.remove(message);
        after.deadLetter(target, message, arn);
        return true;
    }

    private Message deliver(StoredMessage message, long now, Receive receive) {
        message.receiveCount++;
        if (message.firstReceiveAt == 0) {
            message.firstReceiveAt = now;
        }
        message.receivedAt = now;
        if (receive.visibilitySeconds() > 0) {
            store.hide(message, now + receive.visibilitySeconds() * 1000L);
        } else {
            message.visibleAt = now;
        }
        return message.toMessage(handle(message), receive.system(), receive.custom());
    }

    /** The receipt handle of {@code message}'s latest receive: this queue's prefix, its sequence, the receive count. */
    private String handle(StoredMessage message) {
        return handlePrefix + message.seq + "-" + message.receiveCount;
    }

    // ---- delete and visibility ----

    /**
     * Deletes by receipt handle, as SQS does. The latest handle deletes, again and again (a message already gone is
     * deleted again with success). On a standard queue the latest handle deletes even after its visibility timeout ran
     * out, and an earlier receive's handle succeeds without deleting. On a FIFO queue a handle whose visibility timeout
     * ran out, or that a later receive superseded, has expired: the delete fails and the message stays.
     */
    void delete(String handle) {
        After after = new After();
        synchronized (this) {
            long now = now();
            Handle named = parse(handle);
            StoredMessage message = store.get(named.seq());
            if (message == null) {
                return; // deleted before, expired or dead-lettered: deleting again succeeds, as on SQS
            }
            boolean latest = named.receive() == message.receiveCount;
            if (fifo && (!latest || !message.inFlight(now))) {
                throw Errors.receiptHandleExpired(handle);
            }
            if (!latest) {
                return; // "If you use an old ReceiptHandle, the request will succeed, but the message might not be deleted"
            }
            store.remove(message);
            if (fifo) {
                serveWaiters(now, after); // the next message of its group may be deliverable
            }
        }
        after.run();
    }

    /**
     * Sets the remaining visibility timeout of a received message to {@code seconds} from now, as SQS does. With the
     * latest handle on a standard queue this works while the message is in flight and also after its visibility
     * timeout ran out (not received since): the message is then hidden again. On a FIFO queue a handle whose timeout
     * ran out, or that a later receive superseded, has expired and the change fails. On a standard queue an earlier
     * receive's handle is rejected with {@code ReceiptHandleIsInvalid}.
     */
    void changeVisibility(String handle, int seconds) {
        if (seconds < 0 || seconds > 43_200) {
            throw Errors.invalidParameter("Value " + seconds + " for parameter VisibilityTimeout is invalid. Reason:"
                    + " Must be between 0 and 43200.");
        }
        After after = new After();
        synchronized (this) {
            long now = now();
            Handle named = parse(handle);
            StoredMessage message = store.get(named.seq());
            if (message == null) {
                throw Errors.invalidParameter("Value " + handle + " for parameter ReceiptHandle is invalid. Reason:"
                        + " Message does not exist or is not available for visibility timeout change.");
            }
            boolean latest = named.receive() == message.receiveCount;
            if (fifo && (!latest || !message.inFlight(now))) {
                throw Errors.receiptHandleExpired(handle);
            }
            if (!latest) {
                throw Errors.receiptHandleInvalid(handle); // an earlier receive's handle: the message was received again
            }
            long visibleAt = now + seconds * 1000L;
            if (visibleAt - message.receivedAt > MAX_VISIBILITY_MILLIS) {
                throw Errors.invalidParameter("Value " + seconds + " for parameter VisibilityTimeout is invalid."
                        + " Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]");
            }
            message.visibilityChanges++;
            if (seconds == 0) {
                store.show(message, now);
                serveWaiters(now, after);
            } else { // in flight, or visible again since its timeout ran out (not received since): hidden anew
                store.hide(message, visibleAt);
                armWakeUp(now);
            }
        }
        after.run();
    }

    /** What a receipt handle names: the message's sequence in this queue and which of its receives issued it. */
    private record Handle(long seq, int receive) {
    }

    /** Reads a handle this queue issued; throws {@code ReceiptHandleIsInvalid} for a foreign or malformed one. */
    private Handle parse(String handle) {
        if (handle == null || !handle.startsWith(handlePrefix)) {
            throw Errors.receiptHandleInvalid(handle);
        }
        int dash = handle.indexOf('-', handlePrefix.length());
        try {
            return new Handle(Long.parseLong(handle, handlePrefix.length(), dash, 10),
                    Integer.parseInt(handle, dash + 1, handle.length(), 10));
        } catch (RuntimeException e) {
            throw Errors.receiptHandleInvalid(handle);
        }
    }

    // ---- long polls ----

    /** Hands available messages to waiting long polls, oldest first. Holding the monitor. */
    private void serveWaiters(long now, After after) {
        if (waiters.isEmpty()) {
            return;
        }
        store.promote(now, retentionMillis());
        while (!waiters.isEmpty()) {
            Waiter waiter = waiters.peekFirst();
            if (waiter.result.isDone()) {
                waiters.pollFirst();
                continue;
            }
            List<Message> messages = take(waiter.receive, now, after);
            if (messages.isEmpty()) {
                break;
            }
            waiters.pollFirst();
            waiter.timeout.cancel();
            after.complete(waiter.result, messages, waiter.receive);
        }
        armWakeUp(now);
    }

    /** Keeps a task due when the next delayed or in-flight message becomes visible, while long polls wait. */
    private void armWakeUp(long now) {
        StoredMessage next = store.nextHidden();
        if (waiters.isEmpty() || next == null || closed) {
            return;
        }
        if (wakeTask != null && wakeAt <= next.visibleAt) {
            return;
        }
        if (wakeTask != null) {
            wakeTask.cancel();
        }
        wakeAt = next.visibleAt;
        wakeTask = scheduler.schedule(Duration.ofMillis(Math.max(0, next.visibleAt - now)), this::wakeUp);
    }

    private void wakeUp() {
        After after = new After();
        synchronized (this) {
            wakeTask = null;
            serveWaiters(now(), after);
        }
        after.run();
    }

    /** Ends every open long poll with no messages; later receives answer at once. */
    void close() {
        List<Waiter> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(waiters);
            waiters.clear();
            if (wakeTask != null) {
                wakeTask.cancel();
                wakeTask = null;
            }
        }
        for (Waiter waiter : open) {
            waiter.timeout.cancel();
            completions.complete(waiter.result, ReceiveMessageResponse.builder().messages(List.of()).build(), null);
        }
    }

    private long now() {
        return scheduler.clock().millis();
    }

    private long retentionMillis() {
        return settings.retentionSeconds() * 1000L;
    }

    private static String newMessageId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private static final class Waiter {
        final Receive receive;
        final CompletableFuture<ReceiveMessageResponse> result;
        Scheduler.Cancellable timeout;

        Waiter(Receive receive, CompletableFuture<ReceiveMessageResponse> result) {
            this.receive = receive;
            this.result = result;
        }
    }

    /**
     * Work collected under the monitor and done after it is released: completing receives (a receive abandoned
     * meanwhile, or whose completion the executor rejected, gets its messages made visible again) and moving messages
     * to their DLQ.
     */
    private final class After {
        private List<Runnable> work;

        void complete(CompletableFuture<ReceiveMessageResponse> result, List<Message> messages, Receive receive) {
            add(() -> completions.complete(result, ReceiveMessageResponse.builder().messages(messages).build(),
                    () -> release(messages, receive.attemptId())));
        }

        void deadLetter(MemoryQueue target, StoredMessage message, String sourceArn) {
            add(() -> target.acceptDeadLetter(message, sourceArn));
        }

        private void add(Runnable runnable) {
            if (work == null) {
                work = new ArrayList<>(2);
            }
            work.add(runnable);
        }

        void run() {
            if (work != null) {
                work.forEach(Runnable::run);
            }
        }
    }

    /**
     * Makes messages that a receive could not hand over (cancelled, or its completion rejected) visible again at once,
     * and forgets its attempt id: a retry receives anew.
     */
    private void release(List<Message> messages, String attemptId) {
        if (attemptId != null) {
            synchronized (this) {
                attempts.forget(attemptId);
            }
        }
        for (Message message : messages) {
            try {
                changeVisibility(message.receiptHandle(), 0);
            } catch (RuntimeException ignored) {
                // already visible again, deleted, or received anew: nothing to release
            }
        }
    }
}
