package dev.laurel.plugins.translate;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.Value;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real capture through the production {@link LineParser}, record by record. The goal: on the
 * RAW capture (every line cut at the 0x1D byte) the translations equal what auditd's ENRICHED
 * format wrote for the same line, in LAUREL's order (ARCH, SYSCALL after the names).
 */
class TranslateParsedCaptureTest {

    private final LineParser parser = new LineParser();

    private Record parse(byte[] line, int length) {
        ParsedRecord p = parser.parse(line, 0, length);
        assertThat(p).as(parser.lastError()).isNotNull();
        return p.record();
    }

    private static void enrich(Enricher e, ParsedRecord p) {
        AuditEvent event = new AuditEvent(p.id(), p.node());
        event.records().add(p.record());
        e.enrich(event);
    }

    private static Map<String, String> upperCaseFields(Record r, int from) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = from; i < r.size(); i++) {
            if (Character.isUpperCase(r.name(i).charAt(0))) {
                Value v = r.value(i);
                String s = v instanceof Value.Text t ? t.asString() : ((Value.Token) v).rawString();
                fields.put(r.name(i), s.replace("{ ", "{").replace(" }", "}"));
            }
        }
        return fields;
    }

    @Test
    void rawLinesGetTheTranslationsAuditdWroteForThem() throws Exception {
        Enricher e = TranslateTest.translate(new TestConfig());
        int translated = 0;
        for (byte[] line : RealLines.lines()) {
            int cut = indexOf(line, (byte) 0x1d);
            Map<String, String> expected = cut < 0 ? Map.of()
                    : upperCaseFields(parse(line, line.length), parse(line, line.length).enrichedFrom());
            Map<String, String> ordered = new LinkedHashMap<>(expected);
            for (String last : List.of("ARCH", "SYSCALL")) {     // LAUREL's places: after the names
                String v = ordered.remove(last);
                if (v != null) {
                    ordered.put(last, v);
                }
            }
            ParsedRecord raw = parser.parse(line, 0, cut < 0 ? line.length : cut);
            enrich(e, raw);

            assertThat(upperCaseFields(raw.record(), 0)).as(new String(line, StandardCharsets.UTF_8))
                    .containsExactlyEntriesOf(ordered);
            translated += ordered.isEmpty() ? 0 : 1;
        }
        assertThat(translated).isEqualTo(1600);
    }

    @Test
    void enrichedLinesKeepOneOfEachTranslationWithOurValues() throws Exception {
        Enricher e = TranslateTest.translate(new TestConfig());
        int checked = 0;
        for (byte[] line : RealLines.lines()) {
            if (indexOf(line, (byte) 0x1d) < 0) {
                continue;
            }
            ParsedRecord p = parser.parse(line, 0, line.length);
            enrich(e, p);

            Record r = p.record();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < r.size(); i++) {
                assertThat(seen.add(r.name(i))).as("duplicate %s in %s", r.name(i), r).isTrue();
                if (Character.isUpperCase(r.name(i).charAt(0))) {
                    assertThat(r.value(i)).as(r.name(i)).isInstanceOf(Value.Text.class);
                }
            }
            checked++;
        }
        assertThat(checked).isEqualTo(1600);
    }

    private static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
