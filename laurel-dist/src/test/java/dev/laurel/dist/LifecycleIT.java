package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static dev.laurel.dist.RunningLaurel.await;
import static dev.laurel.dist.RunningLaurel.contains;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signals and the end of input, sent to the real distribution ({@code bin/laurel}) running as
 * auditd runs it: a child process reading a pipe on standard input. SIGTERM and the end of input
 * emit every pending event (or save them with a state directory) and exit 0; SIGHUP reloads the
 * config without losing the pending events or the process table, and keeps the running config
 * when the new file is invalid.
 */
class LifecycleIT {
    private static final Path DIST = Path.of(System.getProperty("laurel.dist", "target/laurel")).toAbsolutePath();
    private static final Path LAUREL = DIST.resolve("bin/laurel");
    private static final Path CAPTURE = TestData.root().resolve("testdata/real-enriched.log");
    private static final Path REFERENCE = TestData.root().resolve("testdata/real-enriched.laurel-0.5.1.jsonl");

    @TempDir
    Path tmp;

    /** laurel as auditd's child: stdin a pipe we write, diagnostics to NAME.stderr. */
    private RunningLaurel running(String name, Path config) throws IOException {
        return new RunningLaurel(LAUREL, config, tmp.resolve(name + ".stderr"));
    }

    private static List<String> capture() throws IOException {
        return Files.readAllLines(CAPTURE, StandardCharsets.ISO_8859_1);
    }

    private static String id(String line) {
        int at = line.indexOf("msg=audit(");
        return at < 0 ? null : line.substring(at + 10, line.indexOf(')', at));
    }

    /** The first line at or after {@code from} inside a kernel event: its records before and its EOE after. */
    private static int cutInsideAnEvent(List<String> lines, int from) {
        for (int cut = from; cut < lines.size(); cut++) {
            String id = id(lines.get(cut));
            if (id == null || lines.get(cut).startsWith("type=EOE")) {
                continue;
            }
            for (int i = Math.max(0, cut - 20); i < cut; i++) {
                if (id.equals(id(lines.get(i)))) {
                    return cut;
                }
            }
        }
        throw new AssertionError("no cut inside an event");
    }

