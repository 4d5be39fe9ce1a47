package io.sluice.transport.memory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What only a FIFO queue keeps: its messages by message group, in the order sent, the deduplication window and the
 * sequence numbers.
 *
 * <p>Delivery follows SQS: a receive takes a group's messages in order from its head while they are visible, and stops
 * at the first one in flight or delayed. The lock is on the order of delivery, not on the group: a head made visible
 * again (its visibility timeout ended or was set to 0) is handed out again even while later messages of its group are
 * still in flight, and a receive with {@code VisibilityTimeout=0} takes several messages of a group.
 *
 * <p>Not thread safe: its {@link MemoryQueue} guards it.
 */
final class FifoGroups {

    /** How long SQS remembers a deduplication id: five minutes. */
    static final long DEDUPLICATION_WINDOW_MILLIS = 300_000L;

    private final LinkedHashMap<String, ArrayDeque<StoredMessage>> groups = new LinkedHashMap<>();
    private final LinkedHashMap<String, Deduplicated> deduplication = new LinkedHashMap<>();
    private long nextSequenceNumber = 10_000_000_000_000_000L;

    /** An accepted send that the deduplication window remembers. */
    record Deduplicated(String messageId, String sequenceNumber, long expiresAt) {
    }

    /** Takes messages for one receive, as {@link #receive} offers them. */
    interface Receiver {
        /** Whether the receive has all it can take. */
        boolean full();

        /**
         * Takes {@code message}, or drops it from the queue (expired, or moved to a dead-letter queue) and returns
         * false; the caller then removes it from its group.
         */
        boolean take(StoredMessage message);
    }

    /** The deduplication id SQS derives from a body when {@code ContentBasedDeduplication} is on: its SHA-256. */
    static String contentDeduplicationId(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** The send that {@code deduplicationId} names within the last five minutes, or {@code null}. */
    Deduplicated earlierSend(String deduplicationId, long now) {
        Iterator<Deduplicated> entries = deduplication.values().iterator();
        while (entries.hasNext() && entries.next().expiresAt <= now) {
            entries.remove();
        }
        return deduplication.get(deduplicationId);
    }

    /** Remembers an accepted send for the deduplication window. */
    void remember(String deduplicationId, String messageId, String sequenceNumber, long now) {
        deduplication.put(deduplicationId, new Deduplicated(messageId, sequenceNumber,
                now + DEDUPLICATION_WINDOW_MILLIS));
    }

    /** The next send's sequence number: 20 digits, growing. */
    String nextSequenceNumber() {
        return Long.toString(nextSequenceNumber++) + "0000";
    }

    /** Appends {@code message} to its group. */
    void add(StoredMessage message) {
        groups.computeIfAbsent(message.groupId, group -> new ArrayDeque<>()).addLast(message);
    }

    /** Removes {@code message} from its group wherever it stands. */
    void remove(StoredMessage message) {
        ArrayDeque<StoredMessage> group = groups.get(message.groupId);
        if (group != null) {
            group.remove(message);
            if (group.isEmpty()) {
                groups.remove(message.groupId);
            }
        }
    }

    /**
     * Offers {@code receiver} each group's messages from its head while they are visible at {@code now}: a group's
     * offer ends at its first message in flight or delayed (everything after it waits), and all offers end when the
     * receiver is full. Groups are offered in the order they were first sent to.
     */
    void receive(long now, Receiver receiver) {
        Iterator<Map.Entry<String, ArrayDeque<StoredMessage>>> groupIterator = groups.entrySet().iterator();
        while (groupIterator.hasNext() && !receiver.full()) {
            ArrayDeque<StoredMessage> group = groupIterator.next().getValue();
            Iterator<StoredMessage> messages = group.iterator();
            while (messages.hasNext() && !receiver.full()) {
                StoredMessage message = messages.next();
                if (message.visibleAt > now) {
                    break; // in flight or delayed: the group's order holds everything behind it
                }
                if (!receiver.take(message)) {
                    messages.remove();
                }
            }
            if (group.isEmpty()) {
                groupIterator.remove();
            }
        }
    }
}
