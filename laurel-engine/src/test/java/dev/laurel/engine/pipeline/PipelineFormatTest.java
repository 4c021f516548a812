package dev.laurel.engine.pipeline;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventJson;
import dev.laurel.api.Format;
import dev.laurel.api.Sink;
import dev.laurel.engine.input.LineReader;
import dev.laurel.engine.json.LaurelFormat;
import dev.laurel.engine.pipeline.PipelineTest.RecordingSink;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Sinks with a {@code format:}: each format encoded once per event, whatever the number of its sinks. */
class PipelineFormatTest {
    private static final String TWO_EVENTS = """
            type=SYSCALL msg=audit(1.001:10): pid=1 comm=a
            type=EOE msg=audit(1.001:10):
            type=USER_START msg=audit(1.002:11): pid=2
            """;

    /** Writes {"f":NAME,"id":"..."} and counts its calls. */
    private static final class CountingFormat implements Format {
        final String name;
        final AtomicInteger calls = new AtomicInteger();

        CountingFormat(String name) {
            this.name = name;
        }

        @Override
        public void encode(AuditEvent event, EventJson out) {
            calls.incrementAndGet();
            out.startObject();
            out.key("f");
            out.string(name);
            out.key("id");
            out.string(event.id().toString());
            out.endObject();
        }
    }

    private final AtomicInteger laurelCalls = new AtomicInteger();

    private void laurel(AuditEvent e, OutputStream out) throws java.io.IOException {
        laurelCalls.incrementAndGet();
        out.write(("{\"laurel\":\"" + e.id() + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private PipelineCounts run(List<Sink> sinks, Format... formats) {
        LineReader reader = LineReader.start(
                new ByteArrayInputStream(TWO_EVENTS.getBytes(StandardCharsets.UTF_8)), "test", 4);
        List<String> names = sinks.stream().map(s -> "sink").toList();
        Pipeline.Chain chain = new Pipeline.Chain(List.of(), sinks, List.of(), () -> { }, List.of(), names,
                Arrays.asList(formats));
        return new Pipeline(reader, new TinyParser(), (out, rejects) -> new TinyAssembler(out, 1000),
                event -> { }, this::laurel, chain, Pipeline.Options.defaults()).run();
    }

    @Test
    void twoSinksOfOneFormatShareOneEncodingAndALaurelSinkKeepsItsOwn() {
        CountingFormat ecs = new CountingFormat("ecs");
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        RecordingSink plain = new RecordingSink();

        run(List.of(a, plain, b), ecs, null, ecs);

        assertThat(ecs.calls).hasValue(2);
        assertThat(laurelCalls).hasValue(2);
        assertThat(a.written).containsExactly("{\"f\":\"ecs\",\"id\":\"1.001:10\"}", "{\"f\":\"ecs\",\"id\":\"1.002:11\"}");
        assertThat(b.written).isEqualTo(a.written);
        assertThat(plain.written).containsExactly("{\"laurel\":\"1.001:10\"}", "{\"laurel\":\"1.002:11\"}");
    }

    @Test
    void theLaurelFormatIsNotEncodedWhenNoSinkUsesIt() {
        CountingFormat ecs = new CountingFormat("ecs");
        CountingFormat ocsf = new CountingFormat("ocsf");
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();

        run(List.of(a, b), ecs, ocsf);

        assertThat(laurelCalls).hasValue(0);
        assertThat(ecs.calls).hasValue(2);
        assertThat(ocsf.calls).hasValue(2);
        assertThat(b.written.get(0)).isEqualTo("{\"f\":\"ocsf\",\"id\":\"1.001:10\"}");
    }

    @Test
    void theLaurelFormatNamedExplicitlyIsThePipelinesOwnEncoder() {
        RecordingSink a = new RecordingSink();

        run(List.of(a), LaurelFormat.INSTANCE);

        assertThat(laurelCalls).hasValue(2);
        assertThat(a.written).containsExactly("{\"laurel\":\"1.001:10\"}", "{\"laurel\":\"1.002:11\"}");
    }

    @Test
    void aFormatThatFailsCostsOnlyTheEventsOfItsOwnSinks() {
        Format broken = (event, out) -> {
            if (event.id().serial() == 10) {
                throw new IllegalStateException("boom");
            }
            out.startObject();
            out.endObject();
        };
        Format unfinished = (event, out) -> out.startObject();
        RecordingSink brokenSink = new RecordingSink();
        RecordingSink unfinishedSink = new RecordingSink();
        RecordingSink plain = new RecordingSink();

        PipelineCounts counts = run(List.of(brokenSink, unfinishedSink, plain), broken, unfinished, null);

        assertThat(brokenSink.written).containsExactly("{}");
        assertThat(unfinishedSink.written).as("a format that leaves an object open gets no event out").isEmpty();
        assertThat(plain.written).hasSize(2);
        assertThat(counts.encodeErrors()).isEqualTo(3);
    }
}
