package dev.laurel.dist;

import dev.laurel.engine.cli.Main;








import dev.laurel.engine.testkit.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * laurel stopped in the middle of the real capture and started again with its state file gives
 * what one uninterrupted run gives: the process table (parent info, propagated labels) and the
 * unfinished events survive the restart. Runs the real CLI in this JVM, never reading this
 * machine's /proc.
 */
class StateRestartTest {
    private static final String STATE_LOGGER = "dev.laurel.engine.state.StateFile";

    private LogCapture captured;

    @TempDir
    Path tmp;

    @BeforeEach
    void capture() {
        captured = LogCapture.levelAndMessage(STATE_LOGGER);
    }

    @AfterEach
    void release() {
        captured.close();
    }

    /** Runs laurel on {@code input} with state in {@code stateDir}; returns its JSON lines. */
    private List<String> laurel(String name, Path input, Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path out = tmp.resolve(name + ".jsonl");
        Path config = tmp.resolve(name + ".yaml");
        Files.writeString(config, """
                input: %s
                state: %s
                proc-root: none
                diagnostics:
                  log: stderr
                enrichers:
                  - type: hex-decoder
                  - type: parent-info
                  - type: key-labeler
                    label-keys: [software_mgmt]
                    propagate-labels: [software_mgmt]
                sinks:
                  - type: json-file
                    file: %s
                """.formatted(input, stateDir, out));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--config", config.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertThat(status).as("exit status; stderr: %s", stderr.toString(StandardCharsets.UTF_8)).isZero();
        return Files.exists(out) ? Files.readAllLines(out, StandardCharsets.UTF_8) : List.of();
    }

    private static List<String> realCapture() throws IOException {
        return Files.readAllLines(dev.laurel.engine.testkit.TestData.root().resolve("testdata/real-enriched.log"), StandardCharsets.ISO_8859_1);
    }

    private static String id(String line) {
        int at = line.indexOf("msg=audit(");
        return at < 0 ? null : line.substring(at, line.indexOf(')', at));
    }

    /** The first line at or after the middle whose event has records before it: a cut inside an event. */
    private static int cutInsideAnEvent(List<String> lines) {
        return cutInsideAnEvent(lines, lines.size() / 2);
    }

    /** The first line at or after {@code from} whose event has records before it. */
    private static int cutInsideAnEvent(List<String> lines, int from) {
        for (int cut = from; cut < lines.size(); cut++) {
            String id = id(lines.get(cut));
            Set<String> before = new HashSet<>();
            for (int i = Math.max(0, cut - 20); i < cut; i++) {
                before.add(id(lines.get(i)));
            }
            if (id != null && before.contains(id) && !lines.get(cut).startsWith("type=EOE")) {
                return cut;
            }
        }
        throw new AssertionError("no cut inside an event");
    }

    private Path write(String name, List<String> lines) throws IOException {
        Path file = tmp.resolve(name);
        Files.write(file, lines, StandardCharsets.ISO_8859_1);
        return file;
    }

    @Test
    void aRestartInTheMiddleOfEventsGivesTheOutputOfOneRun() throws IOException {
        List<String> lines = realCapture();
        int cut = cutInsideAnEvent(lines);
        restartAt(lines, cut);
        assertThat(cut).isGreaterThan(2500);
    }

    /**
     * Cut inside the clone event 1795636825.783:290 of apt-get, whose process the software_mgmt
     * key labelled before the cut: the events after it carry the propagated label only if the
     * table survived the restart.
     */
    @Test
    void aRestartWhileLabelledProcessesRunKeepsTheirLabels() throws IOException {
        List<String> lines = realCapture();
        int cut = cutInsideAnEvent(lines, 1232);
        assertThat(lines.get(cut)).startsWith("type=PROCTITLE msg=audit(1795636825.783:290)");
        List<String> after = restartAt(lines, cut);
        assertThat(after).anySatisfy(j -> assertThat(j).startsWith("{\"ID\":\"1795636827.711:296\"")
                .contains("\"LABELS\":[\"software_mgmt\"]"));
    }

