package io.sluice.transport.memory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A FIFO queue's receives by {@code ReceiveRequestAttemptId}, kept five minutes so that a retried receive gets the same
 * messages and receipt handles, as on SQS: "It is possible to retry the ReceiveMessage action with the same
 * ReceiveRequestAttemptId if none of the messages have been modified (deleted or had their visibility changes)."
 *
 * <p>Not thread safe: its {@link MemoryQueue} guards it.
 */
final class ReceiveAttempts {

    /** How long SQS keeps an attempt id: "You can use ReceiveRequestAttemptId only for 5 minutes". */
    static final long WINDOW_MILLIS = 300_000L;

    private final LinkedHashMap<String, Attempt> byId = new LinkedHashMap<>();

    /** One receive that took messages: each with the receive count and visibility changes it had then. */
    static final class Attempt {
        final long expiresAt;
        final int visibilitySeconds;
        private final List<StoredMessage> messages;
        private final int[] receiveCounts;
        private final int[] visibilityChanges;

        private Attempt(long expiresAt, int visibilitySeconds, List<StoredMessage> messages) {
            this.expiresAt = expiresAt;
            this.visibilitySeconds = visibilitySeconds;
            this.messages = List.copyOf(messages);
            this.receiveCounts = new int[messages.size()];
            this.visibilityChanges = new int[messages.size()];
            for (int i = 0; i < messages.size(); i++) {
                receiveCounts[i] = messages.get(i).receiveCount;
                visibilityChanges[i] = messages.get(i).visibilityChanges;
            }
        }

        /** The messages it took, in the order it returned them. */
        List<StoredMessage> messages() {
            return messages;
        }

        /** Whether none of its messages was deleted, received again or had its visibility changed since. */
        boolean retryable() {
            for (int i = 0; i < messages.size(); i++) {
                StoredMessage message = messages.get(i);
                if (message.deleted || message.receiveCount != receiveCounts[i]
                        || message.visibilityChanges != visibilityChanges[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The attempt {@code attemptId} names within the last five minutes, or {@code null}. */
    Attempt find(String attemptId, long now) {
        Iterator<Attempt> attempts = byId.values().iterator();
        while (attempts.hasNext() && attempts.next().expiresAt <= now) {
            attempts.remove();
        }
        return byId.get(attemptId);
    }

    /** Records that the receive {@code attemptId} took {@code messages} (none: nothing to retry, nothing recorded). */
    void record(String attemptId, long now, int visibilitySeconds, List<StoredMessage> messages) {
        if (!messages.isEmpty()) {
            byId.remove(attemptId); // re-inserted last: the map stays in expiry order
            byId.put(attemptId, new Attempt(now + WINDOW_MILLIS, visibilitySeconds, new ArrayList<>(messages)));
        }
    }

    /** Forgets {@code attemptId}: its receive handed nothing over (cancelled), so a retry receives anew. */
    void forget(String attemptId) {
        byId.remove(attemptId);
    }
}
