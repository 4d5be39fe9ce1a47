package io.sluice.producer;

import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Runs for every message an {@link SqsProducer} sends, on the sending thread, before the message is checked: it may add
 * message attributes, such as a trace context ({@code traceparent}) taken from the current thread. What it adds counts
 * toward SQS's limits (10 attributes, the size), like the message's own attributes. Must be thread safe and quick.
 */
@FunctionalInterface
public interface SendHook {

    /**
     * @param queue      the queue the message goes to, as given to the producer
     * @param attributes the message's attributes so far, to add to (not to remove from)
     */
    void beforeSend(String queue, Map<String, MessageAttributeValue> attributes);
}
