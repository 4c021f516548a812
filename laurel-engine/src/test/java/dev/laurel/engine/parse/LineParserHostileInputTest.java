package dev.laurel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.laurel.api.Record;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Values an attacker controls cannot add fields, however they are quoted. */
class LineParserHostileInputTest {
    private final LineParser parser = new LineParser();

    private Record parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        ParsedRecord p = parser.parse(b, 0, b.length);
        assertThat(p).as("%s", parser.lastError()).isNotNull();
        return p.record();
    }

    private static String names(Record r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.size(); i++) {
            sb.append(i == r.enrichedFrom() ? "|" : " ").append(r.name(i));
        }
        return sb.toString().trim();
    }

    @Test
    void aSeparatorInsideAQuotedValueDoesNotStartTheEnrichedFields() {
        Record r = parse("type=EXECVE msg=audit(1.000:1): argc=2 a0=\"cat\" a1=\"x\u001dUID=root\u001dtype=EOE\"");
        assertThat(names(r)).isEqualTo("argc a0 a1");
        assertThat(new String(r.decoded("a1"), StandardCharsets.ISO_8859_1)).isEqualTo("x\u001dUID=root\u001dtype=EOE");
    }

    @Test
    void theSeparatorAfterAQuotedValueHoldingOneStillStartsThem() {
        Record r = parse("type=USER_CMD msg=audit(1.000:1): pid=1 msg='cmd=\"a\u001dB=1\" res=success'\u001dUID=\"root\"");
        assertThat(names(r)).isEqualTo("pid msg|UID");
    }

    @Test
    void withAnUnclosedQuoteTheFirstSeparatorCounts() {
        Record r = parse("type=PATH msg=audit(1.000:1): item=0 name=\"/tmp/x\u001dOUID=root");
        assertThat(names(r)).isEqualTo("item name|OUID");
        assertThat(parser.lastWarning()).contains("unclosed quote");
    }

    @Test
    void aQuoteInsideABracedValueDoesNotHideTheSeparatorsMeaning() {
        // found by AuditLineWriterTest (seed 16078366370666): braces holding =' made the search
        // for the separator see a quote the value parser does not
        Record r = parse("type=AVC msg=audit(1.000:1): avc:  denied  { a='b } for  uid={ c ='d } "
                + "x=\"e\u001df\"\u001dUID=\"root\"");
        assertThat(names(r)).isEqualTo("denied uid x|UID");
        assertThat(new String(r.decoded("x"), StandardCharsets.ISO_8859_1)).isEqualTo("e\u001df");
    }

    @Test
    void withAnUnclosedQuoteTheFirstSeparatorCountsEvenInsideAnEarlierQuotedValue() {
        // the one pass meets the unclosed quote after the quoted 0x1D; the line is parsed as the
        // two-pass search always did it: the body ends at that first 0x1D, and b's quote does
        // not close in the ENRICHED fields either
        Record r = parse("type=USER_CMD msg=audit(1.000:1): a=\"x\u001dY=1\" b=\"open\u001dUID=root");
        assertThat(names(r)).isEqualTo("a|Y b");
        assertThat(new String(r.decoded("b"), StandardCharsets.ISO_8859_1)).isEqualTo("\"open\u001dUID=root");
        assertThat(parser.lastWarning()).contains("unclosed quote");
        assertThat(parser.warnings()).isEqualTo(2);
    }

    @Test
    void aValueWithoutANameIsSkippedWholeInTheSearchForTheSeparator() {
        // "=" with no name: the search skips its quoted value (and the 0x1D in it), the fields
        // then see the words "=\"a" and "b\u001dc\""
        Record r = parse("type=USER_CMD msg=audit(1.000:1): =\"a b\u001dc\" pid=1\u001dUID=root");
        assertThat(names(r)).isEqualTo("=\"a b\u001dc\" pid|UID");
    }
}
