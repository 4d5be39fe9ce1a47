package io.sluice.testutil;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/** An executor that queues tasks until the test runs them, on the test's thread. */
public final class ManualExecutor implements Executor {

    private final Deque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
    }

    public synchronized int queued() {
        return tasks.size();
    }

    /** Runs the oldest queued task; returns whether there was one. */
    public boolean runNext() {
        Runnable next;
        synchronized (this) {
            next = tasks.poll();
        }
        if (next == null) {
            return false;
        }
        next.run();
        return true;
    }

    /** Runs queued tasks, including those they queue, until none is left; returns how many ran. */
    public int runAll() {
        int ran = 0;
        while (runNext()) {
            ran++;
        }
        return ran;
    }
}
