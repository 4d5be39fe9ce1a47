package io.sluice.internal.batch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;

/**
 * A batch call's response read per entry id: the entries SQS did, with their results, and the ones it refused, with
 * its error. An id in neither map was not answered (the {@link Batcher} retries it).
 */
public record BatchReply<R>(Map<String, R> successful, Map<String, BatchResultErrorEntry> failed) {

    /**
     * Reads a response's {@code successful} list (each entry's id read by {@code id}, its result by {@code result}) and
     * its {@code failed} list.
     */
    public static <T, R> BatchReply<R> of(List<T> successful, Function<T, String> id, Function<T, R> result,
            List<BatchResultErrorEntry> failed) {
        Map<String, R> done = new HashMap<>();
        successful.forEach(entry -> done.put(id.apply(entry), result.apply(entry)));
        Map<String, BatchResultErrorEntry> refused = new HashMap<>();
        failed.forEach(entry -> refused.put(entry.id(), entry));
        return new BatchReply<>(done, refused);
    }
}
