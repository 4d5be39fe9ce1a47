package io.sluice.runtime.admin;

/**
 * A queue the CLI works on: its name (as commands and errors show it) and its URL (as SQS's calls take it).
 *
 * @param name the queue's name, the last segment of its URL
 * @param url  its URL
 */
record QueueRef(String name, String url) {

    /** Whether {@code queue} is given as a URL rather than a name. */
    static boolean isUrl(String queue) {
        return queue.startsWith("http://") || queue.startsWith("https://");
    }

    /** The queue at {@code url}, named by the URL's last segment. */
    static QueueRef ofUrl(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return new QueueRef(trimmed.substring(trimmed.lastIndexOf('/') + 1), url);
    }

    /** The queue name in an SQS ARN ({@code arn:aws:sqs:REGION:ACCOUNT:NAME}). */
    static String nameOfArn(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    /** The account in an SQS ARN, or {@code null} when it has none. */
    static String accountOfArn(String arn) {
        String[] parts = arn.split(":");
        return parts.length == 6 && !parts[4].isEmpty() ? parts[4] : null;
    }

    boolean isFifo() {
        return name.endsWith(".fifo");
    }
}
