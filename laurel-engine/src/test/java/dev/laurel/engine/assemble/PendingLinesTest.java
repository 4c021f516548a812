package dev.laurel.engine.assemble;

import dev.laurel.api.AuditEvent;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventAssembler#pendingLines()} fed back through the parser into a fresh assembler
 * restores the pending events exactly: what the state file relies on across restarts.
 */
class PendingLinesTest {

    private static List<byte[]> capture() throws IOException {
        List<byte[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dev.laurel.engine.testkit.TestData.capture(),
                StandardCharsets.ISO_8859_1)) {
            if (!line.isEmpty()) {
                lines.add(line.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return lines;
    }

    private static void feed(EventAssembler assembler, List<byte[]> lines) {
        LineParser parser = new LineParser();
        for (byte[] line : lines) {
            ParsedRecord r = parser.parse(line, 0, line.length);
            assertThat(r).as(new String(line, StandardCharsets.ISO_8859_1)).isNotNull();
            assembler.accept(r);
        }
    }

    private static List<String> encodeInto(List<String> out, AuditEvent event) {
        out.add(new String(new EventEncoder().encode(event), StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void pendingLinesAreTheRecordsOfUnfinishedEventsInOrder() {
        EventAssembler assembler = new EventAssembler(e -> { });
        List<byte[]> lines = List.of(
                "type=SYSCALL msg=audit(1000.000:1): arch=c000003e syscall=59 success=yes exit=0 pid=5".getBytes(),
                "node=h2 type=SYSCALL msg=audit(1000.001:2): arch=c000003e syscall=59 success=yes exit=0 pid=6".getBytes(),
                "type=CWD msg=audit(1000.000:1): cwd=\"/\"".getBytes(),
                "node=h2 type=EOE msg=audit(1000.001:2): ".getBytes());
        feed(assembler, lines);
        assertThat(assembler.pendingLines()).containsExactly(lines.get(0), lines.get(2));
    }

    @Test
    void restoringPendingLinesAtAnyCutGivesTheUninterruptedOutput() throws IOException {
        List<byte[]> capture = capture();
        List<String> whole = new ArrayList<>();
        EventAssembler uninterrupted = new EventAssembler(e -> encodeInto(whole, e));
        feed(uninterrupted, capture);
        uninterrupted.flush();

        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 12; round++) {
            int cut = 1 + random.nextInt(capture.size() - 1);
            List<String> restarted = new ArrayList<>();
            EventAssembler first = new EventAssembler(e -> encodeInto(restarted, e));
            feed(first, capture.subList(0, cut));
            List<byte[]> pending = first.pendingLines();

            EventAssembler second = new EventAssembler(e -> encodeInto(restarted, e));
            feed(second, pending);
            assertThat(second.pending()).as("seed %d cut %d", seed, cut).isEqualTo(first.pending());
            feed(second, capture.subList(cut, capture.size()));
            second.flush();
            assertThat(restarted).as("seed %d cut %d", seed, cut).containsExactlyElementsOf(whole);
        }
    }
}
