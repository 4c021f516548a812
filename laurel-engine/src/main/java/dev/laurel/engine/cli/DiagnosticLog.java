package dev.laurel.engine.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where laurel's own diagnostics go: stderr, or syslog when laurel runs under auditd (which gives
 * plugins no usable stderr). Never stdout, which may carry the events.
 *
 * <p>Syslog: {@code /dev/log} is a datagram socket, and Java has unix-domain <em>stream</em>
 * sockets only, while log4j's syslog appender speaks UDP or TCP to a port that is rarely open. So
 * messages go through util-linux {@code logger(1)}, started once, reading one message per line
 * with its syslog priority as a {@code <N>} prefix (facility daemon). If it cannot be started,
 * diagnostics stay on stderr, with a warning there.
 *
 * <p>{@code auto} chooses stderr when laurel has a console, or when stderr goes anywhere but
 * {@code /dev/null} (a terminal, a pipe, a file, the journal); the environment variable
 * {@code LAUREL_LOG=stderr|syslog} overrides the config.
 */
final class DiagnosticLog {
    static final String STDERR = "stderr";
    static final String SYSLOG = "syslog";
    static final String AUTO = "auto";

    private static Process logger;

    private DiagnosticLog() {
    }

    /** Where diagnostics go for a configured mode, given the environment and the process's stderr. */
    static String choose(String configured, String env, boolean console, String stderrTarget) {
        if (env != null && (env.equals(STDERR) || env.equals(SYSLOG))) {
            return env;
        }
        if (configured != null && (configured.equals(STDERR) || configured.equals(SYSLOG))) {
            return configured;
        }
        if (console) {
            return STDERR;
        }
        return stderrTarget == null || stderrTarget.equals("/dev/null") ? SYSLOG : STDERR;
    }

    /** Sends diagnostics where {@code configured} ({@code auto}, {@code stderr}, {@code syslog}) says. */
    static synchronized void apply(String configured, String level) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        if (level != null) {
            root.setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
        }
        String mode = choose(configured, System.getenv("LAUREL_LOG"), System.console() != null, stderrTarget());
        Appender syslog = mode.equals(SYSLOG) ? syslogAppender(config) : null;
        Appender target = syslog != null ? syslog : config.getAppender(STDERR);
        if (target != null && !root.getAppenders().containsKey(target.getName())) {
            root.addAppender(target, null, null);
            root.removeAppender(target == syslog ? STDERR : SYSLOG);
        }
        ctx.updateLoggers();
    }

    /** The appender feeding logger(1), started once; {@code null} if logger(1) cannot run. */
    private static Appender syslogAppender(Configuration config) {
        Appender existing = config.getAppender(SYSLOG);
        if (existing != null) {
            return existing;
        }
        try {
            logger = startLogger();
        } catch (IOException | RuntimeException e) {
            System.err.println("laurel: cannot log to syslog through logger(1), logging to stderr: " + e);
            return null;
        }
        // Flushed after every message; not through the builder (see DiagnosticConfiguration).
        Appender syslog = OutputStreamAppender.createAppender(DiagnosticLayout.syslog(), null,
                logger.getOutputStream(), SYSLOG, false, true);
        syslog.start();
        config.addAppender(syslog);
        return syslog;
    }

    /** Stops logging cleanly: flushes appenders and lets logger(1) send what it has. */
    static synchronized void shutdown() {
        LogManager.shutdown();
        stopLogger();
    }

    /** Detaches the syslog appender, closes logger(1)'s input and waits briefly for it to send what it has. */
    static synchronized void stopLogger() {
        if (logger == null) {
            return;
        }
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        if (ctx.getConfiguration() instanceof AbstractConfiguration config) {
            config.getRootLogger().removeAppender(SYSLOG);
            Appender syslog = config.getAppender(SYSLOG);
            config.removeAppender(SYSLOG);
            if (syslog != null) {
                syslog.stop();
            }
            ctx.updateLoggers();
        }
        try {
            logger.getOutputStream().close();
            logger.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException ignored) {
            // logger(1) is gone already; nothing more to send
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logger = null;
    }

    private static Process startLogger() throws IOException {
        // laurel.logger: another logger(1), for tests
        ProcessBuilder pb = new ProcessBuilder(List.of(System.getProperty("laurel.logger", "logger"), "--tag", "laurel[" + ProcessHandle.current().pid() + "]",
                "--prio-prefix", "--size", "8192"));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);   // never into the event stream
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start();
    }

    private static String stderrTarget() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
