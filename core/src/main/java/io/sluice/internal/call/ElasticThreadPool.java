package io.sluice.internal.call;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of platform threads that starts a thread only when no thread is idle, up to its maximum, and lets a thread go
 * after a minute idle. A plain fixed pool starts a new thread for every task until it holds its maximum, idle ones or
 * not: at a concurrency of 100, a handler that takes a millisecond left 100 threads and their stacks (13 MiB of the
 * worker's footprint, by NMT) where a dozen keep up. Tasks beyond the maximum wait in the queue (the pollers'
 * back-pressure bounds them). Knows how many tasks were submitted and not finished, so that a task is queued only when a
 * thread is free to take it (the way Tomcat's executor scales before it queues).
 */
final class ElasticThreadPool extends ThreadPoolExecutor {

    private final AtomicInteger unfinished = new AtomicInteger();
    /** Threads made and not ended: read on every submit without the pool's lock (its getPoolSize takes it). */
    private final AtomicInteger threads;

    ElasticThreadPool(int maxThreads, ThreadFactory factory) {
        this(maxThreads, factory, new AtomicInteger());
    }

    private ElasticThreadPool(int maxThreads, ThreadFactory factory, AtomicInteger threads) {
        super(0, maxThreads, 60, TimeUnit.SECONDS, new ScalingQueue(), counting(factory, threads),
                ElasticThreadPool::enqueue);
        this.threads = threads;
        ((ScalingQueue) getQueue()).pool = this;
    }

    private static ThreadFactory counting(ThreadFactory factory, AtomicInteger threads) {
        return task -> {
            Thread thread = factory.newThread(() -> {
                try {
                    task.run();
                } finally {
                    threads.decrementAndGet();
                }
            });
            if (thread != null) {
                threads.incrementAndGet();
            }
            return thread;
        };
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        try {
            super.execute(task);
        } catch (RejectedExecutionException e) {
            unfinished.decrementAndGet();
            throw e;
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        unfinished.decrementAndGet();
    }

    /** At the maximum, the task waits for a thread; after shutdown it is refused. */
    private static void enqueue(Runnable task, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("the handler pool is shut down");
        }
        ((ScalingQueue) pool.getQueue()).force(task);
    }

    /** Refuses a task while a new thread may be started for it and none is idle: the pool then starts one. */
    private static final class ScalingQueue extends LinkedBlockingQueue<Runnable> {
        private ElasticThreadPool pool;

        @Override
        public boolean offer(Runnable task) {
            int threads = pool.threads.get();
            if (pool.unfinished.get() > threads && threads < pool.getMaximumPoolSize()) {
                return false;
            }
            return super.offer(task);
        }

        void force(Runnable task) {
            super.offer(task);
        }
    }
}
