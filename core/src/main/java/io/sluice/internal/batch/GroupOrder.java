package io.sluice.internal.batch;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a FIFO queue's sends in order per message group: one entry of a group is outstanding at a time (buffered, in a
 * call, or waiting for a retry); the group's later entries are held, in order, until SQS accepted it. One entry per
 * group per call also means a partly failed call never lets a later message of a group overtake an earlier one. Not
 * thread safe: the {@link Batcher} calls it holding its lock.
 *
 * @param <T> the batcher's entry
 */
final class GroupOrder<T> {

    /** Per group with an outstanding entry: that entry first, then those held behind it. */
    private final Map<String, ArrayDeque<T>> groups = new HashMap<>();

    /** Whether {@code entry} may go now: it is its group's first, or the outstanding one back for a retry. */
    boolean admit(String group, T entry) {
        ArrayDeque<T> line = groups.get(group);
        if (line == null) {
            line = new ArrayDeque<>();
            line.add(entry);
            groups.put(group, line);
            return true;
        }
        if (line.peekFirst() == entry) {
            return true;
        }
        line.addLast(entry);
        return false;
    }

    /** The group's outstanding entry was accepted: the next one, now outstanding, or {@code null}. */
    T accepted(String group) {
        ArrayDeque<T> line = groups.get(group);
        line.pollFirst();
        if (line.isEmpty()) {
            groups.remove(group);
            return null;
        }
        return line.peekFirst();
    }

    /** The group's outstanding entry failed for good: every entry held behind it, which must not be sent now. */
    List<T> failed(String group) {
        ArrayDeque<T> line = groups.remove(group);
        line.pollFirst();
        return List.copyOf(line);
    }
}
