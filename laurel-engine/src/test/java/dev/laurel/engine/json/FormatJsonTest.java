package dev.laurel.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.Format;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormatJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each object record's fields as {"TYPE":{"name":value,...}}, through fieldValue, and the extras through value. */
    private static final Format FIELDS = (event, out) -> {
        out.startObject();
        Set<RecordType> seen = new HashSet<>();
        for (Record r : event.records()) {
            if (!EventEncoder.isObject(r.type()) || r.type() == RecordType.PROCTITLE || !seen.add(r.type())) {
                continue;
            }
            out.key(r.type().name());
            out.startObject();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < r.size(); i++) {
                if (names.add(r.name(i))) {
                    out.key(r.name(i));
                    out.fieldValue(r, i);
                }
            }
            out.endObject();
        }
        event.extras().forEach((k, v) -> {
            out.key(k);
            out.value(v);
        });
        out.endObject();
    };

    @Test
    void fieldValueWritesEveryFieldOfTheCaptureAsTheLaurelFormatDoes() throws Exception {
        EventEncoder laurel = new EventEncoder();
        FormatJson fields = new FormatJson(FIELDS, "fields");
        int compared = 0;
        for (AuditEvent event : TestData.events(TestData.capture())) {
            JsonNode expected = JSON.readTree(laurel.encode(event));
            JsonNode actual = JSON.readTree(fields.encode(event));
            for (Map.Entry<String, JsonNode> record : actual.properties()) {
                for (Map.Entry<String, JsonNode> field : record.getValue().properties()) {
                    JsonNode written = expected.path(record.getKey()).path(field.getKey());
                    if (written.isArray() && !field.getValue().isArray()) {
                        continue;    // a key the record has twice, grouped into a list by the laurel format
                    }
                    assertThat(field.getValue()).as("%s %s.%s", event.id(), record.getKey(), field.getKey())
                            .isEqualTo(written);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(10_000);
    }

    @Test
    void valueWritesAnEnrichersFieldAsTheLaurelFormatDoes() throws Exception {
        AuditEvent event = new AuditEvent(new EventId(1, 2, 3), null);
        event.put("PARENT_INFO", Value.object(Map.of("ARGV", Value.list(List.of(Value.text("g++"), Value.number(7))))));
        event.put("FLAG", Value.NULL);

        String laurel = new String(new EventEncoder().encode(event), StandardCharsets.UTF_8);
        String fields = new String(new FormatJson(FIELDS, "fields").encode(event), StandardCharsets.UTF_8);

        assertThat(fields).isEqualTo("{\"PARENT_INFO\":{\"ARGV\":[\"g%2b%2b\",7]},\"FLAG\":null}");
        assertThat(laurel).endsWith(fields.substring(1));
    }

    @Test
    void stringsKeysAndLiteralsAreValidJsonWhateverTheirCharacters() throws Exception {
        Format odd = (event, out) -> {
            out.startObject();
            out.key("quote\"and\\back");
            out.string("tab\there \"q\" é\u0001");
            out.key("bytes");
            byte[] b = {'a', (byte) 0xff, '\n'};
            out.string(b, 0, b.length);
            out.key("list");
            out.startArray();
            out.bool(true);
            out.bool(false);
            out.nullValue();
            out.number(Long.MIN_VALUE);
            out.endArray();
            out.endObject();
        };
        byte[] json = new FormatJson(odd, "odd").encode(new AuditEvent(new EventId(1, 0, 1), null));

        JsonNode read = JSON.readTree(json);
        assertThat(read.get("quote\"and\\back").asText()).isEqualTo("tab\there \"q\" é\u0001");
        assertThat(read.get("bytes").asText()).isEqualTo("a%ff%0a");
        assertThat(read.get("list").toString()).isEqualTo("[true,false,null,-9223372036854775808]");
    }

    @Test
    void aFormatThatLeavesItsJsonUnfinishedIsAnErrorNamingIt() {
        FormatJson open = new FormatJson((event, out) -> {
            out.startObject();
            out.key("a");
            out.startArray();
        }, "format half");
        FormatJson empty = new FormatJson((event, out) -> { }, "format none");
        AuditEvent event = new AuditEvent(new EventId(1, 0, 7), null);

        assertThatThrownBy(() -> open.encode(event)).isInstanceOf(IllegalStateException.class)
                .hasMessage("format half left the JSON of event 1.000:7 with 2 objects or arrays open");
        assertThatThrownBy(() -> empty.encode(event)).hasMessage("format none left the JSON of event 1.000:7 empty");
    }

    @Test
    void theLaurelFormatThroughFormatJsonIsTheEncodersOutput() throws Exception {
        FormatJson laurel = new FormatJson(LaurelFormat.INSTANCE, "laurel");
        EventEncoder encoder = new EventEncoder();
        for (AuditEvent event : TestData.events(TestData.capture()).subList(0, 200)) {
            assertThat(laurel.encode(event)).isEqualTo(encoder.encode(event));
        }
    }
}
