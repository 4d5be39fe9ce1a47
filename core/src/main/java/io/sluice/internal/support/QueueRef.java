package io.sluice.internal.support;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A queue as the user named it: a queue name ({@code orders}), or a queue URL ({@code
 * https://sqs.eu-west-1.amazonaws.com/123456789012/orders}, any host, so ElasticMQ and LocalStack URLs too), which
 * needs no {@code GetQueueUrl} and may belong to another account. The one place that tells the two apart; the worker's
 * queue resolution and the producer's URL cache both use it. Immutable.
 *
 * @param name    the queue's name: the text given, or the last path segment of the URL
 * @param url     the URL given, or {@code null} when a name was given (it is then resolved with {@code GetQueueUrl})
 * @param account the 12-digit account id in the URL's path, or {@code null}
 */
public record QueueRef(String name, String url, String account) {

    private static final Pattern ACCOUNT = Pattern.compile("/(\\d{12})/");
    private static final Pattern ARN = Pattern.compile("arn:[^:]+:sqs:[^:]*:(\\d{12}|[^:]*):([^:]+)");

    public QueueRef {
        Objects.requireNonNull(name, "name");
    }

    /**
     * Reads {@code text} as a queue URL when it starts with {@code http://} or {@code https://}, else as a name.
     *
     * @throws IllegalArgumentException for a URL without a queue name in its path, or a blank text
     */
    public static QueueRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a queue must be a name or a URL, but was " + (text == null ? "null"
                    : "\"" + text + "\""));
        }
        String trimmed = text.strip();
        if (!trimmed.startsWith("http://") && !trimmed.startsWith("https://")) {
            return new QueueRef(trimmed, null, null);
        }
        String path;
        try {
            path = URI.create(trimmed).getPath();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("queue URL \"" + trimmed + "\" is not a valid URL: " + e.getMessage(),
                    e);
        }
        String withoutSlash = path == null ? "" : path.replaceAll("/+$", "");
        String name = withoutSlash.substring(withoutSlash.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("queue URL \"" + trimmed + "\" has no queue name in its path");
        }
        Matcher account = ACCOUNT.matcher(withoutSlash + "/");
        return new QueueRef(name, trimmed, account.find() ? account.group(1) : null);
    }

    /**
     * The queue an SQS ARN names ({@code arn:aws:sqs:eu-west-1:123456789012:orders-dlq}, as in a {@code
     * RedrivePolicy}), with its account, so that a dead-letter queue in another account resolves too.
     *
     * @throws IllegalArgumentException when {@code arn} is not an SQS queue ARN
     */
    public static QueueRef fromArn(String arn) {
        Matcher matcher = arn == null ? null : ARN.matcher(arn);
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("not an SQS queue ARN: " + arn);
        }
        String account = matcher.group(1);
        return new QueueRef(matcher.group(2), null, account.matches("\\d{12}") ? account : null);
    }

    /** Whether the URL is known without asking SQS. */
    public boolean hasUrl() {
        return url != null;
    }

    /** Whether {@code name} names a FIFO queue. */
    public boolean fifo() {
        return QueueNames.isFifo(name);
    }

    @Override
    public String toString() {
        return url != null ? url : name;
    }
}
