package io.sluice;

import java.util.List;

/**
 * Thrown at startup when handler classes cannot run as written: an unsupported parameter, two handlers for one queue, a
 * handler that cannot be instantiated, a queue that does not exist. Lists every problem found, not just the first.
 */
public final class HandlerDefinitionException extends SluiceException {

    private final List<String> problems;

    public HandlerDefinitionException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public HandlerDefinitionException(String problem, Throwable cause) {
        super(format(List.of(problem)), cause);
        this.problems = List.of(problem);
    }

    /** Each problem on its own, each naming {@code Class.method} and the queue where they apply. */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "Invalid Sluice handler setup: " + problems.get(0);
        }
        StringBuilder text = new StringBuilder("Invalid Sluice handler setup, ").append(problems.size()).append(" problems:");
        for (int i = 0; i < problems.size(); i++) {
            text.append("\n  ").append(i + 1).append(") ").append(problems.get(i));
        }
        return text.toString();
    }
}
