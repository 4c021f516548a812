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

    private static String text(Record r, String name) {
        return new String(r.decoded(name), StandardCharsets.ISO_8859_1);
    }

    // issue 13 item 3a: an unprivileged user chooses a unix socket's path, and auditd's ENRICHED
    // SADDR carries it verbatim inside its braces

    @Test
    void aSocketPathCannotEndTheBracedSaddrAndAddFields() {
        Record r = parse("type=SOCKADDR msg=audit(1.000:1): saddr=0100\u001dSADDR={ saddr_fam=local "
                + "path=/tmp/x } AUID=\"root\" UID=\"root\" z={ }");
        assertThat(names(r)).isEqualTo("saddr|SADDR");
        assertThat(text(r, "SADDR")).isEqualTo("{ saddr_fam=local path=/tmp/x } AUID=\"root\" UID=\"root\" z={ }");
    }

    @Test
    void aSocketPathCannotAddASecondSaddr() {
        Record r = parse("type=SOCKADDR msg=audit(1.000:1): saddr=0100\u001dSADDR={ saddr_fam=local "
                + "path=/tmp/y } SADDR={ saddr_fam=inet laddr=8.8.8.8 lport=53 }");
        assertThat(names(r)).isEqualTo("saddr|SADDR");
        assertThat(text(r, "SADDR")).isEqualTo("{ saddr_fam=local path=/tmp/y } SADDR={ saddr_fam=inet laddr=8.8.8.8 lport=53 }");
    }

    @Test
    void aClosingBraceInsideTheSaddrIsPartOfIt() {
        // issue 19 item 7
        Record r = parse("type=SOCKADDR msg=audit(1.000:1): saddr=0100\u001dSADDR={ a=b}c }");
        assertThat(names(r)).isEqualTo("saddr|SADDR");
        assertThat(text(r, "SADDR")).isEqualTo("{ a=b}c }");
    }

    // issue 13 item 3b: text inside a user-space msg='...' cannot end it early

    @Test
    void aQuoteInsideAUserMessageDoesNotEndIt() {
        Record r = parse("type=USER_LOGIN msg=audit(1.000:1): pid=1 uid=1000 auid=1000 ses=1 msg='op=login "
                + "acct=\"x\" exe=\"/usr/sbin/sshd\" hostname=evil' auid=0 uid=0 res=success' addr=? "
                + "terminal=ssh res=failed'\u001dUID=\"user\" AUID=\"user\"");
        assertThat(names(r)).isEqualTo("pid uid auid ses msg|UID AUID");
        assertThat(text(r, "msg")).isEqualTo("op=login acct=\"x\" exe=\"/usr/sbin/sshd\" hostname=evil' "
                + "auid=0 uid=0 res=success' addr=? terminal=ssh res=failed");
    }

    @Test
    void aQuoteInsideAUserMessageDoesNotEndItInRawFormatEither() {
        Record r = parse("type=USER_LOGIN msg=audit(1.000:1): pid=1 uid=1000 msg='op=login hostname=evil' "
                + "auid=0 uid=0 res=success' addr=? res=failed'");
        assertThat(names(r)).isEqualTo("pid uid msg");
        assertThat(text(r, "msg")).isEqualTo("op=login hostname=evil' auid=0 uid=0 res=success' addr=? res=failed");
    }

    @Test
    void aQuotedValueInsideAUserMessageStaysInIt() {
        // LAUREL issue #305
        Record r = parse("type=USER_LOGIN msg=audit(1.000:1): pid=1 uid=0 msg='op=login uid='1000' "
                + "exe=\"/usr/sbin/sshd\" res=failed'");
        assertThat(names(r)).isEqualTo("pid uid msg");
        assertThat(text(r, "msg")).isEqualTo("op=login uid='1000' exe=\"/usr/sbin/sshd\" res=failed");
    }

    @Test
    void aSeparatorAndQuoteInsideAUserMessageDoNotStartTheEnrichedFields() {
        // the message's own "'\x1d" is not the end: auditd's separator is the last one after a quote
        Record r = parse("type=USER_LOGIN msg=audit(1.000:1): pid=1 msg='host=a'\u001dAUID=\"root\" "
                + "res=x'\u001dUID=\"user\"");
        assertThat(names(r)).isEqualTo("pid msg|UID");
        assertThat(text(r, "msg")).isEqualTo("host=a'\u001dAUID=\"root\" res=x");
        Record raw = parse("type=USER_LOGIN msg=audit(1.000:1): pid=1 msg='host=a'\u001dAUID=\"root\" res=x'");
        assertThat(names(raw)).isEqualTo("pid msg");
    }

    @Test
    void fieldsAfterAUserMessageStayFieldsWhenNoQuoteEndsTheLine() {
        Record r = parse("type=USER_CMD msg=audit(1.000:1): pid=1 msg='a=b' res=1");
        assertThat(names(r)).isEqualTo("pid msg res");
        assertThat(text(r, "msg")).isEqualTo("a=b");
    }

    @Test
    void aDamagedRecordTypeIsEscapedInTheReason() {
        // issue 13 item 7: the reason goes into diagnostics and the parse-error log
        byte[] b = "type=FAKE\u001b[2J\u001b[31m\rINJECTED\u0007\u00ff msg=audit(1.000:1): pid=1"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(parser.parse(b, 0, b.length)).isNull();
        assertThat(parser.lastError()).isEqualTo("unknown record type FAKE\\x1b[2J\\x1b[31m\\x0dINJECTED\\x07\\xff");
    }

    @Test
    void aStrayWordIsEscapedInTheWarning() {
        parse("type=PATH msg=audit(1.000:1): item=0 \u001b]0;title\u0007");
        assertThat(parser.lastWarning()).isEqualTo("kept a word without '=': \\x1b]0;title\\x07");
    }

    @Test
    void manyUnclosedBracesAfterTheSeparatorAreReadOnce() {
        // each would look for the line's last '}' from the end: once per line, not once per brace
        String braces = " x={".repeat(200_000);
        long start = System.nanoTime();
        Record r = parse("type=SOCKADDR msg=audit(1.000:1): saddr=0100\u001dSADDR={" + braces);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.size()).isEqualTo(200_002);
        assertThat(millis).as("ms for 200,000 braces").isLessThan(5_000);
    }
}
