package dev.laurel.bench;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.Value;
import dev.laurel.engine.json.PercentCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decoding every hex-encoded value of the real capture, and percent-escaping every string
 * value (as the encoder does). Times are for the whole capture; divide by the counts printed
 * at setup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"})
public class CodecBench {
    private Value.Token[] hex;
    private Value.Token[] strings;
    private final PercentCodec codec = new PercentCodec();

    @Setup
    public void load() {
        List<Value.Token> h = new ArrayList<>();
        List<Value.Token> s = new ArrayList<>();
        for (AuditEvent e : Corpus.events()) {
            for (Record r : e.records()) {
                for (int i = 0; i < r.size(); i++) {
                    if (r.value(i) instanceof Value.Token t) {
                        if (t.encoding() == Encoding.HEX) {
                            h.add(t);
                        } else if (t.encoding() != Encoding.NULL && t.encoding() != Encoding.UNSET) {
                            s.add(t);
                        }
                    }
                }
            }
        }
        hex = h.toArray(new Value.Token[0]);
        strings = s.toArray(new Value.Token[0]);
        System.out.println("hex tokens: " + hex.length + ", other tokens: " + strings.length);
    }

    @Benchmark
    public void hexDecode(Blackhole bh) {
        for (Value.Token t : hex) {
            bh.consume(t.decoded());
        }
    }

    @Benchmark
    public int percentEncode() {
        int n = 0;
        for (Value.Token t : strings) {
            n += codec.encode(t.bytes(), t.offset(), t.length());
        }
        return n;
    }
}
