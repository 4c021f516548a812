package dev.laurel.plugins.stream;

import dev.laurel.api.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.laurel.plugins.stream.StreamTesting.await;
import static dev.laurel.plugins.stream.StreamTesting.config;
import static dev.laurel.plugins.stream.StreamTesting.event;
import static dev.laurel.plugins.stream.StreamTesting.realLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeSinkTest {

    @TempDir
    Path dir;

    private static int lineCount(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The commands this test JVM runs now (only the pipe sinks' here). */
    private static Set<ProcessHandle> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).collect(Collectors.toSet());
    }

    @Test
    void theCommandGetsEveryEventOnItsStandardInput() throws Exception {
        Path out = dir.resolve("out.jsonl");
        StreamTesting.RecordingContext context = new StreamTesting.RecordingContext();
        LineRelay sink = (LineRelay) new PipeSinkFactory().create(config("pipe",
                "command", List.of("sh", "-c", "exec cat >> \"$0\"", out.toString())), context);
        List<String> lines = realLines();
        for (String line : lines) {
            sink.write(event(line));
        }
        sink.close();   // closes the command's stdin; cat finishes and exits

        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).isEqualTo(lines);
        assertThat(sink.delivered()).isEqualTo(1076);
    }

    @Test
    void aKilledCommandIsStartedAgainAndGetsTheRest() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Set<ProcessHandle> before = children();
        LineRelay sink = (LineRelay) new PipeSinkFactory().create(config("pipe",
                "command", List.of("sh", "-c", "exec cat >> \"$0\"", out.toString())),
                new StreamTesting.RecordingContext());
        List<String> lines = realLines();
        for (String line : lines.subList(0, 400)) {
            sink.write(event(line));
        }
        assertThat(await(() -> lineCount(out) == 400)).as("got " + lineCount(out)).isTrue();
        Set<ProcessHandle> started = children();
        started.removeAll(before);
        assertThat(started).hasSize(1);
        ProcessHandle first = started.iterator().next();

        first.destroyForcibly();
        assertThat(first.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        for (String line : lines.subList(400, lines.size())) {
            sink.write(event(line));
        }
        assertThat(await(() -> lineCount(out) == 1076)).as("got " + lineCount(out)).isTrue();
        Set<ProcessHandle> now = children();
        now.removeAll(before);
        assertThat(now).as("a new command").hasSize(1).doesNotContain(first);
        sink.close();

        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).isEqualTo(lines);
    }

    @Test
    void theCommandsStandardErrorGoesToLaurelsLog() throws Exception {
        Path out = dir.resolve("out.jsonl");
        StreamTesting.RecordingContext context = new StreamTesting.RecordingContext();
        LineRelay sink = (LineRelay) new PipeSinkFactory().create(config("pipe",
                "command", List.of("sh", "-c", "echo 'shipper: starting' >&2; exec cat >> \"$0\"", out.toString()),
                "line-prefix", "@cee: "), context);
        sink.write(event("{\"a\":1}"));
        assertThat(await(() -> context.logged("shipper: starting"))).as(context.messages.toString()).isTrue();
        sink.close();
        assertThat(Files.readString(out)).isEqualTo("@cee: {\"a\":1}\n");
    }

    @Test
    void aProgramPathThatIsNotExecutableIsAConfigProblem() {
        assertThatThrownBy(() -> new PipeSinkFactory().create(config("pipe",
                "command", List.of("/no/such/shipper", "-v")), new StreamTesting.RecordingContext()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems().get(0).setting()).isEqualTo("command");
                    assertThat(e.problems().get(0).message()).isEqualTo("\"/no/such/shipper\" is not an executable file");
                });
        assertThat(PipeSinkFactory.COMMAND.firstProblem(List.of())).isEqualTo("must name a program to run");
    }
}
