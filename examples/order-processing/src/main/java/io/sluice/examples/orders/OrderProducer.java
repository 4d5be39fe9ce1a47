package io.sluice.examples.orders;

import io.sluice.producer.SendAllResult;
import io.sluice.producer.SendOutcome;
import io.sluice.producer.SqsProducer;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The article's producer, {@code place_order}, in Java: each order becomes the JSON that Python's {@code json.dumps}
 * writes for the article's message (see {@link PythonJson}), sent as it is (no envelope, no attribute), so a Python
 * consumer cannot tell the two producers apart.
 *
 * <p>Sluice's {@link SqsProducer} does the sending: {@code sendAll} packs the orders into {@code SendMessageBatch}
 * calls of up to ten, several at once, retries what failed for a transient reason and reports each order's outcome.
 * {@link #place} returns only when every order was accepted, and otherwise throws naming each order that was not and
 * why.
 */
public final class OrderProducer {

    private final SqsProducer producer;
    private final String queue;

    /** Places orders on {@code queue} (a name or a URL) through {@code producer}. */
    public OrderProducer(SqsProducer producer, String queue) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    /**
     * Sends every order, returning the SQS message ids in the orders' order.
     *
     * @throws OrderProducerException when any order was not accepted, naming each one and SQS's reason
     */
    public List<String> place(List<Order> orders) {
        SendAllResult result = producer.sendAll(queue, orders.stream().map(PythonJson::dumps).toList());
        List<SendOutcome.Failed> failed = result.failed();
        if (!failed.isEmpty()) {
            throw new OrderProducerException(failed.size() + " of " + orders.size() + " order(s) were not placed on '"
                    + queue + "': " + failed.stream()
                            .map(outcome -> orders.get(outcome.index()).orderId() + " (" + outcome.error().getMessage()
                                    + ")")
                            .collect(Collectors.joining("; ")), failed.get(0).error());
        }
        return result.messageIds();
    }

    /** Orders were not placed; the message names each one and why, the cause is the first one's failure. */
    public static final class OrderProducerException extends RuntimeException {
        OrderProducerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
