package io.sluice.internal.batch;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One SQS batch action ({@code DeleteMessageBatch}, {@code ChangeMessageVisibilityBatch}, {@code SendMessageBatch}) as
 * the {@link Batcher} drives it: it turns up to ten entries into one request and reads the response back per entry.
 * Implementations hold no state of their own beyond the transport and the queue URL.
 *
 * @param <E> what a caller submits (a message to delete, a request entry to send)
 * @param <R> what one entry's success returns (the SDK's result entry)
 */
public interface BatchAction<E, R> {

    /** What the action does, for messages: {@code delete}, {@code visibility change}, {@code send}. */
    String description();

    /** The entry, for messages: {@code message 5fe1...}. Never its body or receipt handle. */
    String describe(E entry);

    /** The bytes the entry counts toward the request's size limit; 0 for actions without one. */
    default int size(E entry) {
        return 0;
    }

    /**
     * Sends one request for {@code entries}, the {@code i}th under the batch entry id {@code ids.get(i)}.
     *
     * @return the response read per entry id; or a failed future when the call failed as a whole
     */
    CompletableFuture<BatchReply<R>> call(List<E> entries, List<String> ids);
}
