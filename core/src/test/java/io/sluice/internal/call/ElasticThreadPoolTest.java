package io.sluice.internal.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ElasticThreadPoolTest {

    private final ExecutorService pool = HandlerExecutors.platformThreadPool(10);

    @AfterEach
    void shutDown() {
        pool.shutdownNow();
    }

    @Test
    void tasksOneAfterAnotherNeedOneThreadNotTheMaximum() throws Exception {
        ThreadPoolExecutor threads = (ThreadPoolExecutor) pool;
        for (int i = 0; i < 200; i++) {
            Future<?> task = pool.submit(() -> { });
            task.get(10, TimeUnit.SECONDS);
            // The task's future completes just before its thread is free again: wait for that, as a poller's
            // receive round trip does, so that the next task finds the thread idle.
            await().atMost(Duration.ofSeconds(10)).until(() -> threads.getActiveCount() == 0
                    && threads.getCompletedTaskCount() == threads.getTaskCount());
        }
        assertThat(threads.getLargestPoolSize()).as("each task found the thread idle").isEqualTo(1);
    }

    @Test
    void blockedTasksGetAThreadEachUpToTheMaximumThenWaitInTurn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(10);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 15; i++) {
            pool.execute(() -> {
                started.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ran.incrementAndGet();
            });
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).as("ten run at once, none waits for another").isTrue();
        ThreadPoolExecutor threads = (ThreadPoolExecutor) pool;
        assertThat(threads.getPoolSize()).isEqualTo(10);
        assertThat(threads.getQueue()).as("the rest wait for a thread").hasSize(5);

        release.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(15);
        assertThat(threads.getLargestPoolSize()).as("never above the maximum").isEqualTo(10);
    }

    @Test
    void aShutDownPoolRefusesTasks() {
        pool.shutdown();
        assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }
}
