package io.sluice.transport.memory;

import java.util.Arrays;

/**
 * A binary min-heap of messages by the instant they become visible (ties by arrival), indexed so that a deleted or
 * re-timed message leaves or moves in O(log n). Holds a queue's in-flight and delayed messages. Not thread safe: its
 * queue guards it.
 */
final class MessageHeap {

    private StoredMessage[] items = new StoredMessage[64];
    private int size;

    int size() {
        return size;
    }

    StoredMessage peek() {
        return size == 0 ? null : items[0];
    }

    void add(StoredMessage message) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size] = message;
        message.heapIndex = size;
        size++;
        up(size - 1);
    }

    StoredMessage poll() {
        StoredMessage top = items[0];
        remove(top);
        return top;
    }

    void remove(StoredMessage message) {
        int index = message.heapIndex;
        if (index < 0) {
            return;
        }
        size--;
        StoredMessage last = items[size];
        items[size] = null;
        message.heapIndex = -1;
        if (index != size) {
            items[index] = last;
            last.heapIndex = index;
            down(index);
            up(last.heapIndex);
        }
    }

    /** Restores order after {@code message}'s visibleAt changed. */
    void update(StoredMessage message) {
        down(message.heapIndex);
        up(message.heapIndex);
    }

    private void up(int index) {
        StoredMessage item = items[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (!before(item, items[parent])) {
                break;
            }
            place(items[parent], index);
            index = parent;
        }
        place(item, index);
    }

    private void down(int index) {
        StoredMessage item = items[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && before(items[right], items[child])) {
                child = right;
            }
            if (!before(items[child], item)) {
                break;
            }
            place(items[child], index);
            index = child;
        }
        place(item, index);
    }

    private void place(StoredMessage item, int index) {
        items[index] = item;
        item.heapIndex = index;
    }

    private static boolean before(StoredMessage a, StoredMessage b) {
        return a.visibleAt < b.visibleAt || (a.visibleAt == b.visibleAt && a.seq < b.seq);
    }
}
