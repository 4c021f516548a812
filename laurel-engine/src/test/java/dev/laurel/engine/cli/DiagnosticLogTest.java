package dev.laurel.engine.cli;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static dev.laurel.engine.cli.DiagnosticLog.AUTO;
import static dev.laurel.engine.cli.DiagnosticLog.STDERR;
import static dev.laurel.engine.cli.DiagnosticLog.SYSLOG;
import static dev.laurel.engine.cli.DiagnosticLog.choose;
import static org.assertj.core.api.Assertions.assertThat;

class DiagnosticLogTest {

    @Test
    void autoLogsToStderrOnATerminal() {
        assertThat(choose(AUTO, null, true, "/dev/null")).isEqualTo(STDERR);
        assertThat(choose(AUTO, null, false, "/dev/pts/3")).isEqualTo(STDERR);
    }

    @Test
    void autoLogsToSyslogWhenStderrGoesNowhere() {
        assertThat(choose(AUTO, null, false, "/dev/null")).isEqualTo(SYSLOG);
        assertThat(choose(AUTO, null, false, null)).as("stderr closed").isEqualTo(SYSLOG);
    }

    @Test
    void autoKeepsStderrThatSomeoneCaptures() {
        assertThat(choose(AUTO, null, false, "pipe:[12345]")).isEqualTo(STDERR);
        assertThat(choose(AUTO, null, false, "/var/log/laurel.err")).isEqualTo(STDERR);
    }

    @Test
    void theConfigChoiceBeatsDetection() {
        assertThat(choose(SYSLOG, null, true, "/dev/pts/3")).isEqualTo(SYSLOG);
        assertThat(choose(STDERR, null, false, "/dev/null")).isEqualTo(STDERR);
    }

    @Test
    void theEnvironmentBeatsTheConfig() {
        assertThat(choose(SYSLOG, "stderr", false, "/dev/null")).isEqualTo(STDERR);
        assertThat(choose(STDERR, "syslog", true, "/dev/pts/3")).isEqualTo(SYSLOG);
        assertThat(choose(AUTO, "bogus", true, "/dev/pts/3")).as("unknown values are ignored").isEqualTo(STDERR);
    }

    @Test
    void log4jTakesLaurelsConfigurationWrittenInCode() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);

        assertThat(ctx.getConfiguration()).isInstanceOf(DiagnosticConfiguration.class);
        assertThat((Object) ctx.getConfiguration().getAppender(STDERR)).isNotNull();
        assertThat(ctx.getConfiguration().isShutdownHookEnabled()).as("laurel's own hook still logs").isFalse();
    }

    @TempDir
    Path dir;

    @Test
    void syslogMessagesGoToLoggerOneLineEachWithTheirPriority() throws Exception {
        Path received = dir.resolve("received.txt");
        Path fakeLogger = dir.resolve("logger");
        Files.writeString(fakeLogger, "#!/bin/sh\necho \"$*\" > " + received + ".args\nexec cat > " + received + "\n");
        Files.setPosixFilePermissions(fakeLogger, PosixFilePermissions.fromString("rwx------"));
        System.setProperty("laurel.logger", fakeLogger.toString());
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        try {
            DiagnosticLog.apply(SYSLOG, "info");
            assertThat(ctx.getConfiguration().getRootLogger().getAppenders()).containsOnlyKeys(SYSLOG);
            org.slf4j.Logger log = LoggerFactory.getLogger("dev.laurel.test.Syslog");
            log.warn("disk nearly full");
            log.error("two\nlines");
            log.debug("not at info");
            DiagnosticLog.apply(STDERR, null);
            assertThat(ctx.getConfiguration().getRootLogger().getAppenders()).containsOnlyKeys(STDERR);
        } finally {
            System.clearProperty("laurel.logger");
            DiagnosticLog.stopLogger();
        }
        assertThat((Object) ctx.getConfiguration().getAppender(SYSLOG)).isNull();
        assertThat(Files.readAllLines(received)).containsExactly(
                "<28>Syslog: disk nearly full",
                "<27>Syslog: two\\nlines");
        assertThat(Files.readString(Path.of(received + ".args"))).contains("--prio-prefix", "--tag laurel[");
    }
}
