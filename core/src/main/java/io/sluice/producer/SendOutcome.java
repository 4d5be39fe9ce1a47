package io.sluice.producer;

import java.util.Objects;

/** What became of one message of a {@link SqsProducer#sendAll}: sent, with SQS's answer, or failed, with why. */
public sealed interface SendOutcome {

    /** The message's position in the list given to {@code sendAll}, from 0. */
    int index();

    /** SQS accepted the message. */
    record Sent(int index, SendResult result) implements SendOutcome {
        public Sent {
            Objects.requireNonNull(result, "result");
        }
    }

    /** The message was not sent; {@code error} names the queue, the message and the reason, with SQS's code. */
    record Failed(int index, SendFailedException error) implements SendOutcome {
        public Failed {
            Objects.requireNonNull(error, "error");
        }

        /** SQS's error code, or {@code null} when the calls failed without one. */
        public String code() {
            return error.code();
        }
    }
}
