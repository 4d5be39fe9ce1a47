package io.sluice;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The messages of one batch handler call. A handler opts in to batches by taking a {@code Batch<T>} as its only
 * parameter (a {@code List<T>} parameter keeps meaning one message whose body is a JSON array):
 *
 * <pre>{@code
 * @SqsHandler(queue = "invoices", maxBatchSize = 10, maxBatchWaitMillis = 200)
 * public void store(Batch<Invoice> batch) {
 *     for (Batch.Item<Invoice> item : batch) {
 *         try {
 *             ledger.add(item.payload());
 *         } catch (LedgerFullException e) {
 *             item.fail(e);                 // only this message comes back (or goes to the DLQ)
 *         }
 *     }
 * }                                          // returning normally: every item not failed is deleted
 * }</pre>
 *
 * <p>Each message is bound on its own: one that cannot be bound never reaches the batch (it is dead-lettered as poison,
 * alone); the others still run. When the handler returns (or its stage completes) normally, every item it did not
 * {@linkplain Item#fail fail} is deleted, and each failed one follows the queue's retry, back-off and dead-letter
 * policies with its own cause. Throwing (or a failed stage) fails every item of the batch with that cause. On a FIFO
 * queue a batch holds the messages of a group in order; when one fails, the later messages of its group are released
 * (they come back after it), even if the handler did not fail them: a handler that keeps a group's order skips an item
 * whose {@link Item#groupFailed()} is true.
 *
 * <p>Thread safe: items may be processed, and failed, from several threads.
 */
public final class Batch<T> implements Iterable<Batch.Item<T>> {

    private final List<Item<T>> items;

    /** A batch of {@code items}, in order. */
    public Batch(List<Item<T>> items) {
        this.items = List.copyOf(items);
        this.items.forEach(item -> item.batch = this);
    }

    /** The items, in the order received (per FIFO group: the group's order). */
    public List<Item<T>> items() {
        return items;
    }

    /** The items' payloads, in order. */
    public List<T> payloads() {
        List<T> payloads = new ArrayList<>(items.size());
        items.forEach(item -> payloads.add(item.payload()));
        return payloads;
    }

    public int size() {
        return items.size();
    }

    @Override
    public Iterator<Item<T>> iterator() {
        return items.iterator();
    }

    /** Fails every item not failed yet with {@code cause}. */
    public void failAll(Throwable cause) {
        items.forEach(item -> item.failIfOpen(cause));
    }

    @Override
    public String toString() {
        return "Batch" + items;
    }

    /** One message of a batch: its payload and what Sluice knows about it. */
    public static final class Item<T> {
        private final T payload;
        private final String messageId;
        private final int receiveCount;
        private final String groupId;
        private final Map<String, String> attributes;
        private volatile Throwable failure;
        private Batch<T> batch;

        /**
         * @param attributes the message attributes as strings (binary values base64)
         */
        public Item(T payload, String messageId, int receiveCount, String groupId, Map<String, String> attributes) {
            this.payload = payload;
            this.messageId = Objects.requireNonNull(messageId, "messageId");
            this.receiveCount = receiveCount;
            this.groupId = groupId;
            this.attributes = Map.copyOf(attributes);
        }

        public T payload() {
            return payload;
        }

        public String messageId() {
            return messageId;
        }

        /** The message's {@code ApproximateReceiveCount}. */
        public int receiveCount() {
            return receiveCount;
        }

        /** Its {@code MessageGroupId}, or {@code null}. */
        public String groupId() {
            return groupId;
        }

        /** Its message attributes as strings. */
        public Map<String, String> attributes() {
            return attributes;
        }

        /**
         * Marks this message failed with {@code cause}: it is not deleted, and follows its queue's policies (retried,
         * redelivered after a back-off, dead-lettered with {@code cause} as the reason). The first call wins.
         */
        public void fail(Throwable cause) {
            failIfOpen(Objects.requireNonNull(cause, "cause"));
        }

        synchronized void failIfOpen(Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
        }

        /**
         * Whether an earlier item of this message's group (same {@code MessageGroupId}) in this batch was failed: on a
         * FIFO queue this one then comes back after it whatever the handler does, so a handler keeping the group's
         * order skips it.
         */
        public boolean groupFailed() {
            if (groupId == null || batch == null) {
                return false;
            }
            for (Item<T> earlier : batch.items) {
                if (earlier == this) {
                    return false;
                }
                if (groupId.equals(earlier.groupId) && earlier.failed()) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the handler failed this message. */
        public boolean failed() {
            return failure != null;
        }

        /** Why the handler failed it, or {@code null}. */
        public Throwable failure() {
            return failure;
        }

        @Override
        public String toString() {
            return "Item{" + messageId + (failure == null ? "" : ", failed: " + failure) + '}';
        }
    }
}
