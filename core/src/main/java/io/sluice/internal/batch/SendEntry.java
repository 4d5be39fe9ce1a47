package io.sluice.internal.batch;

import java.util.Objects;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * One message to send: the request entry (its batch id is set by the {@link Batcher}) and how errors name it, e.g.
 * {@code message 5fe1...} or {@code message 3 of 12 (Order)}; never its body.
 *
 * @param size the bytes SQS counts for it (body and attributes), as {@code MessageRules.size} computes them
 */
public record SendEntry(SendMessageBatchRequestEntry entry, String label, int size) {

    public SendEntry {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(label, "label");
    }
}