    /** The id of the last event the lines before {@code cut} completed (its EOE). */
    private static String lastCompleted(List<String> lines, int cut) {
        for (int i = cut - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("type=EOE")) {
                return id(lines.get(i));
            }
        }
        throw new AssertionError("no EOE before line " + cut);
    }

    private Path write(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private Path writeLines(String name, List<String> lines) throws IOException {
        Path file = tmp.resolve(name);
        Files.write(file, lines, StandardCharsets.ISO_8859_1);
        return file;
    }

    /** Runs laurel to the end of {@code input}, as when auditd stops and closes the pipe; returns the status. */
    private int runToEnd(Path config, Path input) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LAUREL.toString(), "--config", config.toString());
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.redirectInput(input.toFile());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(tmp.resolve("to-end.stderr").toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }

    private static String chainConfig(Path out, String extra) {
        return """
                proc-root: none
                %s
                enrichers:
                  - type: hex-decoder
                  - type: parent-info
                  - type: key-labeler
                    label-keys: [software_mgmt]
                    propagate-labels: [software_mgmt]
                sinks:
                  - type: json-file
                    file: "%s"
                """.formatted(extra, out);
    }

    private static List<String> jsonIds(List<String> json) {
        return json.stream().map(j -> j.substring(7, j.indexOf('"', 7))).toList();
    }

    @Test
    void theLauncherGrowsAPipeOnStandardInput() throws Exception {
        Path out = tmp.resolve("pipe.jsonl");
        long maxSize = Long.parseLong(Files.readString(Path.of("/proc/sys/fs/pipe-max-size")).trim());
        long expected = Math.min(1 << 20, maxSize);
        try (RunningLaurel laurel = running("pipe", write("pipe.yaml", chainConfig(out, "")))) {
            await("laurel reading stdin", () -> {
                try {
                    return laurel.log().contains("reading stdin");
                } catch (IOException e) {
                    return false;
                }
            });
            long pid = laurel.process.pid();   // the launcher execs java: the same process
            // the pipe's size, through the read end laurel holds (F_GETPIPE_SZ = 1032)
            Process perl = new ProcessBuilder("perl", "-e",
                    "open(my $f, '<', '/proc/" + pid + "/fd/0') or die $!; print fcntl($f, 1032, 0) + 0").start();
            String size = new String(perl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            assertThat(perl.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Long.parseLong(size)).as("pipe size").isGreaterThanOrEqualTo(expected);

            List<String> lines = capture();
            laurel.feed(lines.subList(0, cutInsideAnEvent(lines, 40)));
            laurel.auditd.close();
            assertThat(laurel.exit()).isZero();
        }
        assertThat(Files.readAllLines(out)).isNotEmpty();
    }

    @Test
    void sigtermEmitsEveryPendingEventLikeTheEndOfInputAndExits0() throws Exception {
        List<String> lines = capture();
        int cut = cutInsideAnEvent(lines, lines.size() / 2);
        List<String> head = lines.subList(0, cut);
        Path atEnd = tmp.resolve("at-end.jsonl");
        assertThat(runToEnd(write("at-end.yaml", chainConfig(atEnd, "")), writeLines("head.log", head))).isZero();
        Path out = tmp.resolve("sigterm.jsonl");

        int status;
        try (RunningLaurel laurel = running("sigterm", write("sigterm.yaml", chainConfig(out, "")))) {
            laurel.feed(head);   // stdin stays open: laurel waits for the pending event's EOE
            String last = lastCompleted(lines, cut);
            await("event " + last + " written", () -> contains(out, "{\"ID\":\"" + last + "\""));
            laurel.signal("TERM");
            status = laurel.exit();
            assertThat(laurel.log()).contains("stopping").doesNotContain("ERROR");
        }

        assertThat(status).isZero();
        List<String> written = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(jsonIds(written)).as("the event cut at the SIGTERM is written too").contains(id(lines.get(cut)));
        assertThat(written).as("what the end of input gives").isEqualTo(Files.readAllLines(atEnd, StandardCharsets.UTF_8));
    }

    @Test
    void sigtermWithAStateDirectorySavesThePendingEventsForTheNextStart() throws Exception {
        List<String> lines = capture();
        int cut = cutInsideAnEvent(lines, 1232);
        Path state = Files.createDirectories(tmp.resolve("state"));
        Path whole = tmp.resolve("whole.jsonl");
        assertThat(runToEnd(write("whole.yaml", chainConfig(whole, "state: " + tmp.resolve("state-whole"))),
                CAPTURE)).isZero();
        Path first = tmp.resolve("first.jsonl");
        Path second = tmp.resolve("second.jsonl");

        try (RunningLaurel laurel = running("first", write("first.yaml", chainConfig(first, "state: " + state)))) {
            laurel.feed(lines.subList(0, cut));
            String last = lastCompleted(lines, cut);
            await("event " + last + " written", () -> contains(first, "{\"ID\":\"" + last + "\""));
            laurel.signal("TERM");
            assertThat(laurel.exit()).as(laurel.log()).isZero();
        }
        assertThat(state.resolve("laurel.state")).as("the state written at SIGTERM").isNotEmptyFile();
        assertThat(jsonIds(Files.readAllLines(first))).as("the pending event waits in the state")
                .doesNotContain(id(lines.get(cut)));
        assertThat(runToEnd(write("second.yaml", chainConfig(second, "state: " + state)),
                writeLines("tail.log", lines.subList(cut, lines.size())))).isZero();

        List<String> restarted = new ArrayList<>(Files.readAllLines(first));
        restarted.addAll(Files.readAllLines(second));
        assertThat(restarted).as("stopped by SIGTERM and started again: one run's output")
                .containsExactlyInAnyOrderElementsOf(Files.readAllLines(whole));
    }

    @Test
    void sighupReloadsTheConfigKeepingPendingEventsAndTheProcessTable() throws Exception {
        List<String> lines = capture();
        // Inside apt-get's clone event 290: software_mgmt labelled its process before the cut,
        // and event 296 after it carries the propagated label only if the table survived.
        int cut = cutInsideAnEvent(lines, 1232);
        assertThat(lines.get(cut)).startsWith("type=PROCTITLE msg=audit(1795636825.783:290)");
        Path whole = tmp.resolve("whole.jsonl");
        assertThat(runToEnd(write("whole.yaml", chainConfig(whole, "")), CAPTURE)).isZero();
        Path before = tmp.resolve("before.jsonl");
        Path after = tmp.resolve("after.jsonl");
        Path config = write("laurel.yaml", chainConfig(before, ""));

        int status;
        String log;
        try (RunningLaurel laurel = running("reload", config)) {
            laurel.feed(lines.subList(0, cut));
            String last = lastCompleted(lines, cut);
            await("event " + last + " written", () -> contains(before, "{\"ID\":\"" + last + "\""));
            Files.writeString(config, chainConfig(after, ""));   // a new sink file
            laurel.signal("HUP");
            await("the new chain running", () -> contains(laurel.stderr, "running the new chain"));
            laurel.feed(lines.subList(cut, lines.size()));
            laurel.auditd.close();   // auditd stops
            status = laurel.exit();
            log = laurel.log();
        }

        assertThat(status).as(log).isZero();
        assertThat(log).contains("SIGHUP: " + config + " loaded").doesNotContain("ERROR", "restart laurel");
        List<String> first = Files.readAllLines(before);
        List<String> second = Files.readAllLines(after);
        assertThat(jsonIds(first)).doesNotContain("1795636825.783:290");
        assertThat(second).as("the event pending at the reload comes out of the new chain")
                .anySatisfy(j -> assertThat(j).startsWith("{\"ID\":\"1795636825.783:290\""));
        assertThat(second).as("the process table survived the reload")
                .anySatisfy(j -> assertThat(j).startsWith("{\"ID\":\"1795636827.711:296\"")
                        .contains("\"LABELS\":[\"software_mgmt\"]"));
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).as("every event once, as one run without the reload gives")
                .isEqualTo(Files.readAllLines(whole));
    }

    @Test
    void sighupWithAnInvalidConfigKeepsTheRunningOneAndLogsEveryProblemWithItsPlace() throws Exception {
        List<String> lines = capture();
        int cut = cutInsideAnEvent(lines, lines.size() / 3);
        Path out = tmp.resolve("audit.jsonl");
        Path elsewhere = tmp.resolve("elsewhere.jsonl");
        Path config = write("laurel.yaml", """
                enrichers:
                  - type: hex-decoder
                sinks:
                  - type: json-file
                    file: "%s"
                """.formatted(out));

        int status;
        String log;
        try (RunningLaurel laurel = running("invalid", config)) {
            laurel.feed(lines.subList(0, cut));
            String last = lastCompleted(lines, cut);
            await("event " + last + " written", () -> contains(out, "{\"ID\":\"" + last + "\""));
            Files.writeString(config, """
                    enrichers:
                      - type: hex-decoder
                        no-such-option: 1
                    sinks:
                      - type: json-fil
                      - type: json-file
                        file: "%s"
                    """.formatted(elsewhere));
            laurel.signal("HUP");
            await("the problems logged", () -> contains(laurel.stderr, "keeping the running configuration"));
            laurel.feed(lines.subList(cut, lines.size()));
            laurel.auditd.close();
            status = laurel.exit();
            log = laurel.log();
        }

        assertThat(status).as(log).isZero();
        assertThat(log).contains("SIGHUP: " + config + " is invalid, keeping the running configuration");
        assertThat(Pattern.compile(Pattern.quote(config.toString()) + ":3:5: ").matcher(log).find())
                .as("the unknown option at its line and column: %s", log).isTrue();
        assertThat(Pattern.compile(Pattern.quote(config.toString()) + ":5:\\d+: .*json-fil").matcher(log).find())
                .as("the unknown sink type at its line: %s", log).isTrue();
        // The loader creates the entries that are valid by themselves, to report what only a
        // plugin can see, and closes them again: the new file may exist but gets no event.
        assertThat(!Files.exists(elsewhere) || Files.size(elsewhere) == 0).as("no event in the rejected sink").isTrue();
        assertThat(Files.readAllLines(out)).as("the running chain wrote every event")
                .isEqualTo(Files.readAllLines(REFERENCE, StandardCharsets.UTF_8));
        Set<String> ids = new HashSet<>(jsonIds(Files.readAllLines(out)));
        assertThat(ids).contains(id(lines.get(cut)));
    }
}
