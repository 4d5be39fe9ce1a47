package io.sluice.internal.support;

import java.util.regex.Pattern;

/**
 * SQS's rule for queue names, in one place: 1 to 80 letters, digits, {@code -} and {@code _}; a FIFO queue's name ends
 * in {@code .fifo} (within the 80). And the name Sluice gives a queue's dead-letter queue.
 */
public final class QueueNames {

    private static final String FIFO_SUFFIX = ".fifo";
    private static final Pattern STANDARD = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern FIFO = Pattern.compile("[A-Za-z0-9_-]{1,75}\\.fifo");

    private QueueNames() {
    }

    /** Whether {@code name} is a valid SQS queue name (standard or FIFO). */
    public static boolean isValid(String name) {
        return isValid(name, isFifo(name));
    }

    /** Whether {@code name} is valid for a queue of that type (as CreateQueue checks it, with its FifoQueue flag). */
    public static boolean isValid(String name, boolean fifo) {
        return name != null && (fifo ? FIFO : STANDARD).matcher(name).matches();
    }

    /** Whether {@code name} names a FIFO queue. */
    public static boolean isFifo(String name) {
        return name != null && name.endsWith(FIFO_SUFFIX);
    }

    /** {@code orders-dlq} for {@code orders}; {@code payments-dlq.fifo} for {@code payments.fifo}. */
    public static String defaultDeadLetterQueue(String queue) {
        return isFifo(queue) ? queue.substring(0, queue.length() - FIFO_SUFFIX.length()) + "-dlq" + FIFO_SUFFIX
                : queue + "-dlq";
    }
}
