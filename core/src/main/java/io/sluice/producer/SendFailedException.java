package io.sluice.producer;

import io.sluice.SluiceException;

/**
 * A message was not sent: refused before any request because SQS would refuse it ({@link #beforeRequest()}), refused
 * by SQS, or not sent because the calls kept failing. The message names the queue, the message and the reason (for a
 * refusal, the limit); {@link #code()} is SQS's error code (or the one SQS would have returned).
 */
public final class SendFailedException extends SluiceException {

    private final String queue;
    private final String code;
    private final boolean senderFault;
    private final boolean beforeRequest;

    /**
     * @param code          SQS's error code, or {@code null} when SQS gave none (the call failed)
     * @param senderFault   whether the message itself is at fault (sending it again as it is cannot succeed)
     * @param beforeRequest whether the producer refused it without calling SQS
     */
    public SendFailedException(String queue, String message, String code, boolean senderFault, boolean beforeRequest,
            Throwable cause) {
        super(message, cause);
        this.queue = queue;
        this.code = code;
        this.senderFault = senderFault;
        this.beforeRequest = beforeRequest;
    }

    /** The queue the message was for, as given to the producer. */
    public String queue() {
        return queue;
    }

    /** SQS's error code ({@code InvalidParameterValue}, {@code InvalidMessageContents}, ...), or {@code null}. */
    public String code() {
        return code;
    }

    /** Whether the message itself is at fault: sending it again unchanged cannot succeed. */
    public boolean senderFault() {
        return senderFault;
    }

    /** Whether the producer refused the message before any request, as SQS would have refused it. */
    public boolean beforeRequest() {
        return beforeRequest;
    }
}
