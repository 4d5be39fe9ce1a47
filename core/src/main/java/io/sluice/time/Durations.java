package io.sluice.time;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as people write them in settings and read them in messages: {@code 250ms}, {@code 30s}, {@code 5m},
 * {@code 2h}. Every {@code sluice.*} duration is parsed here, and every message that shows a duration formats it here,
 * so an error says {@code 20s} when the setting said {@code 20s} (never {@code PT20S}).
 */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, a bare number of seconds, or ISO-8601 ({@code PT30S}).
     *
     * @param key named in the error, e.g. {@code sluice.wait-time}
     * @throws IllegalArgumentException naming {@code key} and {@code text} when it is not a duration
     */
    public static Duration parse(String key, String text) {
        String trimmed = text == null ? "" : text.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("p")) {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            }
            if (lower.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2).trim()));
            }
            if (lower.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(lower.substring(0, lower.length() - 1).trim()));
            }
            if (lower.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(lower.substring(0, lower.length() - 1).trim()));
            }
            if (lower.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(lower.substring(0, lower.length() - 1).trim()));
            }
            return Duration.ofSeconds(Long.parseLong(lower));
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(key + " must be a duration such as 500ms, 30s, 5m or PT30S, but was '"
                    + text + "'");
        }
    }

    /**
     * The shortest of the forms {@link #parse} reads that is exact: {@code 2h}, {@code 5m}, {@code 90s}, {@code 250ms};
     * a duration finer than a millisecond as {@code 1.5ms}. Negative durations keep their sign.
     */
    public static String format(Duration duration) {
        if (duration == null) {
            return "none";
        }
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        if (duration.isZero()) {
            return "0s";
        }
        long nanos = duration.getNano();
        long seconds = duration.getSeconds();
        if (nanos == 0) {
            if (seconds % 3600 == 0) {
                return seconds / 3600 + "h";
            }
            if (seconds % 60 == 0) {
                return seconds / 60 + "m";
            }
            return seconds + "s";
        }
        if (nanos % 1_000_000 == 0 && seconds < Long.MAX_VALUE / 1000 - 1) {
            return (seconds * 1000 + nanos / 1_000_000) + "ms";
        }
        return String.format(Locale.ROOT, "%sms", java.math.BigDecimal.valueOf(duration.toNanos(), 6)
                .stripTrailingZeros().toPlainString());
    }
}
