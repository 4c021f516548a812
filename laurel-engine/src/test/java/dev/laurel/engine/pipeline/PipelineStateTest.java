package dev.laurel.engine.pipeline;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.OutputEvent;
import dev.laurel.api.Sink;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.input.LineReader;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.parse.LineParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline with a {@link Pipeline.StateStore}: what is restored, saved, and when. */
class PipelineStateTest {

    private static final String DONE_AND_UNFINISHED = """
            type=SYSCALL msg=audit(1000.001:10): arch=c000003e syscall=2 success=yes exit=3 pid=1 comm="a"
            type=EOE msg=audit(1000.001:10):
            type=SYSCALL msg=audit(1000.002:11): arch=c000003e syscall=2 success=yes exit=3 pid=2 comm="b"
            type=CWD msg=audit(1000.002:11): cwd="/"
            """;

    /** A store in memory: what it is to restore, and every save. */
    static final class MemoryStore implements Pipeline.StateStore {
        final List<byte[]> toRestore;
        final boolean works;
        final List<List<String>> saves = java.util.Collections.synchronizedList(new ArrayList<>());

        MemoryStore(List<String> toRestore, boolean works) {
            this.toRestore = toRestore.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
            this.works = works;
        }

        @Override
        public List<byte[]> restore() {
            return toRestore;
        }

        @Override
        public boolean save(List<byte[]> pendingLines) {
            saves.add(pendingLines.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
            return works;
        }
    }

    static final class Collecting implements Sink {
        final List<String> json = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void write(OutputEvent event) {
            json.add(new String(event.json(), StandardCharsets.UTF_8));
        }
    }

    private static Pipeline pipeline(String input, Sink sink, MemoryStore store, Duration interval,
                                     Consumer<AuditEvent> tracker) {
        LineReader reader = LineReader.start(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), "test");
        return new Pipeline(reader, new LineParser(),
                EventAssembler.factory(EventAssembler.Limits.DEFAULTS), tracker, new EventEncoder()::encode,
                TestChain.of(List.of(), List.of(sink)),
                new Pipeline.Options(Duration.ofMillis(20), Duration.ZERO, null, InstantSource.system(), store, interval));
    }

    @Test
    void savesTheUnfinishedEventAtTheEndInsteadOfEmittingIt() {
        Collecting sink = new Collecting();
        MemoryStore store = new MemoryStore(List.of(), true);

        pipeline(DONE_AND_UNFINISHED, sink, store, Duration.ZERO, e -> { }).run();

        assertThat(sink.json).singleElement().satisfies(j -> assertThat(j).contains("\"1000.001:10\""));
        assertThat(store.saves).containsExactly(List.of(
                "type=SYSCALL msg=audit(1000.002:11): arch=c000003e syscall=2 success=yes exit=3 pid=2 comm=\"b\"",
                "type=CWD msg=audit(1000.002:11): cwd=\"/\""));
    }

    @Test
    void emitsTheUnfinishedEventWhenTheStateCannotBeSaved() {
        Collecting sink = new Collecting();
        MemoryStore store = new MemoryStore(List.of(), false);

        pipeline(DONE_AND_UNFINISHED, sink, store, Duration.ZERO, e -> { }).run();

        assertThat(sink.json).hasSize(2);
        assertThat(sink.json.get(1)).contains("\"1000.002:11\"", "\"CWD\"");
    }

    @Test
    void restoredLinesJoinTheirEventBeforeTheInput() {
        Collecting sink = new Collecting();
        MemoryStore store = new MemoryStore(List.of(
                "type=SYSCALL msg=audit(1000.000:9): arch=c000003e syscall=2 success=yes exit=3 pid=7 comm=\"z\""), true);
        List<String> tracked = new ArrayList<>();
        String input = "type=PATH msg=audit(1000.000:9): item=0 name=\"/etc/passwd\"\ntype=EOE msg=audit(1000.000:9):\n";

        pipeline(input, sink, store, Duration.ZERO, e -> tracked.add(e.id().toString())).run();

        assertThat(tracked).containsExactly("1000.000:9");
        assertThat(sink.json).singleElement().satisfies(j -> assertThat(j)
                .contains("\"SYSCALL\"", "\"PATH\"", "/etc/passwd"));
        assertThat(store.saves).containsExactly(List.of());
    }

    @Test
    void savesOnRequestWhileRunning() throws Exception {
        Collecting sink = new Collecting();
        MemoryStore store = new MemoryStore(List.of(), true);
        java.io.PipedOutputStream feed = new java.io.PipedOutputStream();
        LineReader reader = LineReader.start(new java.io.PipedInputStream(feed, 1 << 16), "test");
        Pipeline p = new Pipeline(reader, new LineParser(),
                EventAssembler.factory(EventAssembler.Limits.DEFAULTS), e -> { }, new EventEncoder()::encode,
                TestChain.of(List.of(), List.of(sink)),
                new Pipeline.Options(Duration.ofMillis(20), Duration.ZERO, null, InstantSource.system(), store,
                        Duration.ZERO));
        Thread runner = new Thread(p::run);
        runner.start();
        feed.write(DONE_AND_UNFINISHED.getBytes(StandardCharsets.UTF_8));
        feed.flush();
        long deadline = System.currentTimeMillis() + 5000;
        while (sink.json.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        p.saveState();
        while (store.saves.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.saves).as("saved while running, on request").hasSize(1);
        assertThat(store.saves.get(0)).hasSize(2);
        feed.close();
        runner.join(5000);
        assertThat(store.saves).as("and again at the end").hasSize(2);
    }

    @Test
    void savesEveryStateIntervalWhileTheInputIsOpen() throws Exception {
        Collecting sink = new Collecting();
        MemoryStore store = new MemoryStore(List.of(), true);
        java.io.PipedOutputStream feed = new java.io.PipedOutputStream();
        LineReader reader = LineReader.start(new java.io.PipedInputStream(feed, 1 << 16), "test");
        Pipeline p = new Pipeline(reader, new LineParser(),
                EventAssembler.factory(EventAssembler.Limits.DEFAULTS), e -> { }, new EventEncoder()::encode,
                TestChain.of(List.of(), List.of(sink)),
                new Pipeline.Options(Duration.ofMillis(20), Duration.ZERO, null, InstantSource.system(), store,
                        Duration.ofMillis(50)));
        Thread runner = new Thread(p::run);
        runner.start();
        feed.write(DONE_AND_UNFINISHED.getBytes(StandardCharsets.UTF_8));
        feed.flush();
        long deadline = System.currentTimeMillis() + 5000;
        while (store.saves.size() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        feed.close();
        runner.join(5000);
        assertThat(store.saves.size()).as("periodic saves, then the one at the end").isGreaterThanOrEqualTo(4);
    }
}
