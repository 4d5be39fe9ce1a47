package io.sluice.producer;

import java.util.Objects;

/**
 * What SQS answered for a message it accepted.
 *
 * @param messageId      the id SQS gave the message
 * @param sequenceNumber its sequence number on a FIFO queue (the order within its group), else {@code null}
 */
public record SendResult(String messageId, String sequenceNumber) {

    public SendResult {
        Objects.requireNonNull(messageId, "messageId");
    }
}
