package dev.laurel.engine.pipeline;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.OutputEvent;
import dev.laurel.api.Sink;
import dev.laurel.api.Value;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.input.LineReader;
import dev.laurel.engine.parse.Parser;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineTest {

    private static final String TWO_EVENTS = """
            type=SYSCALL msg=audit(1.001:10): pid=1 comm=a
            type=CWD msg=audit(1.001:10): cwd=/
            type=EOE msg=audit(1.001:10):
            type=USER_START msg=audit(1.002:11): pid=2
            """;

    /** Encodes an event as {"id":"...","records":N,"tag":...}. */
    private static final AtomicInteger ENCODINGS = new AtomicInteger();

    private static void encode(AuditEvent e, OutputStream out) throws IOException {
        ENCODINGS.incrementAndGet();
        Value tag = e.extra("TAG");
        String json = "{\"id\":\"" + e.id() + "\",\"records\":" + e.records().size()
                + (tag == null ? "" : ",\"tag\":\"" + tag + "\"") + "}";
        out.write(json.getBytes(StandardCharsets.UTF_8));
    }

    static class RecordingSink implements Sink {
        final List<String> written = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger flushes = new AtomicInteger();
        final AtomicInteger flushedEvents = new AtomicInteger();

        @Override
        public void write(OutputEvent event) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            event.writeJsonTo(out);
            assertThat(out.toByteArray()).isEqualTo(event.json());
            written.add(out.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
            flushedEvents.set(written.size());
        }
    }

    private static Pipeline pipeline(String input, List<Enricher> enrichers, List<Sink> sinks,
                                     Pipeline.Options options) {
        LineReader reader = LineReader.start(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), "test", 4);
        return new Pipeline(reader, new TinyParser(), (out, rejects) -> new TinyAssembler(out, 1000),
                event -> { }, PipelineTest::encode, TestChain.of(enrichers, sinks), options);
    }

    @Test
    void writesEveryEventToEverySinkInInputOrder() {
        RecordingSink first = new RecordingSink();
        RecordingSink second = new RecordingSink();

        PipelineCounts counts = pipeline(TWO_EVENTS, List.of(), List.of(first, second),
                Pipeline.Options.defaults()).run();

        assertThat(first.written).containsExactly(
                "{\"id\":\"1.001:10\",\"records\":2}", "{\"id\":\"1.002:11\",\"records\":1}");
        assertThat(second.written).isEqualTo(first.written);
        assertThat(counts.lines()).isEqualTo(4);
        assertThat(counts.events()).isEqualTo(2);
        assertThat(first.flushedEvents.get()).as("flushed at the end").isEqualTo(2);
    }

    @Test
    void encodesEachEventOnceHoweverManySinks() {
        int before = ENCODINGS.get();
        pipeline(TWO_EVENTS, List.of(), List.of(new RecordingSink(), new RecordingSink(), new RecordingSink()),
                Pipeline.Options.defaults()).run();
        assertThat(ENCODINGS.get() - before).isEqualTo(2);
    }

    @Test
    void runsEnrichersInChainOrderBeforeTheSinks() {
        Enricher first = e -> e.put("TAG", Value.text("first"));
        Enricher second = e -> e.put("TAG", Value.text(e.extra("TAG") + "+second"));
        RecordingSink sink = new RecordingSink();

        pipeline(TWO_EVENTS, List.of(first, second), List.of(sink), Pipeline.Options.defaults()).run();

        assertThat(sink.written).allSatisfy(json -> assertThat(json).contains("\"tag\":\"first+second\""));
    }

    @Test
    void countsUnparsableLinesAndWritesThemWithTheReasonToTheParseErrorLog() {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        RecordingSink sink = new RecordingSink();
        String input = "garbage one\n" + TWO_EVENTS + "type=NOPE msg=audit(1.0:1): x=1\n";

        PipelineCounts counts = pipeline(input, List.of(), List.of(sink),
                new Pipeline.Options(Duration.ofMillis(100), Duration.ZERO, errors, InstantSource.system())).run();

        assertThat(counts.parseErrors()).isEqualTo(2);
        assertThat(counts.events()).isEqualTo(2);
        assertThat(errors.toString(StandardCharsets.UTF_8))
                .isEqualTo("1\tno type=\tgarbage one\n"
                        + "6\tunknown type\ttype=NOPE msg=audit(1.0:1): x=1\n");
    }

    @Test
    void keepsTheEventWhenAnEnricherThrows() {
        Enricher broken = e -> {
            throw new IllegalStateException("boom");
        };
        Enricher after = e -> e.put("TAG", Value.text("after"));
        RecordingSink sink = new RecordingSink();

        PipelineCounts counts = pipeline(TWO_EVENTS, List.of(broken, after), List.of(sink),
                Pipeline.Options.defaults()).run();

        assertThat(counts.enricherErrors()).isEqualTo(2);
        assertThat(sink.written).hasSize(2).allSatisfy(json -> assertThat(json).contains("after"));
    }

    @Test
    void oneFailingSinkDoesNotStopTheOthers() {
        Sink failing = new Sink() {
            @Override
            public void write(OutputEvent event) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {
                throw new IllegalStateException("flush failed");
            }
        };
        RecordingSink after = new RecordingSink();

        PipelineCounts counts = pipeline(TWO_EVENTS, List.of(), List.of(failing, after),
                Pipeline.Options.defaults()).run();

        assertThat(after.written).hasSize(2);
        assertThat(after.flushes.get()).isPositive();
        assertThat(counts.sinkErrors()).isGreaterThanOrEqualTo(3);   // two writes, at least one flush
    }

    @Test
    void droppedEventsReachNoSink() {
        Enricher dropUser = e -> {
            if (e.records().get(0).type().isUserSpace()) {
                e.drop();
            }
        };
        RecordingSink sink = new RecordingSink();

        PipelineCounts counts = pipeline(TWO_EVENTS, List.of(dropUser), List.of(sink),
                Pipeline.Options.defaults()).run();

        assertThat(sink.written).containsExactly("{\"id\":\"1.001:10\",\"records\":2}");
        assertThat(counts.dropped()).isEqualTo(1);
        assertThat(counts.events()).isEqualTo(2);
    }

    @Test
    void anEventThatCannotBeEncodedIsSkippedAndCounted() {
        RecordingSink sink = new RecordingSink();
        LineReader reader = LineReader.start(
                new ByteArrayInputStream(TWO_EVENTS.getBytes(StandardCharsets.UTF_8)), "test", 4);
        Pipeline p = new Pipeline(reader, new TinyParser(), (out, rejects) -> new TinyAssembler(out, 1000),
                event -> { }, (e, out) -> {
                    if (e.id().serial() == 10) {
                        throw new IllegalArgumentException("unencodable");
                    }
                    encode(e, out);
                }, TestChain.of(List.of(), List.of(sink)), Pipeline.Options.defaults());

        PipelineCounts counts = p.run();

        assertThat(counts.encodeErrors()).isEqualTo(1);
        assertThat(sink.written).containsExactly("{\"id\":\"1.002:11\",\"records\":1}");
    }

    @Test
    void emitsEventsWithoutEoeAtTheEndOfInput() {
        RecordingSink sink = new RecordingSink();
        String input = "type=SYSCALL msg=audit(1.001:10): pid=1\ntype=PATH msg=audit(1.001:10): item=0\n";

        pipeline(input, List.of(), List.of(sink), Pipeline.Options.defaults()).run();

        assertThat(sink.written).containsExactly("{\"id\":\"1.001:10\",\"records\":2}");
    }

    /** A pipeline reading {@code in} through a LineReader, flushing every {@code flushMillis}. */
    private static Pipeline livePipeline(PipedInputStream in, RecordingSink sink, List<TinyAssembler> assemblers,
            long flushMillis) {
        return new Pipeline(LineReader.start(in, "pipe", 4), new TinyParser(),
                (out, rejects) -> {
                    TinyAssembler a = new TinyAssembler(out, 0);
                    assemblers.add(a);
                    return a;
                },
                event -> { }, PipelineTest::encode, TestChain.of(List.of(), List.of(sink)),
                new Pipeline.Options(Duration.ofMillis(flushMillis), Duration.ZERO, null, InstantSource.system()));
    }

    /** Waits up to 5 s until the sink has flushed {@code events}; the caller asserts the count. */
    private static void awaitFlushed(RecordingSink sink, int events) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sink.flushedEvents.get() < events && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void flushesSinksAndExpiresEventsOnceTheInputIsIdle() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(auditd, 1 << 16);
        RecordingSink sink = new RecordingSink();
        List<TinyAssembler> assemblers = new ArrayList<>();
        Pipeline p = livePipeline(in, sink, assemblers, 50);
        CompletableFuture<PipelineCounts> run = CompletableFuture.supplyAsync(p::run);

        auditd.write("type=USER_START msg=audit(1.002:11): pid=2\n".getBytes(StandardCharsets.UTF_8));
        auditd.write("type=SYSCALL msg=audit(1.003:12): pid=3\n".getBytes(StandardCharsets.UTF_8));
        auditd.flush();

        awaitFlushed(sink, 2);
        assertThat(sink.flushedEvents.get()).as("both events flushed while the input is still open").isEqualTo(2);
        assertThat(sink.written).containsExactly(
                "{\"id\":\"1.002:11\",\"records\":1}", "{\"id\":\"1.003:12\",\"records\":1}");
        assertThat(assemblers.get(0).expireCalls).isNotEmpty();
        assertThat(run).isNotDone();

        auditd.close();
        assertThat(run.get(5, TimeUnit.SECONDS).events()).isEqualTo(2);
    }

    @Test
    void anIdlePipelineWithNothingPendingSleepsPastTheFlushIntervalYetStopsAtOnce() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(auditd, 1 << 16);
        RecordingSink sink = new RecordingSink();
        List<TinyAssembler> assemblers = new ArrayList<>();
        Pipeline p = livePipeline(in, sink, assemblers, 10);
        CompletableFuture<PipelineCounts> run = CompletableFuture.supplyAsync(p::run);
        auditd.write("type=USER_START msg=audit(1.002:11): pid=2\n".getBytes(StandardCharsets.UTF_8));
        auditd.flush();
        awaitFlushed(sink, 1);
        assertThat(sink.flushedEvents.get()).as("the event flushed").isEqualTo(1);
        int expiredBefore = assemblers.get(0).expireCalls.size();

        Thread.sleep(500);   // fifty flush intervals with nothing pending
        int idleTurns = assemblers.get(0).expireCalls.size() - expiredBefore;
        long stopAt = System.nanoTime();
        p.stop();
        PipelineCounts counts = run.get(5, TimeUnit.SECONDS);

        assertThat(idleTurns).as("turns while idle for 500 ms").isLessThanOrEqualTo(2);
        assertThat((System.nanoTime() - stopAt) / 1_000_000).as("ms from stop() to the end").isLessThan(1_000);
        assertThat(counts.events()).isEqualTo(1);
    }

    @Test
    void flushesLiveInputThatCaughtUpWithoutWaitingForTheFlushInterval() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(auditd, 1 << 16);
        RecordingSink sink = new RecordingSink();
        Pipeline p = new Pipeline(LineReader.start(in, "pipe", 4), new TinyParser(),
                (out, rejects) -> new TinyAssembler(out, 1000), event -> { }, PipelineTest::encode,
                TestChain.of(List.of(), List.of(sink)),
                new Pipeline.Options(Duration.ofHours(1), Duration.ZERO, null, InstantSource.system()));
        CompletableFuture<PipelineCounts> run = CompletableFuture.supplyAsync(p::run);

        // as auditd writes a plugin: one record per write
        for (String line : TWO_EVENTS.lines().limit(3).toList()) {
            auditd.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            auditd.flush();
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.flushedEvents.get() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        // with a flush interval of an hour, only the caught-up input can have flushed it
        assertThat(sink.flushedEvents.get()).as("the event flushed while the input is open").isEqualTo(1);
        assertThat(sink.written).containsExactly("{\"id\":\"1.001:10\",\"records\":2}");
        assertThat(run).isNotDone();

        auditd.close();
        assertThat(run.get(5, TimeUnit.SECONDS).events()).isEqualTo(1);
    }

    @Test
    void stopEmitsPendingEventsAndReturnsWhileTheInputIsOpen() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(auditd, 1 << 16);
        RecordingSink sink = new RecordingSink();
        Pipeline p = new Pipeline(LineReader.start(in, "pipe", 4), new TinyParser(),
                (out, rejects) -> new TinyAssembler(out, 60_000), event -> { }, PipelineTest::encode,
                TestChain.of(List.of(), List.of(sink)),
                Pipeline.Options.defaults());
        CompletableFuture<PipelineCounts> run = CompletableFuture.supplyAsync(p::run);
        auditd.write("type=SYSCALL msg=audit(1.003:12): pid=3\n".getBytes(StandardCharsets.UTF_8));
        auditd.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (p.counts().lines() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        p.stop();

        PipelineCounts counts = run.get(5, TimeUnit.SECONDS);
        assertThat(counts.events()).isEqualTo(1);
        assertThat(sink.written).containsExactly("{\"id\":\"1.003:12\",\"records\":1}");
        assertThat(sink.flushedEvents.get()).isEqualTo(1);
    }

    @Test
    void assemblesTheRealCaptureWithTheProductionParserAndAssembler() throws Exception {
        java.nio.file.Path capture = TestData.capture();
        RecordingSink sink = new RecordingSink();
        LineReader reader = LineReader.start(java.nio.file.Files.newInputStream(capture), "capture");
        Pipeline p = new Pipeline(reader, new dev.laurel.engine.parse.LineParser(),
                EventAssembler.factory(EventAssembler.Limits.DEFAULTS),
                event -> { }, PipelineTest::encode, TestChain.of(List.of(), List.of(sink)), Pipeline.Options.defaults());

        PipelineCounts counts = p.run();

        assertThat(counts.lines()).isEqualTo(5199);
        assertThat(counts.parseErrors()).isZero();
        assertThat(counts.events()).isEqualTo(1076);
        assertThat(sink.written).hasSize(1076).first().asString().startsWith("{\"id\":\"1795636821.180:1058\"");
    }

    @Test
    void aParserBugCostsOneLineNotTheStream() {
        TinyParser tiny = new TinyParser();
        Parser buggy = new Parser() {
            @Override
            public dev.laurel.engine.parse.ParsedRecord parse(byte[] line, int offset, int length) {
                if (new String(line, offset, length, StandardCharsets.UTF_8).contains("comm=a")) {
                    throw new ArrayIndexOutOfBoundsException("bug");
                }
                return tiny.parse(line, offset, length);
            }

            @Override
            public String lastError() {
                return tiny.lastError();
            }
        };
        RecordingSink sink = new RecordingSink();
        LineReader reader = LineReader.start(
                new ByteArrayInputStream(TWO_EVENTS.getBytes(StandardCharsets.UTF_8)), "test", 4);

        PipelineCounts counts = new Pipeline(reader, buggy, (out, rejects) -> new TinyAssembler(out, 1000),
                event -> { }, PipelineTest::encode, TestChain.of(List.of(), List.of(sink)),
                Pipeline.Options.defaults()).run();

        assertThat(counts.parseErrors()).isEqualTo(1);
        assertThat(sink.written).containsExactly(
                "{\"id\":\"1.001:10\",\"records\":1}", "{\"id\":\"1.002:11\",\"records\":1}");
    }

    @Test
    void theProcessTrackerSeesEveryEventBeforeTheEnrichersEvenDroppedOnes() {
        List<String> seen = new ArrayList<>();
        Enricher dropAll = e -> {
            seen.add("enricher " + e.id());
            e.drop();
        };
        RecordingSink sink = new RecordingSink();
        LineReader reader = LineReader.start(
                new ByteArrayInputStream(TWO_EVENTS.getBytes(StandardCharsets.UTF_8)), "test", 4);

        PipelineCounts counts = new Pipeline(reader, new TinyParser(), (out, rejects) -> new TinyAssembler(out, 1000),
                e -> seen.add("tracker " + e.id()), PipelineTest::encode, TestChain.of(List.of(dropAll), List.of(sink)),
                Pipeline.Options.defaults()).run();

        assertThat(seen).containsExactly("tracker 1.001:10", "enricher 1.001:10", "tracker 1.002:11",
                "enricher 1.002:11");
        assertThat(sink.written).isEmpty();
        assertThat(counts.dropped()).isEqualTo(2);
    }

    @Test
    void routesDroppedEventsToFilteredSinksOnlyAndEveryEventToAllSinks() {
        Enricher dropUser = e -> {
            if (e.records().get(0).type().isUserSpace()) {
                e.drop();
            }
        };
        RecordingSink kept = new RecordingSink();
        RecordingSink filtered = new RecordingSink();
        RecordingSink all = new RecordingSink();
        RecordingSink unrouted = new RecordingSink();
        LineReader reader = LineReader.start(
                new ByteArrayInputStream(TWO_EVENTS.getBytes(StandardCharsets.UTF_8)), "test", 4);
        int before = ENCODINGS.get();

        PipelineCounts counts = new Pipeline(reader, new TinyParser(), (out, rejects) -> new TinyAssembler(out, 1000),
                event -> { }, PipelineTest::encode, new Pipeline.Chain(List.of(dropUser),
                        List.of(kept, filtered, all, unrouted),
                        List.of(Pipeline.Route.KEPT, Pipeline.Route.FILTERED, Pipeline.Route.ALL), () -> { }),
                Pipeline.Options.defaults()).run();

        assertThat(kept.written).containsExactly("{\"id\":\"1.001:10\",\"records\":2}");
        assertThat(filtered.written).containsExactly("{\"id\":\"1.002:11\",\"records\":1}");
        assertThat(all.written).containsExactly(
                "{\"id\":\"1.001:10\",\"records\":2}", "{\"id\":\"1.002:11\",\"records\":1}");
        assertThat(unrouted.written).as("no route given: kept").isEqualTo(kept.written);
        assertThat(counts.dropped()).isEqualTo(1);
        assertThat(ENCODINGS.get() - before).as("each event encoded once").isEqualTo(2);
        assertThat(filtered.flushedEvents.get()).isEqualTo(1);
    }

    @Test
    void reopenCallsEverySinkOnThePipelineThreadBetweenEvents() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(auditd, 1 << 16);
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        List<Thread> reopenThreads = Collections.synchronizedList(new ArrayList<>());
        Thread[] pipelineThread = new Thread[1];
        class ReopeningSink extends RecordingSink {
            final String name;

            ReopeningSink(String name) {
                this.name = name;
            }

            @Override
            public void write(OutputEvent event) throws IOException {
                pipelineThread[0] = Thread.currentThread();
                calls.add(name + " write");
                super.write(event);
            }

            @Override
            public void reopen() {
                reopenThreads.add(Thread.currentThread());
                calls.add(name + " reopen");
            }
        }
        Sink failing = new Sink() {
            @Override
            public void write(OutputEvent event) {
            }

            @Override
            public void reopen() throws IOException {
                throw new IOException("cannot reopen");
            }
        };
        ReopeningSink a = new ReopeningSink("a");
        ReopeningSink b = new ReopeningSink("b");
        Pipeline p = new Pipeline(LineReader.start(in, "pipe", 4), new TinyParser(),
                (out, rejects) -> new TinyAssembler(out, 60_000), event -> { }, PipelineTest::encode,
                TestChain.of(List.of(), List.of(a, failing, b)),
                new Pipeline.Options(Duration.ofMillis(20), Duration.ZERO, null, InstantSource.system()));
        CompletableFuture<PipelineCounts> run = CompletableFuture.supplyAsync(p::run);
        auditd.write(("type=SYSCALL msg=audit(1.003:12): pid=3\ntype=EOE msg=audit(1.003:12):\n")
                .getBytes(StandardCharsets.UTF_8));
        auditd.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (a.written.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        p.reopen();   // as the SIGHUP handler does, from another thread
        while (calls.size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        auditd.write("type=SYSCALL msg=audit(1.004:13): pid=3\n".getBytes(StandardCharsets.UTF_8));
        auditd.close();

        PipelineCounts counts = run.get(5, TimeUnit.SECONDS);
        assertThat(calls).containsExactly("a write", "b write", "a reopen", "b reopen", "a write", "b write");
        assertThat(reopenThreads).hasSize(2).allSatisfy(t -> assertThat(t).isSameAs(pipelineThread[0]));
        // Logged, not a sink error: it lost no event, and sink errors mean events not written (exit 74).
        assertThat(counts.sinkErrors()).as("the failed reopen").isZero();
    }

    @Test
    void processTableAndEnrichersSeeSerialOrderWhileSinksSeeCompletionOrder() throws IOException {
        StringBuilder input = new StringBuilder();
        for (String line : java.nio.file.Files.readAllLines(TestData.fixture("shell-proc-trace-reordered"),
                StandardCharsets.ISO_8859_1)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                input.append(line).append('\n');
            }
        }
        List<Long> tracked = new ArrayList<>();
        List<Long> enriched = new ArrayList<>();
        RecordingSink sink = new RecordingSink();
        LineReader reader = LineReader.start(new ByteArrayInputStream(
                input.toString().getBytes(StandardCharsets.ISO_8859_1)), "test", 4);
        new Pipeline(reader, new dev.laurel.engine.parse.LineParser(),
                EventAssembler.factory(EventAssembler.Limits.DEFAULTS),
                e -> tracked.add(e.id().serial()), PipelineTest::encode,
                TestChain.of(List.of(e -> enriched.add(e.id().serial())), List.of(sink)),
                Pipeline.Options.defaults()).run();

        List<Long> serial = List.of(29237L, 29238L, 29239L, 29240L, 29241L, 29242L, 29243L, 29244L, 29245L);
        assertThat(tracked).isEqualTo(serial);
        assertThat(enriched).isEqualTo(serial);
        assertThat(sink.written).hasSize(9);
        assertThat(sink.written.get(0)).startsWith("{\"id\":\"1682609045.534:29245\"");
        assertThat(sink.written.get(8)).startsWith("{\"id\":\"1682609045.526:29237\"");
    }

    @Test
    void aReplacedChainTakesTheNextEventsAndThePendingOneWhileTheOldIsFlushedAndClosed() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(auditd, 1 << 16);
        List<String> closed = Collections.synchronizedList(new ArrayList<>());
        RecordingSink oldSink = new RecordingSink();
        RecordingSink newSink = new RecordingSink();
        RecordingSink neverRun = new RecordingSink();
        Enricher oldTag = e -> e.put("TAG", Value.text("old"));
        Enricher newTag = e -> e.put("TAG", Value.text("new"));
        Pipeline p = new Pipeline(LineReader.start(in, "pipe", 4), new TinyParser(),
                (out, rejects) -> new TinyAssembler(out, 60_000), event -> { }, PipelineTest::encode,
                new Pipeline.Chain(List.of(oldTag), List.of(oldSink), List.of(), () -> closed.add("old")),
                new Pipeline.Options(Duration.ofMillis(20), Duration.ZERO, null, InstantSource.system()));
        CompletableFuture<PipelineCounts> run = CompletableFuture.supplyAsync(p::run);
        // One event complete, one waiting for its EOE across the switch.
        auditd.write(("type=SYSCALL msg=audit(1.003:12): pid=3\ntype=EOE msg=audit(1.003:12):\n"
                + "type=SYSCALL msg=audit(1.004:13): pid=4\n").getBytes(StandardCharsets.UTF_8));
        auditd.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (oldSink.flushedEvents.get() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        // A second SIGHUP before the pipeline switched supersedes the first: that chain is closed unused.
        p.replace(new Pipeline.Chain(List.of(), List.of(neverRun), List.of(), () -> closed.add("superseded")));
        p.replace(new Pipeline.Chain(List.of(newTag), List.of(newSink), List.of(), () -> closed.add("new")));
        while (!closed.contains("old") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        auditd.write(("type=EOE msg=audit(1.004:13):\n"
                + "type=SYSCALL msg=audit(1.005:14): pid=5\ntype=EOE msg=audit(1.005:14):\n").getBytes(StandardCharsets.UTF_8));
        auditd.close();
        PipelineCounts counts = run.get(5, TimeUnit.SECONDS);

        assertThat(closed).as("the superseded chain and then the old one closed; the running one is left to its owner")
                .containsExactly("superseded", "old");
        assertThat(oldSink.written).containsExactly("{\"id\":\"1.003:12\",\"records\":1,\"tag\":\"old\"}");
        assertThat(oldSink.flushedEvents.get()).isEqualTo(1);
        assertThat(neverRun.written).isEmpty();
        assertThat(newSink.written).as("the event pending across the switch goes through the new chain").containsExactly(
                "{\"id\":\"1.004:13\",\"records\":1,\"tag\":\"new\"}",
                "{\"id\":\"1.005:14\",\"records\":1,\"tag\":\"new\"}");
        assertThat(p.chain().sinks()).containsExactly(newSink);
        assertThat(counts.events()).isEqualTo(3);
    }

    @Test
    void aChainHandedOverAfterTheEndIsClosedUnused() {
        List<String> closed = new ArrayList<>();
        Pipeline p = pipeline(TWO_EVENTS, List.of(), List.of(new RecordingSink()), Pipeline.Options.defaults());
        p.run();

        p.replace(new Pipeline.Chain(List.of(), List.of(new RecordingSink()), List.of(), () -> closed.add("late")));

        assertThat(closed).containsExactly("late");
    }
}
