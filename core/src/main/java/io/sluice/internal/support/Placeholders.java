package io.sluice.internal.support;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code ${key}} and {@code ${key:default}} placeholders in a queue name or URL, so that one build consumes {@code
 * orders-dev} and {@code orders-prod}: {@code ${orders.queue}}, {@code ${queue.prefix:}orders}, {@code
 * https://sqs.eu-west-1.amazonaws.com/${account}/orders}. A key is letters, digits, {@code .}, {@code _} and {@code -};
 * a default runs to the closing brace, may be empty and holds no placeholder; a value is used as it is (a placeholder
 * in it stays); an empty value counts as none. Text without {@code ${} is returned unchanged; there is no escape (a
 * queue name or URL has no use for {@code ${}). The worker's handler scan and the producer both resolve through here.
 */
public final class Placeholders {

    private static final String OPEN = "${";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");

    private Placeholders() {
    }

    /**
     * {@code text} with each placeholder replaced by its value from {@code lookup}, or by its default when the lookup
     * has none.
     *
     * @param usedBy named in errors, e.g. {@code OrderProcessor.handle}
     * @throws IllegalArgumentException naming {@code usedBy}, {@code text} and the key, for a key without a value or
     *                                  default, or a placeholder that is not closed, has a bad key or holds another
     */
    public static String resolve(String text, Function<String, Optional<String>> lookup, String usedBy) {
        if (text == null || !text.contains(OPEN)) {
            return text;
        }
        StringBuilder resolved = new StringBuilder();
        int from = 0;
        for (int start = text.indexOf(OPEN); start >= 0; start = text.indexOf(OPEN, from)) {
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw problem(usedBy, text, "'${' is not closed by '}'", "");
            }
            String inner = text.substring(start + OPEN.length(), end);
            if (inner.contains(OPEN)) {
                throw problem(usedBy, text, "a placeholder cannot hold another", "");
            }
            int colon = inner.indexOf(':');
            String key = colon < 0 ? inner : inner.substring(0, colon);
            if (!KEY.matcher(key).matches()) {
                throw problem(usedBy, text, "'" + key + "' is not a placeholder key", " (letters, digits, '.', '_' and"
                        + " '-')");
            }
            Optional<String> value = lookup.apply(key).filter(Placeholders::present);
            if (value.isEmpty() && colon < 0) {
                throw problem(usedBy, text, "no value for key '" + key + "'", "; set the system property " + key
                        + " or the environment variable " + environmentVariable(key) + ", or give a default: ${" + key
                        + ":value}");
            }
            resolved.append(text, from, start).append(value.orElseGet(() -> inner.substring(colon + 1)));
            from = end + 1;
        }
        return resolved.append(text, from, text.length()).toString();
    }

    /** The lookup used when nothing else is configured: the system property {@code key}, else its variable. */
    public static Function<String, Optional<String>> systemLookup() {
        return lookup(System::getProperty, System::getenv);
    }

    /**
     * {@code key} in {@code properties}, else {@link #environmentVariable(String) its variable} in {@code environment};
     * each returns {@code null} for none, and an empty value counts as none.
     */
    public static Function<String, Optional<String>> lookup(Function<String, String> properties,
            Function<String, String> environment) {
        return key -> Optional.ofNullable(properties.apply(key)).filter(Placeholders::present).or(() ->
                Optional.ofNullable(environment.apply(environmentVariable(key))).filter(Placeholders::present));
    }

    /**
     * The environment variable that holds {@code key}, for placeholders and Sluice's settings alike: upper case, with
     * {@code .} and {@code -} as {@code _} ({@code orders.queue} is {@code ORDERS_QUEUE}, {@code
     * sluice.queues.order-processing.concurrency} is {@code SLUICE_QUEUES_ORDER_PROCESSING_CONCURRENCY}).
     */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static boolean present(String value) {
        return !value.isEmpty();
    }

    private static IllegalArgumentException problem(String usedBy, String text, String what, String hint) {
        return new IllegalArgumentException(usedBy + ": " + what + " in '" + text + "'" + hint);
    }
}
