package dev.laurel.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.laurel.dist.InProcessLaurel.CAPTURE;
import static dev.laurel.dist.InProcessLaurel.laurel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A run that loses events says how many and ends with exit status 74 (EX_IOERR), never 0:
 * {@code /dev/full} takes no write, so the json-file sink holds every event until it is closed.
 */
class EventsNotWrittenTest {
    private static final Path FULL = Path.of("/dev/full");

    @TempDir
    Path tmp;

    @Test
    void convertToADeviceThatTakesNoWriteExits74WithTheCount() {
        assumeTrue(Files.isWritable(FULL), "no /dev/full here");

        InProcessLaurel.Result r = laurel("convert", "-o", FULL.toString(), CAPTURE.toString());

        assertThat(r.status()).as(r.err()).isEqualTo(74);
        assertThat(r.err()).contains("laurel: converted 1 file: 5199 lines, 1076 events, 0 errors")
                .contains("laurel: /dev/full: events not written: 1076 held by sinks when they were closed,"
                        + " 0 sink errors while running; exit status 74");
    }

    @Test
    void aRunWhoseSinkCannotWriteExits74AndLogsTheCount() throws Exception {
        assumeTrue(Files.isWritable(FULL), "no /dev/full here");
        Path config = Files.writeString(tmp.resolve("laurel.yaml"), """
                input: "%s"
                proc-root: none
                diagnostics:
                  log: stderr
                enrichers:
                  - type: hex-decoder
                sinks:
                  - type: json-file
                    file: /dev/full
                """.formatted(CAPTURE));

        InProcessLaurel.Result r = laurel("--config", config.toString());

        // the log (log4j, on the JVM's first stderr) says "events not written: 1076 held by sinks ..."
        assertThat(r.status()).as(r.systemErr()).isEqualTo(74);
    }
}
