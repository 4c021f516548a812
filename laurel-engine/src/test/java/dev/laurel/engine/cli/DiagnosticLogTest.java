package dev.laurel.engine.cli;

import org.junit.jupiter.api.Test;

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
}