    /** Runs the whole capture, then the two halves with a restart between; returns the second half's output. */
    private List<String> restartAt(List<String> lines, int cut) throws IOException {
        captured.lines.clear();
        Path whole = write("whole.log", lines);
        Path first = write("first.log", lines.subList(0, cut));
        Path second = write("second.log", lines.subList(cut, lines.size()));

        List<String> uninterrupted = laurel("whole", whole, tmp.resolve("state-whole"));
        List<String> before = laurel("first", first, tmp.resolve("state-split"));
        assertThat(Files.exists(tmp.resolve("state-split/laurel.state"))).isTrue();
        List<String> after = laurel("second", second, tmp.resolve("state-split"));

        assertThat(captured.lines).anySatisfy(l -> assertThat(l).startsWith("INFO restored the state of")
                .doesNotContain(" 0 records of unfinished events"));
        List<String> restarted = new ArrayList<>(before);
        restarted.addAll(after);
        assertThat(uninterrupted).hasSizeGreaterThan(1000);
        assertThat(restarted).containsExactlyInAnyOrderElementsOf(uninterrupted);
        // events after the cut carry the table's knowledge
        assertThat(after).anySatisfy(j -> assertThat(j).contains("\"PARENT_INFO\""));

        // the control: without the state, the second half gives other output
        List<String> fresh = laurel("fresh", second, tmp.resolve("state-fresh"));
        List<String> unrestored = new ArrayList<>(before);
        unrestored.addAll(fresh);
        assertThat(new HashSet<>(unrestored)).isNotEqualTo(new HashSet<>(uninterrupted));
        return after;
    }

    @Test
    void aCorruptStateIsIgnoredWithALogLineAndLaurelRuns() throws IOException {
        List<String> lines = realCapture();
        int cut = cutInsideAnEvent(lines);
        Path first = write("first.log", lines.subList(0, cut));
        Path second = write("second.log", lines.subList(cut, lines.size()));
        laurel("first", first, tmp.resolve("state"));
        Path file = tmp.resolve("state/laurel.state");
        byte[] data = Files.readAllBytes(file);
        data[data.length / 3] ^= 0x01;
        Files.write(file, data);

        List<String> after = laurel("second", second, tmp.resolve("state"));
        List<String> fresh = laurel("fresh", second, tmp.resolve("state-fresh"));

        assertThat(captured.lines).contains("WARN ignoring the state file " + file + ": corrupt (checksum mismatch)");
        assertThat(after).isNotEmpty().containsExactlyInAnyOrderElementsOf(fresh);
    }

    @Test
    void aStateOlderThanMaxAgeIsIgnoredWithALogLine() throws IOException {
        List<String> lines = realCapture();
        int cut = cutInsideAnEvent(lines);
        Path first = write("first.log", lines.subList(0, cut));
        Path second = write("second.log", lines.subList(cut, lines.size()));
        laurel("first", first, tmp.resolve("state"));
        Path file = tmp.resolve("state/laurel.state");
        backdate(file, 2 * 3600_000L);

        List<String> after = laurel("second", second, tmp.resolve("state"));
        List<String> fresh = laurel("fresh", second, tmp.resolve("state-fresh"));

        assertThat(captured.lines).anySatisfy(l -> assertThat(l)
                .startsWith("WARN ignoring the state file " + file + ": written ")
                .endsWith("longer than state-max-age 3600 s"));
        assertThat(after).isNotEmpty().containsExactlyInAnyOrderElementsOf(fresh);
    }

    /** Moves the write time of a state file (magic, version, then the time) back, keeping its checksum right. */
    private static void backdate(Path file, long millis) throws IOException {
        byte[] data = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(data);
        b.putLong(12, b.getLong(12) - millis);
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 8);
        b.putLong(data.length - 8, crc.getValue());
        Files.write(file, data);
    }
}
