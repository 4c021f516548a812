package dev.laurel.engine.parse;

import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineParserTest {
    private final LineParser parser = new LineParser();

    private ParsedRecord parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return parser.parse(b, 0, b.length);
    }

    private static String text(Value v) {
        Value.Token t = (Value.Token) v;
        return new String(t.decoded(), StandardCharsets.UTF_8);
    }

    private static Value.Token token(Record r, String name) {
        Value v = r.get(name);
        assertThat(v).as(name).isInstanceOf(Value.Token.class);
        return (Value.Token) v;
    }

    private static void assertField(Record r, String name, Encoding encoding, String raw) {
        Value.Token t = token(r, name);
        assertThat(t.encoding()).as(name).isEqualTo(encoding);
        assertThat(t.rawString()).as(name).isEqualTo(raw);
    }

    private static ParsedRecord parseWith(LineParser parser, String line) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        return parser.parse(b, 0, b.length);
    }

    @Test
    void linesOfOneHeaderShareTheIdAndAnyOtherHeaderIsReadAfresh() {
        LineParser parser = new LineParser();
        ParsedRecord a = parseWith(parser, "type=SYSCALL msg=audit(100.001:7): pid=1");
        ParsedRecord b = parseWith(parser, "type=CWD msg=audit(100.001:7): cwd=\"/\"");
        ParsedRecord c = parseWith(parser, "type=PATH msg=audit(100.001:70): item=0");
        ParsedRecord d = parseWith(parser, "type=PATH msg=audit(100.001:7):");
        ParsedRecord e = parseWith(parser, "type=PATH msg=audit(100.001:7)");
        String error = parser.lastError();
        ParsedRecord f = parseWith(parser, "type=PATH msg=audit(100.001:7): item=1");
        ParsedRecord g = parseWith(parser, "type=EOE msg=audit(100.001:0007):");
        assertThat(b.id()).isSameAs(a.id());
        assertThat(c.id()).isEqualTo(new EventId(100, 1, 70));
        assertThat(d.id()).isEqualTo(new EventId(100, 1, 7)).isNotSameAs(c.id());
        assertThat(d.record().size()).isZero();
        assertThat(e).isNull();
        assertThat(error).isEqualTo("bad serial in msg=audit(");
        assertThat(f.id()).isSameAs(d.id());
        assertThat(f.record().getLong("item", -1)).isEqualTo(1);
        assertThat(g.id()).isSameAs(d.id());   // the same numbers written otherwise: the same id
    }

    @Test
    void parsesEveryLineOfTheRealCaptureWithoutWarnings() {
        List<byte[]> lines = ParsedRecords.lines(TestData.file("real-enriched.log"));
        assertThat(lines).hasSize(5199);
        int enriched = 0;
        int withTail = 0;
        for (byte[] line : lines) {
            if (indexOf(line, (byte) 0x1d) >= 0) {
                withTail++;
            }
            ParsedRecord r = parser.parse(line, 0, line.length);
            assertThat(r).as("%s: %s", parser.lastError(), new String(line, StandardCharsets.ISO_8859_1)).isNotNull();
            assertThat(parser.lastWarning()).as(new String(line, StandardCharsets.ISO_8859_1)).isNull();
            if (r.record().enrichedFrom() < r.record().size()) {
                enriched++;
            }
        }
        assertThat(parser.warnings()).isZero();
        assertThat(enriched).isEqualTo(withTail).isGreaterThan(1000);
    }

    @Test
    void parsesEveryLineOfLaurelsFixtures() {
        int parsed = 0;
        for (Path file : ParsedRecords.fixtureFiles()) {
            for (byte[] line : ParsedRecords.lines(file)) {
                ParsedRecord r = parser.parse(line, 0, line.length);
                if (line.length == 0 || line[0] == '#') {
                    // the fixtures' comments and blank lines between events: not records
                    assertThat(r).isNull();
                    assertThat(parser.lastError()).isEqualTo("no type= at column 0");
                    continue;
                }
                assertThat(r).as("%s in %s: %s", parser.lastError(), file.getFileName(),
                        new String(line, StandardCharsets.ISO_8859_1)).isNotNull();
                parsed++;
            }
        }
        assertThat(parsed).isGreaterThan(500);
        assertThat(parser.warnings()).isZero();
    }

    @Test
    void rejectsABlankLineWithAReason() {
        assertThat(parse("")).isNull();
        assertThat(parser.lastError()).contains("type=");
        assertThat(parse("   ")).isNull();
    }

    @Test
    void parsesSyscallWithEnrichedTail() {
        ParsedRecord p = parse("type=SYSCALL msg=audit(1795636821.179:40): arch=c000003e syscall=44 success=yes "
                + "exit=60 a0=3 a1=7ffc06f9fe50 a2=3c a3=0 items=0 ppid=2783 pid=2800 auid=4294967295 uid=0 "
                + "tty=(none) ses=4294967295 comm=\"auditd\" exe=\"/usr/sbin/auditd\" key=(null)"
                + "\u001dARCH=x86_64 SYSCALL=sendto AUID=\"unset\" UID=\"root\"");
        assertThat(p.node()).isNull();
        assertThat(p.id()).isEqualTo(new EventId(1795636821L, 179, 40));
        Record r = p.record();
        assertThat(r.type()).isSameAs(RecordType.SYSCALL);
        assertThat(r.size()).isEqualTo(22);
        assertThat(r.enrichedFrom()).isEqualTo(18);
        assertThat(r.name(0)).isEqualTo("arch");
        assertField(r, "arch", Encoding.BARE, "c000003e");
        assertField(r, "a1", Encoding.BARE, "7ffc06f9fe50");   // HEX kind in SYSCALL: not a string
        assertField(r, "a2", Encoding.BARE, "3c");
        assertField(r, "tty", Encoding.BARE, "(none)");
        assertField(r, "comm", Encoding.DOUBLE_QUOTED, "auditd");
        assertField(r, "key", Encoding.NULL, "(null)");
        assertThat(r.name(18)).isEqualTo("ARCH");
        assertField(r, "ARCH", Encoding.BARE, "x86_64");
        assertField(r, "SYSCALL", Encoding.BARE, "sendto");
        assertField(r, "AUID", Encoding.DOUBLE_QUOTED, "unset");
        assertThat(r.getLong("pid", -1)).isEqualTo(2800);
        assertThat(r.getLong("auid", -1)).isEqualTo(4294967295L);
    }

    @Test
    void namesAreInternedAndValuesShareTheLine() {
        ParsedRecord p = parse("type=CWD msg=audit(1.000:1): cwd=\"/tmp\"");
        Record r = p.record();
        assertThat(r.name(0)).isSameAs("cwd");
        Value.Token t = token(r, "cwd");
        assertThat(t.bytes()).isSameAs(r.line());
        assertThat(new String(r.line(), StandardCharsets.US_ASCII)).isEqualTo("type=CWD msg=audit(1.000:1): cwd=\"/tmp\"");
        ParsedRecord q = parse("type=CWD msg=audit(1.000:2): cwd=\"/\"");
        assertThat(q.record().name(0)).isSameAs(r.name(0));
    }

    @Test
    void decodesHexArgumentOfExecve() {
        Record r = parse("type=EXECVE msg=audit(1626611363.720:348501): argc=3 a0=\"perl\" a1=\"-e\" "
                + "a2=75736520536F636B65743B").record();
        assertThat(r.type()).isSameAs(RecordType.EXECVE);
        assertField(r, "argc", Encoding.BARE, "3");
        assertField(r, "a0", Encoding.DOUBLE_QUOTED, "perl");
        assertField(r, "a2", Encoding.HEX, "75736520536F636B65743B");
        assertThat(text(r.get("a2"))).isEqualTo("use Socket;");
    }

    @Test
    void keepsExecveContinuationKeysAsFields() {
        Record r = parse("type=EXECVE msg=audit(1615150974.493:21028): argc=2 a0=\"/bin/echo\" a1_len=16384 "
                + "a1[0]=6261").record();
        assertThat(r.size()).isEqualTo(4);
        assertField(r, "a1_len", Encoding.BARE, "16384");
        assertField(r, "a1[0]", Encoding.HEX, "6261");
        Record next = parse("type=EXECVE msg=audit(1615150974.493:21028):  a1[1]=6461").record();
        assertThat(next.name(0)).isEqualTo("a1[1]");
        // an argument length is a number even when it looks like hex
        Record even = parse("type=EXECVE msg=audit(1.000:1): argc=2 a1_len=1024").record();
        assertField(even, "a1_len", Encoding.BARE, "1024");
    }

    @Test
    void decodesHexProctitle() {
        Record r = parse("type=PROCTITLE msg=audit(1795636821.179:40): proctitle=617564697464002D66002D6E").record();
        assertField(r, "proctitle", Encoding.HEX, "617564697464002D66002D6E");
        assertThat(token(r, "proctitle").decoded()).isEqualTo("auditd\0-f\0-n".getBytes(StandardCharsets.US_ASCII));
        Record quoted = parse("node=work type=PROCTITLE msg=audit(1615114232.375:15558): proctitle=\"whoami\"").record();
        assertField(quoted, "proctitle", Encoding.DOUBLE_QUOTED, "whoami");
    }

    @Test
    void keepsBracedSaddrOfTheEnrichedTailWhole() {
        Record r = parse("type=SOCKADDR msg=audit(1795636823.283:87): saddr=020000350AFFFF350000000000000000"
                + "\u001dSADDR={ saddr_fam=inet laddr=10.255.255.53 lport=53 }").record();
        assertThat(r.size()).isEqualTo(2);
        assertThat(r.enrichedFrom()).isEqualTo(1);
        assertField(r, "saddr", Encoding.HEX, "020000350AFFFF350000000000000000");
        assertField(r, "SADDR", Encoding.BRACED, "{ saddr_fam=inet laddr=10.255.255.53 lport=53 }");
    }

    @Test
    void keepsUserSpaceMessageAsOneField() {
        Record r = parse("type=USER_START msg=audit(1795636828.143:799): pid=3758 uid=0 auid=1001 ses=1 "
                + "msg='op=PAM:session_open grantors=pam_keyinit,pam_limits,pam_unix acct=\"audtest\" "
                + "exe=\"/usr/sbin/runuser\" hostname=? addr=? terminal=? res=success'"
                + "\u001dUID=\"root\" AUID=\"audtest\"").record();
        assertThat(r.type()).isSameAs(RecordType.named("USER_START"));
        assertThat(r.size()).isEqualTo(7);
        assertField(r, "msg", Encoding.SINGLE_QUOTED, "op=PAM:session_open grantors=pam_keyinit,pam_limits,"
                + "pam_unix acct=\"audtest\" exe=\"/usr/sbin/runuser\" hostname=? addr=? terminal=? res=success");
        assertThat(r.name(5)).isEqualTo("UID");
        assertThat(r.enrichedFrom()).isEqualTo(5);
    }

    @Test
    void parsesDaemonStart() {
        ParsedRecord p = parse("type=DAEMON_START msg=audit(1795636821.180:1058): op=start ver=3.0.9 "
                + "format=enriched kernel=6.18.44-fc-v782 auid=4294967295 pid=2800 uid=0 ses=4294967295 "
                + "res=success\u001dAUID=\"unset\" UID=\"root\"");
        Record r = p.record();
        assertThat(r.type().code()).isEqualTo(1200);
        assertThat(p.id()).isEqualTo(new EventId(1795636821L, 180, 1058));
        assertField(r, "op", Encoding.BARE, "start");
        assertField(r, "ver", Encoding.BARE, "3.0.9");
        assertField(r, "kernel", Encoding.BARE, "6.18.44-fc-v782");
        assertField(r, "res", Encoding.BARE, "success");
        assertThat(r.size()).isEqualTo(11);
    }

    @Test
    void parsesPathWithCapabilityFields() {
        Record r = parse("type=PATH msg=audit(1795636823.179:42): item=0 name=\"/usr/bin/\" inode=260075 dev=fe:00 "
                + "mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 "
                + "cap_frootid=0\u001dOUID=\"root\" OGID=\"root\"").record();
        assertThat(r.type()).isSameAs(RecordType.PATH);
        assertField(r, "mode", Encoding.BARE, "040755");       // OCT kind: never hex
        assertField(r, "dev", Encoding.BARE, "fe:00");
        assertField(r, "rdev", Encoding.BARE, "00:00");
        assertField(r, "cap_fp", Encoding.BARE, "0");
        assertField(r, "cap_frootid", Encoding.BARE, "0");    // one digit: odd, so not hex
        assertField(r, "nametype", Encoding.BARE, "PARENT");
        assertThat(r.size()).isEqualTo(16);
        Record fixture = parse("type=PATH msg=audit(1615150974.493:21028): item=0 name=\"/bin/echo\" "
                + "cap_fp=0000000000000000 cap_fi=0000000000000000 cap_fe=0 cap_fver=0").record();
        assertField(fixture, "cap_fp", Encoding.BARE, "0000000000000000");   // HEX kind: a number
    }

    @Test
    void namesUnknownTypesByNumber() {
        Record r = parse("type=UNKNOWN[1420] msg=audit(1661853391.646:4486226): subj_apparmor=unconfined").record();
        assertThat(r.type()).isSameAs(RecordType.of(1420));
        assertThat(r.type().code()).isEqualTo(1420);
        assertField(r, "subj_apparmor", Encoding.BARE, "unconfined");
        Record known = parse("type=UNKNOWN[1336] msg=audit(1.000:1): uring_op=18").record();
        assertThat(known.type()).isSameAs(RecordType.named("URINGOP"));
        assertThat(parse("type=UNKNOWN[65535] msg=audit(1.000:1):").record().type().code()).isEqualTo(65535);
    }

    @Test
    void reportsAnUnknownTypeName() {
        assertThat(parse("type=NO_SUCH_TYPE msg=audit(1.000:1): a=1")).isNull();
        assertThat(parser.lastError()).isEqualTo("unknown record type NO_SUCH_TYPE");
    }

    @Test
    void parsesNodePrefix() {
        ParsedRecord p = parse("node=work type=EXECVE msg=audit(1615114232.375:15558): argc=1 a0=\"whoami\"");
        assertThat(p.node()).isEqualTo("work");
        assertThat(p.record().size()).isEqualTo(2);
        ParsedRecord q = parse("node=work type=EOE msg=audit(1615114232.375:15558):");
        assertThat(q.node()).isSameAs(p.node());
        assertThat(q.record().type()).isSameAs(RecordType.EOE);
        assertThat(q.record().size()).isZero();
    }

    @Test
    void readsSpecialValues() {
        Record r = parse("type=CONFIG_CHANGE msg=audit(1.000:1): key=(null) subj=? op= res=1 hostname=?").record();
        assertField(r, "key", Encoding.NULL, "(null)");
        assertField(r, "subj", Encoding.UNSET, "?");
        assertField(r, "op", Encoding.EMPTY, "");
        assertField(r, "res", Encoding.BARE, "1");
        assertThat(token(r, "key").decoded()).isNull();
        assertThat(r.size()).isEqualTo(5);
    }

    @Test
    void toleratesCarriageReturnTrailingSpacesAndAnEmptyTail() {
        Record cr = parse("type=CWD msg=audit(1.000:1): cwd=\"/tmp\"\r").record();
        assertField(cr, "cwd", Encoding.DOUBLE_QUOTED, "/tmp");
        assertThat(cr.line()).hasSize(39).doesNotContain((byte) '\r');
        Record spaces = parse("type=EOE msg=audit(1640024915.264:4237): ").record();
        assertThat(spaces.size()).isZero();
        Record tail = parse("type=CWD msg=audit(1.000:1): cwd=\"/tmp\"\u001d").record();
        assertThat(tail.size()).isEqualTo(1);
        assertThat(tail.enrichedFrom()).isEqualTo(1);
        Record trailing = parse("type=CWD msg=audit(1.000:1): cwd=\"/tmp\"   \u001dX=y  ").record();
        assertThat(trailing.size()).isEqualTo(2);
        assertField(trailing, "X", Encoding.BARE, "y");
    }

    @Test
    void keepsDoubleQuotedStringsWithSpaces() {
        Record r = parse("type=AVC msg=audit(1634728455.294:53732): apparmor=\"STATUS\" operation=\"profile_replace\" "
                + "info=\"same as current profile, skipping\" profile=\"unconfined\" pid=3981295").record();
        assertField(r, "info", Encoding.DOUBLE_QUOTED, "same as current profile, skipping");
        assertField(r, "profile", Encoding.DOUBLE_QUOTED, "unconfined");
        assertThat(r.size()).isEqualTo(5);
    }

    @Test
    void turnsSelinuxPermissionsIntoAField() {
        Record r = parse("type=AVC msg=audit(1.000:1): avc:  denied  { read write } for  pid=1234 comm=\"x\" "
                + "path=\"/a b\" tclass=file permissive=1").record();
        assertThat(r.name(0)).isEqualTo("denied");
        assertField(r, "denied", Encoding.BRACED, "{ read write }");
        assertField(r, "pid", Encoding.BARE, "1234");
        assertField(r, "path", Encoding.DOUBLE_QUOTED, "/a b");
        assertThat(r.size()).isEqualTo(6);
        assertThat(parser.lastWarning()).isNull();
        Record granted = parse("type=AVC msg=audit(1.000:1): avc:  granted  { execute } for  pid=1").record();
        assertField(granted, "granted", Encoding.BRACED, "{ execute }");
        assertThat(granted.size()).isEqualTo(2);
    }

    @Test
    void keepsWordsWithoutValues() {
        Record netlabel = parse("type=MAC_STATUS msg=audit(1.000:4): netlabel: auid=4294967295 ses=1 unlbl_accept=1")
                .record();
        assertThat(netlabel.name(0)).isEqualTo("netlabel:");
        assertThat(token(netlabel, "netlabel:").encoding()).isEqualTo(Encoding.NULL);
        assertThat(token(netlabel, "netlabel:").length()).isZero();
        assertThat(netlabel.size()).isEqualTo(4);
        Record policy = parse("type=MAC_POLICY_LOAD msg=audit(1.000:3): policy loaded auid=4294967295 ses=4 res=1")
                .record();
        assertThat(policy.name(0)).isEqualTo("policy");
        assertThat(policy.name(1)).isEqualTo("loaded");
        assertThat(policy.size()).isEqualTo(5);
        assertThat(parser.lastWarning()).isNull();
        assertThat(parser.warnings()).isZero();
    }

    @Test
    void keepsAndReportsJunkBetweenFields() {
        Record r = parse("type=CONFIG_CHANGE msg=audit(1.000:5): pid=1 junk more=2 =x uid=0").record();
        assertThat(r.size()).isEqualTo(5);
        assertThat(r.name(1)).isEqualTo("junk");
        assertThat(r.name(3)).isEqualTo("=x");
        assertField(r, "uid", Encoding.BARE, "0");
        assertThat(parser.lastWarning()).isEqualTo("kept a word without '=': junk");
        assertThat(parser.warnings()).isEqualTo(2);
        Record unclosed = parse("type=CONFIG_CHANGE msg=audit(1.000:5): comm=\"abc def=1").record();
        assertField(unclosed, "comm", Encoding.BARE, "\"abc");
        assertField(unclosed, "def", Encoding.BARE, "1");
        assertThat(parser.lastWarning()).isEqualTo("unclosed quote in comm");
    }

    @Test
    void keepsOddValuesBare() {
        Record r = parse("type=SYSCALL msg=audit(1626611363.720:348501): subj==unconfined success=\"yes\" "
                + "cap_frootid=\"0\"").record();
        assertField(r, "subj", Encoding.BARE, "=unconfined");
        assertField(r, "success", Encoding.DOUBLE_QUOTED, "yes");
        assertField(r, "cap_frootid", Encoding.DOUBLE_QUOTED, "0");
    }

    @Test
    void rejectsMalformedHeaders() {
        List<String> bad = List.of(
                "type=SYSCALL",
                "type=SYSCALL msg=audit(",
                "type=SYSCALL msg=audit(1.00:1):",
                "type=SYSCALL msg=audit(1.000:):",
                "type=SYSCALL msg=audit(1.000:1)",
                "type=SYSCALL msg=audit(x.000:1):",
                "node= type=SYSCALL msg=audit(1.000:1):",
                "node=a",
                "type=UNKNOWN[] msg=audit(1.000:1):",
                "type=UNKNOWN[12a] msg=audit(1.000:1):",
                "type=UNKNOWN[65536] msg=audit(1.000:1):",
                "hello type=SYSCALL msg=audit(1.000:1):");
        List<String> accepted = new ArrayList<>();
        for (String line : bad) {
            if (parse(line) != null || parser.lastError() == null) {
                accepted.add(line);
            }
        }
        assertThat(accepted).isEmpty();
    }

    @Test
    void rawFormatGivesTheSameRecordsWithoutTheUpperCaseFields() {
        List<byte[]> lines = ParsedRecords.lines(TestData.file("real-enriched.log"));
        LineParser raw = new LineParser();
        int compared = 0;
        for (byte[] line : lines) {
            int gs = indexOf(line, (byte) 0x1d);
            ParsedRecord full = parser.parse(line, 0, line.length);
            ParsedRecord stripped = raw.parse(line, 0, gs < 0 ? line.length : gs);
            assertThat(stripped).isNotNull();
            Record f = full.record();
            Record s = stripped.record();
            assertThat(s.enrichedFrom()).isEqualTo(s.size());
            assertThat(s.size()).isEqualTo(f.enrichedFrom());
            for (int i = 0; i < s.size(); i++) {
                assertThat(s.name(i)).isEqualTo(f.name(i));
                assertThat(s.value(i)).isEqualTo(f.value(i));
            }
            for (int i = f.enrichedFrom(); i < f.size(); i++) {
                assertThat(f.name(i)).isUpperCase();
            }
            assertThat(stripped.id()).isEqualTo(full.id());
            compared++;
        }
        assertThat(compared).isEqualTo(5199);
    }

    @Test
    void neverReadsOutsideTheGivenRange() {
        byte[] b = "XXtype=CWD msg=audit(1.000:1): cwd=\"/tmp\"YY".getBytes(StandardCharsets.US_ASCII);
        ParsedRecord p = parser.parse(b, 2, b.length - 4);
        assertThat(p).isNotNull();
        assertField(p.record(), "cwd", Encoding.DOUBLE_QUOTED, "/tmp");
        assertThat(parser.parse(b, 40, 10)).isNull();
        assertThat(parser.parse(null, 0, 0)).isNull();
        assertThat(parser.parse(b, -1, 3)).isNull();
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void fieldsInAnotherOrderThanTheLineBeforeKeepTheirNames() {
        // The parser guesses each name from the previous line of the type; a wrong guess must cost
        // only time.
        parse("type=PATH msg=audit(1.001:1): item=0 name=\"/a\" inode=5 mode=0100644");
        Record r = parse("type=PATH msg=audit(1.001:2): name=\"/b\" item=1 mode=0100755 nametype=NORMAL inode=6").record();
        assertThat(r.size()).isEqualTo(5);
        assertField(r, "name", Encoding.DOUBLE_QUOTED, "/b");
        assertField(r, "item", Encoding.BARE, "1");
        assertField(r, "mode", Encoding.BARE, "0100755");
        assertField(r, "nametype", Encoding.BARE, "NORMAL");
        assertField(r, "inode", Encoding.BARE, "6");
        Record again = parse("type=PATH msg=audit(1.001:3): item=0 name=\"/a\" inode=5 mode=0100644").record();
        assertThat(again.name(0)).isEqualTo("item");
        assertThat(again.name(3)).isEqualTo("mode");
        assertThat(again.size()).isEqualTo(4);
        // a prefix of the guessed name is not the guessed name
        Record prefix = parse("type=PATH msg=audit(1.001:4): ite=0 nam=x").record();
        assertThat(prefix.name(0)).isEqualTo("ite");
        assertThat(prefix.name(1)).isEqualTo("nam");
    }
}
