package io.sluice.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose time moves only when {@link #advance(Duration)} is called. Due tasks run on the thread that
 * advances time, in order of their due time (ties in scheduling order), each seeing the clock at its due time.
 *
 * <p>Thread safe: tasks may be scheduled from any thread, including from tasks being run.
 */
public final class VirtualTime implements Scheduler {

    private final Object lock = new Object();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private final VirtualClock clock;
    private long sequence;
    private Instant now;

    /** A virtual time starting at {@code start}. */
    public VirtualTime(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
        this.clock = new VirtualClock(ZoneOffset.UTC);
    }

    /** A virtual time starting at 2026-01-01T00:00:00Z. */
    public VirtualTime() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** The current virtual instant. */
    public Instant now() {
        synchronized (lock) {
            return now;
        }
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (lock) {
            Instant due = now.plus(delay.isNegative() ? Duration.ZERO : delay);
            Task scheduled = new Task(due, sequence++, task);
            tasks.add(scheduled);
            return () -> {
                synchronized (lock) {
                    tasks.remove(scheduled);
                }
            };
        }
    }

    /** Moves time forward by {@code duration}, running every task that falls due on the way. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, but was " + duration);
        }
        Instant target;
        synchronized (lock) {
            target = now.plus(duration);
        }
        while (true) {
            Task next;
            synchronized (lock) {
                next = tasks.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return;
                }
                tasks.poll();
                if (next.due.isAfter(now)) {
                    now = next.due;
                }
            }
            next.runnable.run();
        }
    }

    /** Runs the tasks that are due now without moving time. */
    public void runDueTasks() {
        advance(Duration.ZERO);
    }

    /** How many tasks are waiting. */
    public int pendingTasks() {
        synchronized (lock) {
            return tasks.size();
        }
    }

    /** The due times of waiting tasks, earliest first (for assertions and diagnostics). */
    public List<Instant> pendingDueTimes() {
        synchronized (lock) {
            List<Instant> due = new ArrayList<>();
            tasks.stream().sorted().forEach(task -> due.add(task.due));
            return due;
        }
    }

    private static final class Task implements Comparable<Task> {
        final Instant due;
        final long sequence;
        final Runnable runnable;

        Task(Instant due, long sequence, Runnable runnable) {
            this.due = due;
            this.sequence = sequence;
            this.runnable = runnable;
        }

        @Override
        public int compareTo(Task other) {
            int byDue = due.compareTo(other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }

    private final class VirtualClock extends Clock {
        private final ZoneId zone;

        VirtualClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new VirtualClock(zone);
        }

        @Override
        public Instant instant() {
            return now();
        }
    }
}
