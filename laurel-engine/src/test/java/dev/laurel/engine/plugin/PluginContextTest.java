package dev.laurel.engine.plugin;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PluginContextTest {
    private static final String ID = "ctx-test";
    private static final String LOGGER = "laurel.plugin." + ID;

    /** Keeps what reaches log4j, the backend laurel's SLF4J writes to. */
    private static final class Captured extends AbstractAppender {
        final List<String> lines = new ArrayList<>();

        Captured() {
            super("captured", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getLoggerName() + " " + event.getLevel() + " " + event.getMessage().getFormattedMessage()
                    + (event.getThrown() == null ? "" : " [" + event.getThrown().getMessage() + "]"));
        }
    }

    private final Captured captured = new Captured();

    @BeforeEach
    void capture() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        captured.start();
        config.addAppender(captured);
        LoggerConfig logger = new LoggerConfig(LOGGER, Level.INFO, false);
        logger.addAppender(captured, Level.ALL, null);
        config.addLogger(LOGGER, logger);
        context.updateLoggers();
    }

    @AfterEach
    void release() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(LOGGER);
        context.updateLoggers();
        captured.stop();
    }

    @Test
    void loggerIsNamedForTheEntryAndWritesThroughSlf4j() {
        System.Logger log = new EnginePluginContext(ID).logger();
        assertThat(log.getName()).isEqualTo(LOGGER);

        log.log(System.Logger.Level.INFO, "opened {0} with {1} entries", "/tmp/x", 3);
        log.log(System.Logger.Level.WARNING, "cannot write", new java.io.IOException("disk full"));
        log.log(System.Logger.Level.ERROR, "{braces} stay when there are no parameters");
        log.log(System.Logger.Level.DEBUG, "below the level");
        log.log(System.Logger.Level.TRACE, "below the level too");

        assertThat(captured.lines).containsExactly(
                LOGGER + " INFO opened /tmp/x with 3 entries",
                LOGGER + " WARN cannot write [disk full]",
                LOGGER + " ERROR {braces} stay when there are no parameters");
    }

    @Test
    void isLoggableFollowsTheConfiguredLevel() {
        System.Logger log = new EnginePluginContext(ID).logger();
        assertThat(log.isLoggable(System.Logger.Level.ERROR)).isTrue();
        assertThat(log.isLoggable(System.Logger.Level.WARNING)).isTrue();
        assertThat(log.isLoggable(System.Logger.Level.INFO)).isTrue();
        assertThat(log.isLoggable(System.Logger.Level.DEBUG)).isFalse();
        assertThat(log.isLoggable(System.Logger.Level.TRACE)).isFalse();
        assertThat(log.isLoggable(System.Logger.Level.OFF)).isFalse();
    }

    @Test
    void clockIsTheSystemClockUnlessGiven() {
        Instant before = Instant.now();
        Instant now = new EnginePluginContext(ID).clock().instant();
        assertThat(now).isBetween(before, Instant.now());

        InstantSource fixed = InstantSource.fixed(Instant.parse("2021-07-18T12:29:23.720Z"));
        assertThat(new EnginePluginContext(ID, fixed).clock().instant()).isEqualTo(fixed.instant());
    }
}
