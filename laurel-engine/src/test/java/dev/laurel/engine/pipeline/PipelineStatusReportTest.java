package dev.laurel.engine.pipeline;

import dev.laurel.api.OutputEvent;
import dev.laurel.api.Sink;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.input.LineReader;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.testkit.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The periodic status report in laurel's log: counts, the marker and the lag behind the input. */
class PipelineStatusReportTest {
    private static final String LOGGER = Pipeline.class.getName();

    private LogCapture captured;

    @BeforeEach
    void capture() {
        captured = LogCapture.of(LOGGER, e -> e.getMessage().getFormattedMessage());
    }

    @AfterEach
    void release() {
        captured.close();
    }

    @Test
    void reportsCarryTheMarkerTheCountsAndHowOldTheNewestRecordIs() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(auditd, 1 << 16);
        // a record from 2026-11-25 10:00:00 UTC; the clock runs from one minute later
        long recordMillis = 1_795_600_800_000L;
        long t0 = System.nanoTime();
        InstantSource clock = () -> java.time.Instant.ofEpochMilli(
                recordMillis + 60_000 + (System.nanoTime() - t0) / 1_000_000);
        Pipeline p = new Pipeline(LineReader.start(in, "pipe", 4), new LineParser(),
                EventAssembler.factory(EventAssembler.Limits.DEFAULTS), event -> { },
                (e, out) -> out.write('x'), TestChain.of(List.of(), List.of()),
                new Pipeline.Options(Duration.ofMillis(10), Duration.ofMillis(20), null, clock, null, Duration.ZERO)
                        .withMarker("web-7"));
        runUntilLogged(p, auditd, l -> l.startsWith("status") && l.contains("1 events"));

        assertThat(captured.lines.get(0)).isEqualTo("start [web-7]");
        assertThat(captured.lines).anySatisfy(l -> assertThat(l)
                .startsWith("status [web-7]: 2 lines")
                .contains("1 events")
                .containsPattern("; newest record 6\\d{4} ms old, \\d+ input buffers waiting$"));
        // and laurel's own CPU time since the last report, as LAUREL 0.7.3+ logs it
        assertThat(captured.lines).anySatisfy(l -> assertThat(l).matches(
                "CPU usage \\[web-7\\] over span=\\d+\\.\\ds usr=\\d+\\.\\d\\d%, sys=\\d+\\.\\d\\d%, combined=\\d+\\.\\d\\d%"));
    }

    @Test
    void eachSinkWithAStatusGetsALineInTheReportNamedByItsId() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(auditd, 1 << 16);
        Sink counting = new Sink() {
            private long written;

            @Override
            public void write(OutputEvent event) {
                written++;
            }

            @Override
            public String status() {
                return written + " sent, 0 acknowledged";
            }
        };
        Sink quiet = event -> { };
        Pipeline p = new Pipeline(LineReader.start(in, "pipe", 4), new LineParser(),
                EventAssembler.factory(EventAssembler.Limits.DEFAULTS), event -> { },
                (e, out) -> out.write('x'),
                new Pipeline.Chain(List.of(), List.of(counting, quiet), List.of(), () -> { }, List.of(),
                        List.of("fleet", "local")),
                new Pipeline.Options(Duration.ofMillis(10), Duration.ofMillis(20), null,
                        InstantSource.system(), null, Duration.ZERO).withMarker("web-7"));
        runUntilLogged(p, auditd, l -> l.equals("status [web-7]: sink fleet: 1 sent, 0 acknowledged"));

        assertThat(captured.lines).contains("status [web-7]: sink fleet: 1 sent, 0 acknowledged");
        assertThat(captured.lines).noneMatch(l -> l.contains("sink local"));
    }

    /**
     * Runs {@code p}, feeds it one event and waits (at most 10 s) for a line {@code until} accepts.
     * The input is closed and the pipeline's end awaited however the wait ends, so a failing test
     * leaves no pipeline behind to write its reports into the next test's capture.
     */
    private void runUntilLogged(Pipeline p, PipedOutputStream auditd, Predicate<String> until) throws Exception {
        CompletableFuture<PipelineCounts> run = CompletableFuture.supplyAsync(p::run);
        try {
            auditd.write(("type=SYSCALL msg=audit(1795600800.000:7): arch=c000003e syscall=59 pid=3\n"
                    + "type=EOE msg=audit(1795600800.000:7):\n").getBytes(StandardCharsets.UTF_8));
            auditd.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (captured.lines.stream().noneMatch(until) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            auditd.close();
            run.get(10, TimeUnit.SECONDS);
        }
    }
}
