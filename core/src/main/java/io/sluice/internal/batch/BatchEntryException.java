package io.sluice.internal.batch;

/**
 * One entry of a batch call failed for good: SQS refused it ({@link #code()} is SQS's error code, {@link
 * #senderFault()} whether SQS blamed the request), or the response did not list it and retries ran out. The message
 * names the action, the entry, the queue and SQS's reason.
 */
public final class BatchEntryException extends RuntimeException {

    private final String code;
    private final boolean senderFault;

    BatchEntryException(String message, String code, boolean senderFault) {
        super(message, null, false, false);
        this.code = code;
        this.senderFault = senderFault;
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
