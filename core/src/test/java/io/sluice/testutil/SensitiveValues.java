package io.sluice.testutil;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What must never appear in a log line at INFO or above (issue 12): the message bodies, receipt handles and secrets the
 * tests use, registered by the test helpers that make them ({@link TestMessages}, {@link InMemoryWorld}, ...), and the
 * shapes of receipt handles and session tokens that no registration can list. {@link LogGuard} checks every line.
 */
public final class SensitiveValues {

    /** Shorter bodies ("ok", "{}") would match ordinary words of a log line. */
    static final int MIN_BODY_LENGTH = 12;

    /**
     * A receipt handle of {@code InMemorySqs} ({@code <16 hex>-<seq>-<receive count>}), and a long run of base64 or
     * URL-safe characters mixing cases and digits: an SQS receipt handle, or a session token.
     */
    static final Pattern SHAPES = Pattern.compile("\\b[0-9a-f]{16}-\\d+-\\d+\\b|[A-Za-z0-9+/=_-]{100,}");

    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

    private SensitiveValues() {
    }

    /** A message body a test sends: never to be logged at INFO or above (when long enough to tell). */
    public static void body(String body) {
        if (body != null && body.strip().length() >= MIN_BODY_LENGTH) {
            VALUES.add(body.length() > 200 ? body.substring(0, 200) : body);
        }
    }

    /** A receipt handle or a secret: never to be logged at INFO or above. */
    public static void secret(String value) {
        if (value != null && value.length() >= 4) {
            VALUES.add(value);
        }
    }

    /** The sensitive value or shape {@code line} contains, or {@code null}. */
    static String foundIn(String line) {
        if (line == null) {
            return null;
        }
        for (String value : VALUES) {
            if (line.contains(value)) {
                return value;
            }
        }
        var shape = SHAPES.matcher(line);
        while (shape.find()) {
            String found = shape.group();
            // A long run is a handle or a token only when it mixes cases and digits ("xxxx..." is a test's filler).
            if (found.length() < 100 || found.chars().anyMatch(Character::isUpperCase)
                    && found.chars().anyMatch(Character::isLowerCase) && found.chars().anyMatch(Character::isDigit)) {
                return found;
            }
        }
        return null;
    }
}
