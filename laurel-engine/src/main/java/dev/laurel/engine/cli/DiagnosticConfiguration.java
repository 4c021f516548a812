package dev.laurel.engine.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;

import java.net.URI;
import java.util.Locale;

/**
 * log4j's configuration for laurel's own diagnostics, built in code: the root logger at INFO (or
 * the system property {@code laurel.log.level}) writing to stderr through {@link DiagnosticLayout}.
 * {@link DiagnosticLog} then switches to syslog and sets the level from laurel's config.
 *
 * <p>In code rather than in a {@code log4j2.xml}: reading an XML configuration loads the JDK's
 * XML parser and log4j's reflective plugin builder, most of laurel's start-up before this
 * (callgrind, an empty input: see the commit that made this class). log4j finds it through
 * {@code log4j2.component.properties}, whoever logs first.
 */
final class DiagnosticConfiguration extends AbstractConfiguration {

    DiagnosticConfiguration(LoggerContext context) {
        super(context, ConfigurationSource.NULL_SOURCE);
        setName("laurel");
        // laurel's own shutdown hook still logs while it finishes the pending events
        isShutdownHookEnabled = false;
    }

    @Override
    protected void doConfigure() {
        // Not through an appender builder: its build() validates the builder's fields by
        // reflection on their annotations (a dozen annotation proxies generated at start-up).
        // log4j shields System.err from being closed when it stops.
        Appender stderr = OutputStreamAppender.createAppender(DiagnosticLayout.stderr(), null, System.err,
                DiagnosticLog.STDERR, false, true);
        addAppender(stderr);
        LoggerConfig root = getRootLogger();
        root.setLevel(Level.toLevel(System.getProperty("laurel.log.level", "info").toUpperCase(Locale.ROOT), Level.INFO));
        root.addAppender(stderr, null, null);
    }

    /** Gives log4j a {@link DiagnosticConfiguration} whatever configuration it looks for. */
    public static final class Factory extends ConfigurationFactory {
        @Override
        protected String[] getSupportedTypes() {
            return new String[] {"*"};
        }

        @Override
        public Configuration getConfiguration(LoggerContext context, ConfigurationSource source) {
            return new DiagnosticConfiguration(context);
        }

        @Override
        public Configuration getConfiguration(LoggerContext context, String name, URI location) {
            return new DiagnosticConfiguration(context);
        }
    }
}
