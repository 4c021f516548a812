package dev.laurel.engine.cli;

import dev.laurel.engine.input.DiagnosticText;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How one of laurel's diagnostics reads: on stderr {@code 2026-11-26T04:00:53.934Z laurel INFO  Main:
 * message} (local time), for logger(1) {@code <30>Main: message} with the syslog priority (facility
 * daemon) in front and line breaks written as {@code \n}, so that a message is one syslog line.
 * Every message, and the exception after it, is escaped by {@link DiagnosticText}: a diagnostic
 * quoting input (a damaged line, a pipe child's output) writes no terminal controls.
 *
 * <p>Written here rather than as a log4j {@code PatternLayout}: setting a pattern up loads and
 * reflects on all ~100 of log4j's pattern converters, a large part of laurel's start-up.
 */
final class DiagnosticLayout extends AbstractStringLayout {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);

    private final boolean syslog;

    private DiagnosticLayout(boolean syslog) {
        super(StandardCharsets.UTF_8);
        this.syslog = syslog;
    }

    /** {@code TIME laurel LEVEL Logger: message}, a stack trace on the lines after it. */
    static DiagnosticLayout stderr() {
        return new DiagnosticLayout(false);
    }

    /** {@code <PRIORITY>Logger: message}, one line, for logger(1) {@code --prio-prefix}. */
    static DiagnosticLayout syslog() {
        return new DiagnosticLayout(true);
    }

    @Override
    public String toSerializable(LogEvent event) {
        StringBuilder line = new StringBuilder(128);
        if (syslog) {
            line.append('<').append(priority(event.getLevel())).append('>');
            appendShortName(line, event.getLoggerName());
            line.append(": ");
            int start = line.length();
            line.append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                line.append(' ').append(stackTrace(event.getThrown()));
            }
            DiagnosticText.escape(line, start, false);
            line.append('\n');
        } else {
            appendTime(line, event.getTimeMillis(), ZoneId.systemDefault());
            line.append(" laurel ");
            String level = event.getLevel().name();
            line.append(level);
            for (int i = level.length(); i < 5; i++) {
                line.append(' ');
            }
            line.append(' ');
            appendShortName(line, event.getLoggerName());
            line.append(": ");
            int start = line.length();
            line.append(event.getMessage().getFormattedMessage());
            DiagnosticText.escape(line, start, false);
            line.append('\n');
            if (event.getThrown() != null) {
                start = line.length();
                line.append(stackTrace(event.getThrown()));
                DiagnosticText.escape(line, start, true);
            }
        }
        return line.toString();
    }

    /** The syslog priority of a level, facility daemon (3): 8 * 3 + severity. */
    static int priority(Level level) {
        return switch (level.getStandardLevel()) {
            case FATAL, OFF -> 26;
            case ERROR -> 27;
            case WARN -> 28;
            case INFO -> 30;
            default -> 31;
        };
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS} and the offset ({@code Z} or {@code +HH:MM}) in {@code zone}. */
    static void appendTime(StringBuilder line, long epochMillis, ZoneId zone) {
        TIME.withZone(zone).formatTo(Instant.ofEpochMilli(epochMillis), line);
    }

    /** The logger's name after its last dot: the class name. */
    private static void appendShortName(StringBuilder line, String logger) {
        if (logger == null) {
            return;
        }
        line.append(logger, logger.lastIndexOf('.') + 1, logger.length());
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter trace = new StringWriter();
        try (PrintWriter out = new PrintWriter(trace)) {
            thrown.printStackTrace(out);
        }
        return trace.toString();
    }
}
