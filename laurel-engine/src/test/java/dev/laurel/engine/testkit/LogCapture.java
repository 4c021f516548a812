package dev.laurel.engine.testkit;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Keeps what one logger writes to log4j (the backend of laurel's SLF4J), at INFO and above, as
 * one line per event in a test's own format. Open in {@code @BeforeEach}, close in {@code @AfterEach}.
 */
public final class LogCapture implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicInteger NAMES = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The lines so far. Safe to read, stream and iterate while the logger is in use on another
     * thread: each iteration sees a snapshot (a synchronized list would throw
     * ConcurrentModificationException from {@code stream()} when a line arrives mid-read).
     */
    public final List<String> lines = new CopyOnWriteArrayList<>();

    private final String logger;
    private final Appender appender;

    private LogCapture(String logger, Function<LogEvent, String> format) {
        this.logger = logger;
        this.appender = new Appender(format);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender.start();
        config.addAppender(appender);
        LoggerConfig loggerConfig = new LoggerConfig(logger, Level.INFO, false);
        loggerConfig.addAppender(appender, Level.ALL, null);
        config.addLogger(logger, loggerConfig);
        context.updateLoggers();
    }

    /** Captures {@code logger}, each event as {@code format} gives it. */
    public static LogCapture of(String logger, Function<LogEvent, String> format) {
        return new LogCapture(logger, format);
    }

    /** Captures {@code logger}, each event as {@code LEVEL message}. */
    public static LogCapture levelAndMessage(String logger) {
        return of(logger, e -> e.getLevel() + " " + e.getMessage().getFormattedMessage());
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(logger);
        context.updateLoggers();
        appender.stop();
    }

    private final class Appender extends AbstractAppender {
        private final Function<LogEvent, String> format;

        Appender(Function<LogEvent, String> format) {
            super("captured-" + NAMES.incrementAndGet(), null, null, true, Property.EMPTY_ARRAY);
            this.format = format;
        }

        @Override
        public void append(LogEvent event) {
            lines.add(format.apply(event));
        }
    }
}
