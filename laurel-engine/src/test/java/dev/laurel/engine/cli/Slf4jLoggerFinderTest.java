package dev.laurel.engine.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Slf4jLoggerFinderTest {

    @Test
    void pluginLoggersGoToLaurelsLog() {
        assertThat(System.LoggerFinder.getLoggerFinder()).isInstanceOf(Slf4jLoggerFinder.class);
        assertThat(System.getLogger("dev.laurel.test.plugin").getName()).isEqualTo("dev.laurel.test.plugin");
    }

    @Test
    void followsLaurelsLogLevel() {
        System.Logger logger = System.getLogger("dev.laurel.test.levels");
        Configurator.setLevel("dev.laurel.test.levels", Level.WARN);
        assertThat(logger.isLoggable(System.Logger.Level.WARNING)).isTrue();
        assertThat(logger.isLoggable(System.Logger.Level.INFO)).isFalse();
        Configurator.setLevel("dev.laurel.test.levels", Level.DEBUG);
        assertThat(logger.isLoggable(System.Logger.Level.DEBUG)).isTrue();
        assertThat(logger.isLoggable(System.Logger.Level.OFF)).isFalse();
    }
}
