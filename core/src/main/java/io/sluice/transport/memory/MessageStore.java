package io.sluice.transport.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages of one queue by state, with the counts SQS reports: visible messages, and hidden ones (in flight, or
 * delayed before their first receive) in a heap by the time they become visible. A standard queue also keeps its
 * visible messages in arrival order, so that a receive costs O(messages returned · log n); a FIFO queue finds them
 * through its {@link FifoGroups}, which this store keeps in step.
 *
 * <p>Hidden messages are made visible lazily, by {@link #promote}. Not thread safe: its {@link MemoryQueue} guards it.
 */
final class MessageStore {

    private final Map<Long, StoredMessage> bySeq = new HashMap<>();
    /** A standard queue's visible messages in arrival order; may still hold deleted or re-hidden ones (skipped). */
    private final ArrayDeque<StoredMessage> visible = new ArrayDeque<>();
    /** A FIFO queue's groups, {@code null} for a standard queue. */
    private final FifoGroups groups;
    private final MessageHeap hidden = new MessageHeap();
    private long nextSeq = 1;
    private int inFlight;
    private int delayed;

    MessageStore(FifoGroups groups) {
        this.groups = groups;
    }

    /** The sequence number of the next message stored: its place in this queue, in the order of arrival. */
    long nextSeq() {
        return nextSeq++;
    }

    /** The message with sequence {@code seq}, {@code null} when it is gone (deleted, expired, dead-lettered). */
    StoredMessage get(long seq) {
        return bySeq.get(seq);
    }

    /** Every message held, oldest first. */
    List<StoredMessage> inOrder() {
        List<StoredMessage> messages = new ArrayList<>(bySeq.values());
        messages.sort(Comparator.comparingLong(message -> message.seq));
        return messages;
    }

    int visibleCount() {
        return bySeq.size() - inFlight - delayed;
    }

    int inFlight() {
        return inFlight;
    }

    int delayed() {
        return delayed;
    }

    /** The hidden message that becomes visible first, or {@code null}. */
    StoredMessage nextHidden() {
        return hidden.peek();
    }

    /** Stores {@code message}, delayed until {@code visibleAt} when that is after {@code now}, else visible. */
    void add(StoredMessage message, long visibleAt, long now) {
        bySeq.put(message.seq, message);
        if (groups != null) {
            groups.add(message);
        }
        message.visibleAt = Math.max(visibleAt, now);
        if (visibleAt > now) {
            message.delayed = true;
            delayed++;
            hidden.add(message);
        } else {
            enqueueVisible(message);
        }
    }

    /** A standard queue's next visible message in arrival order, taken off that order; {@code null} when none. */
    StoredMessage pollVisible() {
        StoredMessage message;
        while ((message = visible.pollFirst()) != null) {
            message.queued = false;
            if (!message.deleted && message.heapIndex < 0) {
                return message;
            }
            // deleted, or hidden again (ChangeMessageVisibility) after it was queued: skipped
        }
        return null;
    }

    /** Puts a visible message (back) at the end of a standard queue's arrival order; nothing on a FIFO queue. */
    void enqueueVisible(StoredMessage message) {
        if (groups == null && !message.queued) {
            message.queued = true;
            visible.addLast(message);
        }
    }

    /** Hides a received message until {@code visibleAt}: in flight, or re-timed when it already is. */
    void hide(StoredMessage message, long visibleAt) {
        message.visibleAt = visibleAt;
        if (message.heapIndex >= 0) {
            hidden.update(message);
        } else {
            inFlight++;
            hidden.add(message);
        }
    }

    /** Makes an in-flight message visible at {@code now}. */
    void show(StoredMessage message, long now) {
        message.visibleAt = now;
        if (message.heapIndex >= 0) {
            hidden.remove(message);
            inFlight--;
            enqueueVisible(message);
        }
    }

    /** Removes {@code message} for good (deleted, expired, dead-lettered), from its FIFO group too. */
    void remove(StoredMessage message) {
        if (!message.deleted) {
            forget(message);
            if (groups != null) {
                groups.remove(message);
            }
        }
    }

    /** Removes {@code message} from everything but its FIFO group (whose iterator is removing it). */
    void forget(StoredMessage message) {
        message.deleted = true;
        bySeq.remove(message.seq);
        if (message.heapIndex >= 0) {
            hidden.remove(message);
            if (message.delayed) {
                delayed--;
            } else {
                inFlight--;
            }
        }
    }

    /**
     * Makes every hidden message whose delay or visibility timeout has ended by {@code now} visible, dropping those
     * older than the retention period.
     */
    void promote(long now, long retentionMillis) {
        StoredMessage next;
        while ((next = hidden.peek()) != null && next.visibleAt <= now) {
            hidden.poll();
            if (next.delayed) {
                next.delayed = false;
                delayed--;
            } else {
                inFlight--;
            }
            if (expired(next, now, retentionMillis)) {
                remove(next);
            } else {
                enqueueVisible(next);
            }
        }
    }

    /** Drops every message older than the retention period, visible or not. */
    void dropExpired(long now, long retentionMillis) {
        List<StoredMessage> expired = new ArrayList<>();
        for (StoredMessage message : bySeq.values()) {
            if (expired(message, now, retentionMillis)) {
                expired.add(message);
            }
        }
        expired.forEach(this::remove);
    }

    /** Whether {@code message} is older than the retention period, counted from its enqueue time. */
    static boolean expired(StoredMessage message, long now, long retentionMillis) {
        return now - message.enqueuedAt >= retentionMillis;
    }

    /**
     * Delays every message not received yet (delayed, or visible and waiting) until its enqueue time plus {@code
     * delayMillis}: a FIFO queue's retroactive delay.
     */
    void redelay(long now, long delayMillis) {
        for (StoredMessage message : bySeq.values()) {
            if (message.receiveCount > 0) {
                continue; // the delay is over for good once a message was received
            }
            message.visibleAt = message.enqueuedAt + delayMillis;
            if (message.visibleAt > now && message.delayed) {
                hidden.update(message);
            } else if (message.visibleAt > now) {
                message.delayed = true;
                delayed++;
                hidden.add(message);
            } else if (message.delayed) {
                hidden.remove(message);
                message.delayed = false;
                delayed--;
                enqueueVisible(message);
            }
        }
    }
}
