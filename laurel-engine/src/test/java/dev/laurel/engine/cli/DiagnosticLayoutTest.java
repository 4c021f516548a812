package dev.laurel.engine.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class DiagnosticLayoutTest {
    /** 2026-11-26T04:00:53.934Z */
    private static final long TIME = 1_795_665_653_934L;

    private static LogEvent event(Level level, String message, Throwable thrown) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName("dev.laurel.engine.pipeline.Pipeline")
                .setLevel(level)
                .setMessage(new SimpleMessage(message))
                .setThrown(thrown)
                .setTimeMillis(TIME)
                .build();
    }

    @Test
    void stderrLineHasTheTimeThePaddedLevelAndTheClassName() {
        String line = DiagnosticLayout.stderr().toSerializable(event(Level.INFO, "done: 0 lines", null));

        assertThat(line).endsWith(" laurel INFO  Pipeline: done: 0 lines\n");
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.934(Z|[+-]\\d\\d:\\d\\d) laurel .*\\n");
    }

    @Test
    void stderrPutsTheStackTraceOnTheLinesAfterTheMessage() {
        String text = DiagnosticLayout.stderr().toSerializable(event(Level.ERROR, "failed", new IllegalStateException("boom")));

        assertThat(text).contains(" laurel ERROR Pipeline: failed\njava.lang.IllegalStateException: boom\n\tat ");
    }

    @Test
    void timeIsWrittenInTheGivenZoneWithItsOffset() {
        StringBuilder utc = new StringBuilder();
        DiagnosticLayout.appendTime(utc, TIME, ZoneOffset.UTC);
        StringBuilder berlin = new StringBuilder();
        DiagnosticLayout.appendTime(berlin, TIME, ZoneId.of("Europe/Berlin"));
        StringBuilder newfoundland = new StringBuilder();
        DiagnosticLayout.appendTime(newfoundland, 5L, ZoneId.of("America/St_Johns"));

        assertThat(utc).hasToString("2026-11-26T04:00:53.934Z");
        assertThat(berlin).hasToString("2026-11-26T05:00:53.934+01:00");
        assertThat(newfoundland).hasToString("1969-12-31T20:30:00.005-03:30");
    }

    @Test
    void syslogLineHasThePriorityOfTheLevelAndNoLineBreakInside() {
        DiagnosticLayout layout = DiagnosticLayout.syslog();

        assertThat(layout.toSerializable(event(Level.WARN, "disk\r\nnearly full", null)))
                .isEqualTo("<28>Pipeline: disk\\r\\nnearly full\n");
        String withTrace = layout.toSerializable(event(Level.ERROR, "failed", new IllegalStateException("boom")));
        assertThat(withTrace).startsWith("<27>Pipeline: failed java.lang.IllegalStateException: boom\\n\tat ");
        assertThat(withTrace.indexOf('\n')).isEqualTo(withTrace.length() - 1);
    }

    @Test
    void terminalControlsInAMessageAreEscapedOnStderrAndSyslog() {
        // issue 13 item 7: text quoted from input (here a damaged record type) or from a pipe
        // child must not clear, recolour or overwrite the admin's terminal or forge a syslog line
        String message = "line 1: not an audit record (unknown record type FAKE\u001b[2J\u001b[31m\rINJECTED\u0007"
                + "\u009b\u202e\u2028x)";
        String escaped = "unknown record type FAKE\\x1b[2J\\x1b[31m\\rINJECTED\\x07\\x9b\\u{202e}\\u{2028}x)";

        String stderr = DiagnosticLayout.stderr().toSerializable(event(Level.WARN, message, null));
        String syslog = DiagnosticLayout.syslog().toSerializable(event(Level.WARN, message, null));
        String trace = DiagnosticLayout.stderr().toSerializable(event(Level.ERROR, "failed",
                new IllegalStateException("bad \u001b[2J")));

        assertThat(stderr).endsWith(escaped + "\n");
        assertThat(syslog).isEqualTo("<28>Pipeline: " + message.substring(0, message.indexOf("unknown")) + escaped + "\n");
        assertThat(trace).contains("java.lang.IllegalStateException: bad \\x1b[2J\n\tat ");
    }

    @Test
    void everyLevelHasTheDaemonFacilitysPriority() {
        assertThat(DiagnosticLayout.priority(Level.FATAL)).isEqualTo(26);
        assertThat(DiagnosticLayout.priority(Level.ERROR)).isEqualTo(27);
        assertThat(DiagnosticLayout.priority(Level.WARN)).isEqualTo(28);
        assertThat(DiagnosticLayout.priority(Level.INFO)).isEqualTo(30);
        assertThat(DiagnosticLayout.priority(Level.DEBUG)).isEqualTo(31);
        assertThat(DiagnosticLayout.priority(Level.TRACE)).isEqualTo(31);
    }
}
