package io.sluice.transport.memory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where an {@link InMemorySqs} completes the futures it returns: inline, on the thread that has the result (the
 * caller's, or the scheduler's for a long poll that ends later), or on an executor, as the AWS SDK completes its
 * futures on its own response threads.
 */
final class Completions {

    static final Completions INLINE = new Completions(null);

    /** {@code null}: inline. */
    private final Executor executor;

    private Completions(Executor executor) {
        this.executor = executor;
    }

    /** Completions on {@code executor}. */
    static Completions on(Executor executor) {
        return new Completions(executor);
    }

    /** A future completed with {@code value}: at once inline, else when the executor gets to it. */
    <T> CompletableFuture<T> completed(T value) {
        if (executor == null) {
            return CompletableFuture.completedFuture(value);
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        complete(future, value, null);
        return future;
    }

    /** A future failed with {@code error}: at once inline, else when the executor gets to it. */
    <T> CompletableFuture<T> failed(Throwable error) {
        CompletableFuture<T> future = new CompletableFuture<>();
        fail(future, error);
        return future;
    }

    /**
     * Completes {@code future} with {@code value}, or runs {@code undelivered} when the value could not be handed over:
     * the future was cancelled first, or the executor rejected the completion (the future then fails with its {@link
     * RejectedExecutionException}).
     *
     * @param undelivered what to do with a value no one received (a receive's messages: release them); may be null
     */
    <T> void complete(CompletableFuture<T> future, T value, Runnable undelivered) {
        Runnable completion = () -> {
            if (!future.complete(value) && undelivered != null) {
                undelivered.run();
            }
        };
        if (executor == null) {
            completion.run();
            return;
        }
        try {
            executor.execute(completion);
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(e);
            if (undelivered != null) {
                undelivered.run();
            }
        }
    }

    /** Fails {@code future} with {@code error}, or with the executor's rejection (suppressing it) when it rejects. */
    <T> void fail(CompletableFuture<T> future, Throwable error) {
        if (executor == null) {
            future.completeExceptionally(error);
            return;
        }
        try {
            executor.execute(() -> future.completeExceptionally(error));
        } catch (RejectedExecutionException e) {
            e.addSuppressed(error);
            future.completeExceptionally(e);
        }
    }
}
