package io.sluice.testutil;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What one class logged while this is open (Logback); close it to stop capturing. */
public final class CapturedLogs implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs(Class<?> type) {
        this.logger = (Logger) LoggerFactory.getLogger(type);
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing what {@code type}'s logger logs. */
    public static CapturedLogs of(Class<?> type) {
        return new CapturedLogs(type);
    }

    /** Each event as {@code LEVEL message} (the formatted message, no stack trace). */
    public List<String> lines() {
        return appender.list.stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
    }

    /** For each event, whether it carries a throwable (a stack trace in the log). */
    public List<Boolean> withStackTraces() {
        return appender.list.stream().map(event -> event.getThrowableProxy() != null).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
