package dev.laurel.bench;

import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/** Parsing, and parsing plus assembling, every line of the real capture (5,199 lines). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"})
public class ParserBench {
    static final int LINES = 5199;

    private byte[][] lines;
    private final LineParser parser = new LineParser();

    @Setup
    public void load() {
        lines = Corpus.lines();
        if (lines.length != LINES) {
            throw new IllegalStateException("expected " + LINES + " lines, got " + lines.length);
        }
    }

    /** Nanoseconds per line. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void parse(Blackhole bh) {
        for (byte[] line : lines) {
            bh.consume(parser.parse(line, 0, line.length));
        }
    }

    /** Nanoseconds per line, events handed to a blackhole. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void parseAndAssemble(Blackhole bh) {
        EventAssembler assembler = new EventAssembler(bh::consume);
        for (byte[] line : lines) {
            ParsedRecord r = parser.parse(line, 0, line.length);
            if (r != null) {
                assembler.accept(r);
            }
        }
        assembler.flush();
    }
}
