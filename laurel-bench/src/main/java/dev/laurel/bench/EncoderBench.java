package dev.laurel.bench;

import dev.laurel.api.AuditEvent;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.plugins.hexdecoder.HexDecoderFactory;
import dev.laurel.api.Enricher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writing the real capture's 1,076 events as JSON, as they come from the assembler (hex still
 * encoded) and after the hex-decoder.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"})
public class EncoderBench {
    static final int EVENTS = 1076;

    private List<AuditEvent> raw;
    private List<AuditEvent> decoded;
    private final EventEncoder encoder = new EventEncoder();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);

    @Setup(Level.Trial)
    public void load() {
        raw = Corpus.events();
        decoded = Corpus.events();
        if (raw.size() != EVENTS) {
            throw new IllegalStateException("expected " + EVENTS + " events, got " + raw.size());
        }
        Enricher hex = new HexDecoderFactory().create(null, null);
        for (AuditEvent e : decoded) {
            hex.enrich(e);
        }
    }

    /** Nanoseconds per event. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int encodeRaw() throws IOException {
        return encodeAll(raw);
    }

    /** Nanoseconds per event. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int encodeDecoded() throws IOException {
        return encodeAll(decoded);
    }

    private int encodeAll(List<AuditEvent> events) throws IOException {
        out.reset();
        for (AuditEvent e : events) {
            encoder.encode(e, out);
            out.write('\n');
        }
        return out.size();
    }
}
