package io.sluice.transport.memory;

import java.util.List;

/**
 * Which attributes a receive asked for, as SQS reads {@code MessageAttributeNames} and {@code
 * MessageSystemAttributeNames}: {@code All} (or {@code .*}) selects every attribute, a name ending in {@code .*}
 * selects the names that start with what precedes the {@code *} ({@code Order.*} selects {@code Order.id}, not {@code
 * Order} nor {@code Orderly}), any other name selects itself (names are case-sensitive).
 *
 * @param all   whether every attribute is selected
 * @param names the requested names and prefixes when not {@code all}
 */
record Selection(boolean all, List<String> names) {

    static final Selection ALL = new Selection(true, List.of());
    static final Selection NONE = new Selection(false, List.of());

    /** The selection {@code requested} names: {@link #NONE} for none, {@link #ALL} when it holds All or {@code .*}. */
    static Selection of(List<String> requested) {
        if (requested.isEmpty()) {
            return NONE;
        }
        if (requested.contains("All") || requested.contains(".*")) {
            return ALL;
        }
        return new Selection(false, List.copyOf(requested));
    }

    boolean includes(String name) {
        if (all) {
            return true;
        }
        for (String wanted : names) {
            if (wanted.equals(name) || (wanted.endsWith(".*")
                    && name.startsWith(wanted.substring(0, wanted.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
