package dev.laurel.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.EventJson;
import dev.laurel.api.Format;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.JsonFragment;
import dev.laurel.api.internal.RecordFieldsJson;
import dev.laurel.api.internal.Records;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
    void aStringIsWrittenAsItsOwnTextWhateverCameAfterTheSameKeyBefore() throws Exception {
        List<String> values = List.of("success", "failure", new String("success".toCharArray()), "é\"", "x".repeat(70), "success");
        int[] next = {0};
        FormatJson json = new FormatJson((event, out) -> {
            out.startObject();
            out.key("outcome");
            out.string(values.get(next[0] % values.size()));
            out.key("list");
            out.startArray();
            out.string(values.get((next[0] + 1) % values.size()));
            out.string(values.get((next[0] + 2) % values.size()));
            out.endArray();
            out.endObject();
            next[0]++;
        }, "values");
        AuditEvent event = new AuditEvent(new EventId(1, 0, 1), null);
        for (int i = 0; i < 3 * values.size(); i++) {
            JsonNode read = JSON.readTree(json.encode(event));
            assertThat(read.get("outcome").asText()).as("event %d", i).isEqualTo(values.get(i % values.size()));
            assertThat(read.get("list").get(0).asText()).isEqualTo(values.get((i + 1) % values.size()));
            assertThat(read.get("list").get(1).asText()).isEqualTo(values.get((i + 2) % values.size()));
        }
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
    void aFragmentWritesWhatItsCallsWriteWhereverItComesAndEveryTime() throws Exception {
        // a member list opening an object, one closing it, one of values only, one writing nothing
        JsonFragment open = JsonFragment.of(o -> {
            o.key("event");
            o.startObject();
            o.key("kind");
            o.string("event");
            o.key("odd\"key");
            o.string(new byte[] {'a', '"', 0x01, (byte) 0xff}, 0, 4);
        });
        JsonFragment close = JsonFragment.of(o -> {
            o.key("n");
            o.number(-42);
            o.endObject();
        });
        JsonFragment values = JsonFragment.of(o -> {
            o.string("x");
            o.bool(true);
            o.nullValue();
        });
        JsonFragment nothing = JsonFragment.of(o -> { });
        List<JsonFragment> fragments = List.of(open, close, values, nothing);
        Format withFragments = (event, out) -> write(out, fragments, true);
        Format byCalls = (event, out) -> write(out, fragments, false);
        AuditEvent event = new AuditEvent(new EventId(1, 0, 1), null);
        String expected = new String(new FormatJson(byCalls, "calls").encode(event), StandardCharsets.UTF_8);
        FormatJson json = new FormatJson(withFragments, "fragments");
        for (int i = 0; i < 3; i++) {    // the first time the calls are made, then the bytes kept are copied
            assertThat(new String(json.encode(event), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
        assertThat(JSON.readTree(expected).path("b").path("event").path("n").asInt()).isEqualTo(-42);
        assertThat(JSON.readTree(expected).path("d").path("event").path("kind").asText()).isEqualTo("event");
        assertThat(new String(new FormatJson(withFragments, "another").encode(event), StandardCharsets.UTF_8))
                .as("a fragment's bytes kept by one writer, used by another").isEqualTo(expected);
    }

    /** {"a":1,"b":{FRAGMENT open, FRAGMENT close},"c":[FRAGMENT values, FRAGMENT values],"d":{...}} */
    private static void write(EventJson out, List<JsonFragment> f, boolean asFragments) {
        out.startObject();
        out.key("a");
        out.number(1);
        out.key("b");
        out.startObject();
        emit(out, f.get(0), asFragments);    // first in an object: no comma; leaves "event" open
        emit(out, f.get(3), asFragments);
        emit(out, f.get(1), asFragments);    // after a value: a comma before its key; closes "event"
        out.endObject();
        out.key("c");
        out.startArray();
        emit(out, f.get(2), asFragments);    // first in an array: no comma
        emit(out, f.get(2), asFragments);    // after a value: a comma
        out.endArray();
        out.key("d");
        out.startObject();
        emit(out, f.get(3), asFragments);
        out.key("e");
        out.startObject();
        out.endObject();
        emit(out, f.get(0), asFragments);    // after an object closed: a comma
        emit(out, f.get(1), asFragments);
        out.endObject();
        out.endObject();
    }

    private static void emit(EventJson out, JsonFragment f, boolean asFragment) {
        if (asFragment) {
            f.writeTo(out);
        } else {
            f.replay(out);
        }
    }

    @Test
    void theLaurelFormatThroughFormatJsonIsTheEncodersOutput() throws Exception {
        FormatJson laurel = new FormatJson(LaurelFormat.INSTANCE, "laurel");
        EventEncoder encoder = new EventEncoder();
        for (AuditEvent event : TestData.events(TestData.capture()).subList(0, 200)) {
            assertThat(laurel.encode(event)).isEqualTo(encoder.encode(event));
        }
    }

    @Test
    void fieldsWritesEachRecordAsKeyAndFieldValuePerFieldWould() throws Exception {
        List<AuditEvent> events = new ArrayList<>(TestData.events(TestData.capture()));
        events.add(eventWithSeventyFields());
        for (boolean ownKeys : new boolean[] {false, true}) {
            FormatJson inOneCall = new FormatJson(recordFields(ownKeys, false), "fields");
            FormatJson fieldByField = new FormatJson(recordFields(ownKeys, true), "fields by field");
            int pastMask = 0;
            for (AuditEvent event : events) {
                String expected = new String(fieldByField.encode(event), StandardCharsets.UTF_8);
                String actual = new String(inOneCall.encode(event), StandardCharsets.UTF_8);
                if (!actual.equals(expected)) {
                    assertThat(actual).as("%s, own keys %s", event.id(), ownKeys).isEqualTo(expected);
                }
                pastMask += expected.contains("k69\":") ? 1 : 0;
            }
            assertThat(pastMask).as("events with field 69, past the mask, written").isEqualTo(1);
        }
    }

    /**
     * Every record as an object of its fields but every third one (the mask), under keys of the
     * format's own ({@code ownKeys}: the same array for every record of a layout, as the ecs
     * format has them) or the fields' names, through {@link RecordFieldsJson#write}: in one call,
     * or ({@code fieldByField}) through a writer without the call, which writes key and
     * fieldValue per field.
     */
    private static Format recordFields(boolean ownKeys, boolean fieldByField) {
        Map<List<String>, String[]> keysByLayout = new HashMap<>();
        return (event, out) -> {
            EventJson to = fieldByField ? withoutRecordFields(out) : out;
            out.startObject();
            out.key("records");
            out.startArray();
            for (Record r : event.records()) {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < r.size(); i++) {
                    names.add(r.name(i));
                }
                String[] keys = !ownKeys ? null : keysByLayout.computeIfAbsent(names,
                        n -> n.stream().map(name -> "k_" + name.toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new));
                out.startObject();
                RecordFieldsJson.write(to, r, keys, 0x4924_9249_2492_4924L);
                out.endObject();
            }
            out.endArray();
            out.endObject();
        };
    }

    /** {@code out} as an EventJson alone, as a writer of another project would be. */
    private static EventJson withoutRecordFields(EventJson out) {
        return (EventJson) Proxy.newProxyInstance(EventJson.class.getClassLoader(), new Class<?>[] {EventJson.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(out, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A record of 70 fields {@code k0=0 .. k69=69}: more than a mask of skipped fields holds. */
    private static AuditEvent eventWithSeventyFields() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            text.append(i == 0 ? "" : " ").append('k').append(i).append('=').append(i);
        }
        byte[] line = text.toString().getBytes(StandardCharsets.US_ASCII);
        Record r = Records.create(RecordType.PATH, line, 70);
        int at = 0;
        for (int i = 0; i < 70; i++) {
            String name = ("k" + i).intern();
            int value = at + name.length() + 1;
            int length = Integer.toString(i).length();
            Records.addToken(r, name, value, length, Encoding.BARE);
            at = value + length + 1;
        }
        AuditEvent event = new AuditEvent(new EventId(1, 0, 70), null);
        event.records().add(r);
        return event;
    }
}
