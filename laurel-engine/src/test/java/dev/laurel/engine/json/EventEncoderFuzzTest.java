package dev.laurel.engine.json;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.Value;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer target: any bytes, read as auditd lines, parsed, assembled and encoded (as they are, and
 * with hex tokens decoded) give one valid JSON object per event, free of raw control bytes and
 * malformed UTF-8, with the event's ID. In every build it runs over the committed inputs in
 * {@code EventEncoderFuzzTestInputs/encodesAnyLogAsValidJson/};
 * {@code JAZZER_FUZZ=1 mvn -pl laurel-engine test -Dtest=EventEncoderFuzzTest} fuzzes for real.
 */
class EventEncoderFuzzTest {
    /** Fails on a key written twice in one object: laurel never writes one (docs/format.md §1). */
    private static final ObjectMapper MAPPER = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private final LineParser parser = new LineParser();
    private final EventEncoder encoder = new EventEncoder();

    @FuzzTest(maxDuration = "5m")
    void encodesAnyLogAsValidJson(byte[] log) throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        EventAssembler assembler = new EventAssembler(events::add);
        int start = 0;
        for (int i = 0; i <= log.length; i++) {
            if (i == log.length || log[i] == '\n') {
                ParsedRecord r = parser.parse(log, start, i - start);
                if (r != null) {
                    assembler.accept(r);
                }
                start = i + 1;
            }
        }
        assembler.flush();
        for (AuditEvent e : events) {
            check(e);
            decodeHex(e);
            check(e);
        }
    }

    private void check(AuditEvent e) throws IOException {
        byte[] json = encoder.encode(e);
        assertThat(PercentCodecTest.isCleanUtf8(json)).as("clean UTF-8: %s", new String(json, StandardCharsets.UTF_8)).isTrue();
        JsonNode tree = MAPPER.readTree(json);
        assertThat(tree.isObject()).isTrue();
        assertThat(tree.get("ID").asText()).isEqualTo(e.id().toString());
    }

    /** What the hex-decoder plugin does (the engine's tests cannot depend on it). */
    private static void decodeHex(AuditEvent e) {
        for (Record r : e.records()) {
            for (int i = 0; i < r.size(); i++) {
                Value v = r.value(i);
                if (v instanceof Value.Token t && t.encoding() == Encoding.HEX) {
                    r.set(i, Value.text(t.decoded()));
                } else if (v instanceof Value.ListValue l) {
                    List<Value> items = new ArrayList<>();
                    for (Value item : l.items()) {
                        items.add(item instanceof Value.Token t && t.encoding() == Encoding.HEX
                                ? Value.text(t.decoded()) : item);
                    }
                    r.set(i, Value.list(items));
                }
            }
        }
    }
}
