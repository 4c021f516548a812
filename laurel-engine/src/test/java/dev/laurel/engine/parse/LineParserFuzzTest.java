package dev.laurel.engine.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.laurel.api.Record;
import dev.laurel.api.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer target for {@link LineParser}. In every build it runs as a regression test over the
 * committed inputs in {@code LineParserFuzzTestInputs/parseKeepsEveryFieldInsideTheLine/};
 * {@code JAZZER_FUZZ=1 mvn -o -pl laurel-engine -am test -Dtest=LineParserFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false} fuzzes for real (5 minutes; findings land in that
 * directory as {@code crash-*}: name them and commit them as regression inputs).
 */
class LineParserFuzzTest {
    private final LineParser parser = new LineParser();
    private final AuditLineWriter writer = new AuditLineWriter();

    @FuzzTest(maxDuration = "5m")
    void parseKeepsEveryFieldInsideTheLine(byte[] data) {
        // parse a slice, so that reading outside [offset, offset+length) would be caught
        byte[] padded = new byte[data.length + 2];
        padded[0] = 'X';
        System.arraycopy(data, 0, padded, 1, data.length);
        padded[padded.length - 1] = 'Y';
        ParsedRecord p = parser.parse(padded, 1, data.length);
        if (p == null) {
            assertThat(parser.lastError()).isNotNull();
            return;
        }
        Record r = p.record();
        byte[] line = r.line();
        assertThat(line.length).isLessThanOrEqualTo(data.length);
        assertThat(r.enrichedFrom()).isBetween(0, r.size());
        for (int i = 0; i < r.size(); i++) {
            assertThat(r.name(i)).isNotEmpty();
            Value.Token t = (Value.Token) r.value(i);
            assertThat(t.bytes()).isSameAs(line);
            assertThat(t.offset()).isBetween(0, line.length);
            assertThat(t.length()).isBetween(0, line.length - t.offset());
            t.decoded();   // must not throw either
        }
        // what was parsed can be written and parsed again into the same record
        byte[] again = writer.write(p);
        ParsedRecord q = parser.parse(again, 0, again.length);
        assertThat(q).as("%s", parser.lastError()).isNotNull();
        assertThat(ParsedRecords.difference(p, q)).isNull();
    }
}
