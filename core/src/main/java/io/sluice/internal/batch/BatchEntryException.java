package io.sluice.internal.batch;

/**
 * One entry of a batch call failed for good: SQS refused it ({@link #code()} is SQS's error code, {@link
 * #senderFault()} whether SQS blamed the request), or the response did not list it and retries ran out. The message
 * names the action, the entry, the queue and SQS's reason.
 */
public final class BatchEntryException extends RuntimeException {

    private final String reason;
    private final String code;
    private final boolean senderFault;

    /** @param what the action and entry, e.g. {@code send of message 3 on queue 'orders'} */
    BatchEntryException(String what, String reason, String code, boolean senderFault) {
        super(what + " " + reason, null, false, false);
        this.reason = reason;
        this.code = code;
        this.senderFault = senderFault;
    }

    /** Why, without the action and entry: {@code failed: InternalError: ...}, {@code not attempted: ...}. */
    public String reason() {
        return reason;
    }

    /** SQS's error code for the entry, or {@code null} when SQS did not answer for it. */
    public String code() {
        return code;
    }

    /** Whether SQS said the request was at fault (retrying the same entry cannot help). */
    public boolean senderFault() {
        return senderFault;
    }
}
