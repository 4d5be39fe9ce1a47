package io.sluice;

import java.time.Instant;
import java.util.Objects;

/**
 * One delivery of one message to one handler: what events and logs say about a message, without its body.
 *
 * @param queue        the queue's name
 * @param messageId    the SQS message id
 * @param handler      the handler as {@code Class.method}
 * @param receiveCount the message's {@code ApproximateReceiveCount} (1 on the first delivery; 0 if unknown)
 * @param receivedAt   when this worker received it, on the worker's clock
 * @param groupId      its {@code MessageGroupId} (FIFO queues, and standard queues used as fair queues), or {@code null}
 */
public record Delivery(String queue, String messageId, String handler, int receiveCount, Instant receivedAt,
        String groupId) {

    public Delivery {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** A delivery of a message without a group. */
    public Delivery(String queue, String messageId, String handler, int receiveCount, Instant receivedAt) {
        this(queue, messageId, handler, receiveCount, receivedAt, null);
    }

    @Override
    public String toString() {
        return "message " + messageId + " from queue '" + queue + "'" + (groupId == null ? "" : " (group " + groupId + ")")
                + " (receive #" + receiveCount + ") for " + handler;
    }
}
