package io.sluice.examples.orders;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which orders were processed, and from which message: the stand-in for the order service's database. SQS delivers at
 * least once, so the processor looks an order up here before charging for it again.
 *
 * <p>In memory and unbounded, which is fine for an example; a real service keeps this in its database.
 */
@Singleton
public class OrderLedger {

    private final Map<String, String> messageByOrder = new ConcurrentHashMap<>();

    /** Whether {@code orderId} was processed before. */
    public boolean isProcessed(String orderId) {
        return messageByOrder.containsKey(orderId);
    }

    /** Records {@code orderId} as processed from {@code messageId}; returns false if it was recorded before. */
    public boolean record(String orderId, String messageId) {
        return messageByOrder.putIfAbsent(orderId, messageId) == null;
    }

    /** The message that {@code orderId} was processed from. */
    public Optional<String> messageOf(String orderId) {
        return Optional.ofNullable(messageByOrder.get(orderId));
    }

    /** Every processed order id, with the message it came from. */
    public Map<String, String> processed() {
        return Map.copyOf(messageByOrder);
    }

    public int size() {
        return messageByOrder.size();
    }
}
