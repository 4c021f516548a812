package dev.laurel.engine.plugin;

import org.apache.logging.log4j.Level;







import dev.laurel.engine.testkit.LogCapture;
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

    private LogCapture captured;

    @BeforeEach
    void capture() {
        captured = LogCapture.of(LOGGER, event -> event.getLoggerName() + " " + event.getLevel() + " "
                + event.getMessage().getFormattedMessage()
                + (event.getThrown() == null ? "" : " [" + event.getThrown().getMessage() + "]"));
    }

    @AfterEach
    void release() {
        captured.close();
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
