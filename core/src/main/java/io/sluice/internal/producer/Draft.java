package io.sluice.internal.producer;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A message written and decorated, not yet fitted to its queue: its body, its attributes (the hooks' included), its
 * FIFO ids, and when it is due ({@code null}: at once).
 */
public record Draft(String label, String body, Map<String, MessageAttributeValue> attributes, String groupId,
        String deduplicationId, Instant due) {
}
