package io.sluice.testutil;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/**
 * A Logback appender, in every module's {@code logback-test.xml}, that checks each line at INFO or above for a message
 * body, receipt handle or secret ({@link SensitiveValues}): the message and the messages of its exception chain. What it
 * finds fails the test that was running ({@link LogGuardExtension}).
 */
public final class LogGuard extends AppenderBase<ILoggingEvent> {

    private static final List<String> FOUND = new ArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.INFO)) {
            return;
        }
        String found = SensitiveValues.foundIn(event.getFormattedMessage());
        for (IThrowableProxy cause = event.getThrowableProxy(); found == null && cause != null;
                cause = cause.getCause()) {
            found = SensitiveValues.foundIn(cause.getMessage());
        }
        if (found != null) {
            synchronized (FOUND) {
                FOUND.add(event.getLevel() + " " + event.getLoggerName() + ": '" + abbreviate(found) + "' in: "
                        + abbreviate(event.getFormattedMessage()));
            }
        }
    }

    /** What was found since the last call, and a clean slate. */
    static List<String> takeFound() {
        synchronized (FOUND) {
            List<String> found = List.copyOf(FOUND);
            FOUND.clear();
            return found;
        }
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
