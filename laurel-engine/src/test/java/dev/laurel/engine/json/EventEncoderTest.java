package dev.laurel.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;
import dev.laurel.engine.parse.FieldKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Events built by hand, written as LAUREL 0.5.1 writes them (each expected line was checked by
 * running LAUREL on the corresponding input). Field kinds come from a small table here, so these
 * tests do not depend on {@code FieldKinds}.
 */
class EventEncoderTest {
    private static final Set<String> DEC = Set.of("pid", "ppid", "uid", "gid", "euid", "suid", "fsuid",
            "egid", "sgid", "fsgid", "auid", "ses", "exit", "syscall", "items", "argc", "item", "inode",
            "ouid", "ogid", "res", "cap_fe", "ino", "permissive");
    private static final Set<String> HEX = Set.of("arch", "a0", "a1", "a2", "a3", "cap_fp", "cap_fi", "cap_fver");
    private static final Set<String> ENCODED = Set.of("comm", "exe", "name", "cwd", "proctitle", "key", "saddr");

    static FieldKind kind(RecordType type, String name) {
        if (DEC.contains(name)) {
            return FieldKind.DEC;
        }
        if (HEX.contains(name)) {
            return FieldKind.HEX;
        }
        if (name.equals("mode")) {
            return FieldKind.OCT;
        }
        return ENCODED.contains(name) ? FieldKind.ENCODED : FieldKind.TEXT;
    }

    private final EventEncoder encoder = new EventEncoder(EventEncoderTest::kind);

    private static Value.Token tok(String s, Encoding e) {
        return new Value.Token(("xx " + s + " yy").getBytes(StandardCharsets.UTF_8), 3,
                s.getBytes(StandardCharsets.UTF_8).length, e);
    }

    private static Value.Token bare(String s) {
        return tok(s, Encoding.BARE);
    }

    private static Value.Token quoted(String s) {
        return tok(s, Encoding.DOUBLE_QUOTED);
    }

    private static Value.Token hex(String s) {
        return tok(s, Encoding.HEX);
    }

    /** A record from {@code name=value} pairs; values are bare tokens unless given as Values. */
    private static Record record(RecordType type, Object... fields) {
        Record r = new Record(type, new byte[0]);
        for (int i = 0; i < fields.length; i += 2) {
            Object v = fields[i + 1];
            r.add((String) fields[i], v instanceof Value value ? value : bare((String) v));
        }
        return r;
    }

    private static AuditEvent event(String node, Record... records) {
        AuditEvent e = new AuditEvent(new EventId(1615114232L, 75, 15558L), node);
        e.records().addAll(List.of(records));
        return e;
    }

    private String json(AuditEvent e) {
        return new String(encoder.encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void writesIdNodeAndRecordsInOrderOfFirstAppearance() {
        AuditEvent e = event("work",
                record(RecordType.PATH, "item", "0", "name", quoted("/a")),
                record(RecordType.CWD, "cwd", quoted("/x")),
                record(RecordType.PATH, "item", "1", "name", quoted("/b")));
        assertThat(json(e)).isEqualTo("{\"ID\":\"1615114232.075:15558\",\"NODE\":\"work\","
                + "\"PATH\":[{\"item\":0,\"name\":\"/a\"},{\"item\":1,\"name\":\"/b\"}],\"CWD\":{\"cwd\":\"/x\"}}");
    }

    @Test
    void writesANodeNameThatIsNotUtf8PercentEncodedAsLaurelDoes() {
        // the parser keeps a node name's bytes one char each (ISO-8859-1): 0xff, and c3 a9 for é
        assertThat(json(event("\u00ff", record(RecordType.CWD, "cwd", quoted("/"))))).isEqualTo(
                "{\"ID\":\"1615114232.075:15558\",\"NODE\":\"%ff\",\"CWD\":{\"cwd\":\"/\"}}");
        assertThat(json(event("h\u00c3\u00a9", record(RecordType.CWD, "cwd", quoted("/"))))).startsWith(
                "{\"ID\":\"1615114232.075:15558\",\"NODE\":\"h\u00e9\",");
    }

    @Test
    void leavesOutNodeWhenTheLinesHadNone() {
        assertThat(json(event(null, record(RecordType.CWD, "cwd", quoted("/"))))).isEqualTo(
                "{\"ID\":\"1615114232.075:15558\",\"CWD\":{\"cwd\":\"/\"}}");
    }

    @Test
    void movesSyscallArgumentsToArgvAfterTheEnrichedFields() {
        Record sc = record(RecordType.SYSCALL, "arch", "c000003e", "syscall", "59", "success", "yes",
                "exit", "0", "a0", "63b29337fd18", "a1", "0", "a2", "0000", "a3", "fffffffffffff000",
                "items", "2", "comm", quoted("whoami"), "key", tok("(null)", Encoding.NULL));
        Records.markEnrichedStart(sc);
        sc.add("ARCH", bare("x86_64"));
        sc.add("AUID", quoted("user"));
        assertThat(json(event(null, sc))).isEqualTo("{\"ID\":\"1615114232.075:15558\",\"SYSCALL\":{"
                + "\"arch\":\"0xc000003e\",\"syscall\":59,\"success\":\"yes\",\"exit\":0,\"items\":2,"
                + "\"comm\":\"whoami\",\"key\":null,\"ARCH\":\"x86_64\",\"AUID\":\"user\","
                + "\"ARGV\":[\"0x63b29337fd18\",\"0x0\",\"0x0\",\"0xfffffffffffff000\"]}}");
    }

    @Test
    void writesAnEmptyArgvForASyscallWithoutArguments() {
        assertThat(json(event(null, record(RecordType.SYSCALL, "syscall", "59", "a1", "1", "a3", "zz"))))
                .isEqualTo("{\"ID\":\"1615114232.075:15558\",\"SYSCALL\":{\"syscall\":59,\"ARGV\":[\"0x1\",\"zz\"]}}");
        assertThat(json(event(null, record(RecordType.SYSCALL, "syscall", "59"))))
                .isEqualTo("{\"ID\":\"1615114232.075:15558\",\"SYSCALL\":{\"syscall\":59,\"ARGV\":[]}}");
    }

    @Test
    void mergesRepeatedObjectRecordsWritingEachRepeatedKeyOnceWithAListOfItsValues() {
        // LAUREL 0.5.1 writes "cwd":"/x","cwd":"/y" and "pid":5,"pid":6: a JSON reader keeps
        // one of them, so laurel writes the key once, where it came first, with every value
        AuditEvent e = event(null,
                record(RecordType.CWD, "cwd", quoted("/x")),
                record(RecordType.SYSCALL, "pid", "5", "a0", "1", "a1", "2", "a2", "3", "a3", "4"),
                record(RecordType.CWD, "cwd", quoted("/y")),
                record(RecordType.SYSCALL, "pid", "6", "a0", "5"));
        assertThat(json(e)).isEqualTo("{\"ID\":\"1615114232.075:15558\",\"CWD\":{\"cwd\":[\"/x\",\"/y\"]},"
                + "\"SYSCALL\":{\"pid\":[5,6],\"ARGV\":[\"0x1\",\"0x2\",\"0x3\",\"0x4\",\"0x5\"]}}");
    }

    @Test
    void writesAKeyRepeatedInOneRecordOnceWithAListOfItsValues() {
        AuditEvent e = event(null,
                record(RecordType.SYSCALL, "pid", "7", "uid", "0", "pid", "8", "comm", quoted("a,\"b]"), "pid", "?"),
                record(RecordType.PATH, "item", "0", "name", quoted("/a"), "name", quoted("{\"x\":1}")),
                record(RecordType.PATH, "item", "1", "name", quoted("/b")));
        assertThat(json(e)).isEqualTo("{\"ID\":\"1615114232.075:15558\","
                + "\"SYSCALL\":{\"pid\":[7,8,\"?\"],\"uid\":0,\"comm\":\"a,\\\"b]\",\"ARGV\":[]},"
                + "\"PATH\":[{\"item\":0,\"name\":[\"/a\",\"{\\\"x\\\":1}\"]},{\"item\":1,\"name\":\"/b\"}]}");
    }

    @Test
    void writesAnEnrichedFieldAddedTwiceOnceWithBothValues() {
        // e.g. auditd's SADDR kept and an enricher's added
        Record r = record(RecordType.SOCKADDR, "saddr", hex("0100"));
        Records.markEnrichedStart(r);
        r.add("SADDR", tok("{ saddr_fam=local path=/tmp/y }", Encoding.BRACED));
        r.add("SADDR", Value.text("{saddr_fam=inet laddr=8.8.8.8 lport=53}"));
        assertThat(json(event(null, r))).isEqualTo("{\"ID\":\"1615114232.075:15558\",\"SOCKADDR\":[{"
                + "\"saddr\":\"0100\",\"SADDR\":[\"{saddr_fam=local path=/tmp/y}\",\"{saddr_fam=inet laddr=8.8.8.8 lport=53}\"]}]}");
    }

    @Test
    void writesASyscallFieldNamedArgvTogetherWithTheArguments() {
        assertThat(json(event(null, record(RecordType.SYSCALL, "ARGV", "x", "a0", "1"))))
                .isEqualTo("{\"ID\":\"1615114232.075:15558\",\"SYSCALL\":{\"ARGV\":[\"x\",[\"0x1\"]]}}");
    }

    @Test
    void writesATopLevelFieldNamedLikeARecordTypeOnceWithBothValues() {
        AuditEvent e = event(null, record(RecordType.CWD, "cwd", quoted("/")));
        e.put("CWD", Value.text("x"));
        e.put("ID", Value.text("forged"));
        assertThat(json(e)).isEqualTo("{\"ID\":[\"1615114232.075:15558\",\"forged\"],"
                + "\"CWD\":[{\"cwd\":\"/\"},\"x\"]}");
    }

    @Test
    void neverWritesARepeatedKeyWithManyDistinctNames() {
        // more names than the encoder caches: a repeated one is still found
        Object[] fields = new Object[2 * 6000 + 4];
        for (int i = 0; i < 6000; i++) {
            fields[2 * i] = "n" + i;
            fields[2 * i + 1] = "1";
        }
        fields[12000] = new String("n5999".toCharArray());
        fields[12001] = "2";
        fields[12002] = new String("n1".toCharArray());
        fields[12003] = "3";
        String json = json(event(null, record(RecordType.PATH, fields)));
        assertThat(json).contains("\"n5999\":[\"1\",\"2\"]", "\"n1\":[\"1\",\"3\"]");
        assertThat(json.split("\"n5999\"", -1)).hasSize(2);
    }

    @Test
    void writesExecveAsArgcAndArgv() {
        Record ex = new Record(RecordType.EXECVE, new byte[0]);
        ex.add("argc", bare("3"));
        ex.add("ARGV", Value.list(List.of(quoted("perl"), quoted("-e"), hex("7573652053"))));
        assertThat(json(event(null, ex))).isEqualTo("{\"ID\":\"1615114232.075:15558\","
                + "\"EXECVE\":{\"argc\":3,\"ARGV\":[\"perl\",\"-e\",\"7573652053\"]}}");
        ex.set("ARGV", Value.list(List.of(Value.text("perl"), Value.text("-e"), Value.text("use S"))));
        assertThat(json(event(null, ex))).isEqualTo("{\"ID\":\"1615114232.075:15558\","
                + "\"EXECVE\":{\"argc\":3,\"ARGV\":[\"perl\",\"-e\",\"use S\"]}}");
    }

    @Test
    void splitsADecodedProctitleAtNulBytesAsLaurelDoes() {
        assertThat(proctitle("6e63002d6c002d70003535353535")).isEqualTo("{\"ARGV\":[\"nc\",\"-l\",\"-p\",\"55555\"]}");
        assertThat(proctitle("6100")).isEqualTo("{\"ARGV\":[\"a\"]}");
        assertThat(proctitle("610000")).isEqualTo("{\"ARGV\":[\"a\",\"%00\"]}");
        assertThat(proctitle("61000062")).isEqualTo("{\"ARGV\":[\"a\",\"%00b\"]}");
        assertThat(proctitle("610000000062")).isEqualTo("{\"ARGV\":[\"a\",\"%00\",\"%00b\"]}");
        assertThat(proctitle("0061")).isEqualTo("{\"ARGV\":[\"%00a\"]}");
        assertThat(proctitle("000000")).isEqualTo("{\"ARGV\":[\"%00\",\"%00\"]}");
        assertThat(proctitle("")).isEqualTo("{\"ARGV\":[]}");
    }

    private String proctitle(String hexBytes) {
        Record r = record(RecordType.PROCTITLE, "proctitle", Value.text(HexFormat.of().parseHex(hexBytes)));
        String s = json(event(null, r));
        return s.substring(s.indexOf("\"PROCTITLE\":") + 12, s.length() - 1);
    }

    @Test
    void keepsAHexProctitleWhenNothingDecodedIt() {
        Record r = record(RecordType.PROCTITLE, "proctitle", hex("77686F616D69"));
        assertThat(json(event(null, r))).endsWith("\"PROCTITLE\":{\"proctitle\":\"77686F616D69\"}}");
    }

    @Test
    void splitsAProctitleAuditdWroteAsPlainTextAndDropsOtherFields() {
        Record r = record(RecordType.PROCTITLE, "proctitle", quoted("whoami"), "foo", "bar");
        assertThat(json(event(null, r))).endsWith("\"PROCTITLE\":{\"ARGV\":[\"whoami\"]}}");
        Record notHex = record(RecordType.PROCTITLE, "proctitle", bare("abc"));
        assertThat(json(event(null, notHex))).endsWith("\"PROCTITLE\":{\"ARGV\":[\"abc\"]}}");
    }

    @Test
    void writesAProctitleWithoutValueAsNullKeepingOtherFields() {
        Record r = record(RecordType.PROCTITLE, "proctitle", tok("(null)", Encoding.NULL), "foo", "bar");
        assertThat(json(event(null, r))).endsWith("\"PROCTITLE\":{\"proctitle\":null,\"foo\":\"bar\"}}");
    }

    @Test
    void writesTheFirstProctitleWithTextWhenAnEarlierRecordHasNone() {
        AuditEvent e = event(null,
                record(RecordType.PROCTITLE, "proctitle", tok("?", Encoding.UNSET)),
                record(RecordType.PROCTITLE, "proctitle", Value.text("ls".getBytes(StandardCharsets.US_ASCII))));
        assertThat(json(e)).endsWith("\"PROCTITLE\":{\"ARGV\":[\"ls\"]}}");
    }

    @Test
    void writesTheCommandLineOfAProctitleAfterARecordWithoutOne() {
        // type=UNKNOWN[1327] (PROCTITLE's number) with no fields, then the PROCTITLE record
        AuditEvent e = event(null,
                record(RecordType.of(1327)),
                record(RecordType.PROCTITLE, "proctitle", Value.text("ls\0-l".getBytes(StandardCharsets.US_ASCII))));
        assertThat(json(e)).endsWith("\"PROCTITLE\":{\"ARGV\":[\"ls\",\"-l\"]}}");
    }

    @Test
    void mergesProctitleRecordsWithoutTextAsLaurelDoes() {
        // type=UNKNOWN[1327] with no fields, then proctitle=?: LAUREL writes {"proctitle":null}
        AuditEvent e = event(null,
                record(RecordType.of(1327)),
                record(RecordType.PROCTITLE, "proctitle", tok("?", Encoding.UNSET)));
        assertThat(json(e)).endsWith("\"PROCTITLE\":{\"proctitle\":null}}");
    }

    @Test
    void writesOnlyTheFirstProctitleRecord() {
        AuditEvent e = event(null,
                record(RecordType.PROCTITLE, "proctitle", Value.text("a\0".getBytes(StandardCharsets.US_ASCII))),
                record(RecordType.PROCTITLE, "proctitle", Value.text("b\0c".getBytes(StandardCharsets.US_ASCII))));
        assertThat(json(e)).endsWith("\"PROCTITLE\":{\"ARGV\":[\"a\"]}}");
    }

    @Test
    void writesDecimalsThatFitSigned64BitAsNumbersAndOthersAsStrings() {
        Record r = record(RecordType.PATH, "pid", "-5", "uid", "007", "gid", "-0", "auid", "99999999999999999999",
                "ses", "-9223372036854775808", "items", "9223372036854775808", "euid", "9223372036854775807",
                "suid", "-9223372036854775807", "fsuid", "-", "egid", "0x10", "sgid", "+5", "res", "success");
        assertThat(json(event(null, r))).endsWith("\"PATH\":[{\"pid\":-5,\"uid\":7,\"gid\":0,"
                + "\"auid\":\"99999999999999999999\",\"ses\":\"-9223372036854775808\","
                + "\"items\":\"9223372036854775808\",\"euid\":9223372036854775807,"
                + "\"suid\":-9223372036854775807,\"fsuid\":\"-\",\"egid\":\"0x10\",\"sgid\":\"%2b5\","
                + "\"res\":\"success\"}]}");
    }

    @Test
    void writesQuotedNumbersAsStrings() {
        Record r = record(RecordType.PATH, "pid", quoted("12"), "mode", quoted("0755"), "arch", quoted("c000003e"));
        assertThat(json(event(null, r))).endsWith("[{\"pid\":\"12\",\"mode\":\"0755\",\"arch\":\"c000003e\"}]}");
    }

    @Test
    void writesHexAndOctalThatFitUnsigned64BitWithPrefixAndNoLeadingZeros() {
        Record r = record(RecordType.PATH, "cap_fp", "0000000000000000", "cap_fi", "FFFFFFFFFFFFFFFF",
                "cap_fver", "0ffffffffffffffff", "a0", "1ffffffffffffffff", "a1", "0x12", "a2", "00000000000000000000001",
                "mode", "0100755", "mode", "0", "mode", "1777777777777777777777", "mode", "2000000000000000000000",
                "mode", "0001777777777777777777777", "mode", "08", "mode", "-1");
        assertThat(json(event(null, r))).endsWith("[{\"cap_fp\":\"0x0\",\"cap_fi\":\"0xffffffffffffffff\","
                + "\"cap_fver\":\"0xffffffffffffffff\",\"a0\":\"1ffffffffffffffff\",\"a1\":\"0x12\",\"a2\":\"0x1\","
                + "\"mode\":[\"0o100755\",\"0o0\",\"0o1777777777777777777777\","
                + "\"2000000000000000000000\",\"0o1777777777777777777777\","
                + "\"08\",\"-1\"]}]}");
    }

    @Test
    void writesRandomDecimalsAsTheirValueWhenTheyFitSigned64Bit() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String max = Long.toString(Long.MAX_VALUE);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            if (random.nextInt(3) == 0) {
                sb.append('-');
            }
            sb.append("0".repeat(random.nextInt(4) == 0 ? random.nextInt(3) : 0));
            if (random.nextBoolean()) {
                // near the limit: 18 to 20 digits, often a prefix of Long.MAX_VALUE's digits
                int digits = 18 + random.nextInt(3);
                int target = sb.length() + digits;
                sb.append(random.nextBoolean() ? max.substring(0, Math.min(digits, 19)) : "");
                while (sb.length() < target) {
                    sb.append((char) ('0' + random.nextInt(10)));
                }
            } else {
                for (int n = random.nextInt(12); n > 0; n--) {
                    sb.append((char) ('0' + random.nextInt(10)));
                }
            }
            if (random.nextInt(20) == 0) {
                sb.insert(random.nextInt(sb.length() + 1), "x+ ".charAt(random.nextInt(3)));
            }
            String token = sb.toString();
            String expected;
            try {
                java.math.BigInteger value = new java.math.BigInteger(token);
                expected = value.bitLength() < 64 && !token.startsWith("+") ? value.toString() : null;
            } catch (NumberFormatException e) {
                expected = null;
            }
            if (expected == null) {
                expected = "\"" + new String(PercentCodec.encode(token.getBytes(StandardCharsets.US_ASCII)),
                        StandardCharsets.US_ASCII) + "\"";
            }
            Record r = record(RecordType.PATH, "pid", token.isEmpty() ? tok("", Encoding.BARE) : bare(token));
            assertThat(json(event(null, r))).as("seed %d, token %s", seed, token)
                    .endsWith("\"PATH\":[{\"pid\":" + expected + "}]}");
        }
    }

    @Test
    void writesRandomHexAndOctalDigitsAsUnsigned64BitNumbersWhenTheyFit() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String digits = "0123456789abcdefABCDEFg";
        for (int i = 0; i < 20_000; i++) {
            boolean octal = random.nextBoolean();
            int radix = octal ? 8 : 16;
            StringBuilder sb = new StringBuilder("0".repeat(random.nextInt(3) == 0 ? random.nextInt(4) : 0));
            int n = random.nextInt(octal ? 24 : 18);
            for (int d = 0; d < n; d++) {
                sb.append(digits.charAt(random.nextInt(random.nextInt(30) == 0 ? digits.length() : radix)));
            }
            String token = sb.toString();
            String expected;
            try {
                java.math.BigInteger value = new java.math.BigInteger(token, radix);
                expected = value.bitLength() <= 64 ? "\"0" + (octal ? "o" : "x") + value.toString(radix) + "\"" : null;
            } catch (NumberFormatException e) {
                expected = null;
            }
            if (expected == null) {
                expected = "\"" + token + "\"";
            }
            String name = octal ? "mode" : "cap_fp";
            Record r = record(RecordType.PATH, name, token.isEmpty() ? tok("", Encoding.BARE) : bare(token));
            assertThat(json(event(null, r))).as("seed %d, token %s", seed, token)
                    .endsWith("\"PATH\":[{\"" + name + "\":" + expected + "}]}");
        }
    }

    @Test
    void writesEveryKeyWhenAnEventHasMoreNamesThanTheEncoderRemembers() {
        // 5,000 names, each as two equal String instances: more than the table by identity holds
        // (it is emptied when full) and more than the map of known names keeps; each key once,
        // with both its values.
        Record r = new Record(RecordType.PATH, new byte[0]);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            String name = "n" + i;
            r.add(name, bare(Integer.toString(i)));
            r.add(new String(name), bare("x"));
            expected.append(i == 0 ? "" : ",").append("\"").append(name).append("\":[\"").append(i)
                    .append("\",\"x\"]");
        }
        r.add("auid", bare("1"));
        r.add("AUID", bare("root"));
        expected.append(",\"auid\":1,\"AUID\":\"root\"");
        for (int round = 0; round < 2; round++) {
            assertThat(json(event(null, r))).endsWith("\"PATH\":[{" + expected + "}]}");
        }
    }

    @Test
    void writesNullUnsetAndEmptyByFieldKind() {
        Record r = record(RecordType.PATH,
                "key", tok("(null)", Encoding.NULL), "comm", tok("?", Encoding.UNSET), "tty", tok("", Encoding.EMPTY),
                "fsuid", tok("(null)", Encoding.NULL), "suid", tok("?", Encoding.UNSET), "euid", tok("", Encoding.EMPTY),
                "mode", tok("?", Encoding.UNSET), "cap_fp", tok("(null)", Encoding.NULL),
                "subj", tok("", Encoding.EMPTY), "tty", bare("(none)"));
        assertThat(json(event(null, r))).endsWith("[{\"key\":null,\"comm\":null,\"tty\":[null,\"(none)\"],"
                + "\"fsuid\":\"(null)\",\"suid\":\"?\",\"euid\":null,\"mode\":\"?\",\"cap_fp\":\"(null)\","
                + "\"subj\":null}]}");
    }

    @Test
    void writesAnEmptySubjAsAnEmptyStringOnlyInSyscallAndUserAuthAsLaurelDoes() {
        for (RecordType t : List.of(RecordType.SYSCALL, RecordType.named("USER_AUTH"))) {
            assertThat(json(event(null, record(t, "subj", tok("", Encoding.EMPTY))))).as(t.name())
                    .contains("{\"subj\":\"\"");
        }
        for (RecordType t : List.of(RecordType.PATH, RecordType.CWD, RecordType.named("USER_LOGIN"), RecordType.named("AVC"))) {
            assertThat(json(event(null, record(t, "subj", tok("", Encoding.EMPTY))))).as(t.name())
                    .contains("{\"subj\":null}");
        }
    }

    @Test
    void trimsABracedPairListAndKeepsAnythingElseAsWritten() {
        assertThat(braced("{ fam=netlink nlnk-fam=16 nlnk-pid=0 }")).isEqualTo("{fam=netlink nlnk-fam=16 nlnk-pid=0}");
        assertThat(braced("{ saddr_fam=local path=/var/run/nscd/socket }")).isEqualTo("{saddr_fam=local path=/var/run/nscd/socket}");
        assertThat(braced("{ a=\"b  c\" x='d e' }")).isEqualTo("{a=\\\"b  c\\\" x='d e'}");
        assertThat(braced("{ a= b=c }")).isEqualTo("{a= b=c}");
        assertThat(braced("{ a=b%+ }")).isEqualTo("{a=b%25%2b}");
        assertThat(braced("{ a=b'c A-=~!@#$^&*()}[]|<> }")).isEqualTo("{a=b'c A-=~!@#$^&*()}[]|<>}");
        assertThat(braced("{  }")).isEqualTo("{}");
        // not a pair list: kept
        for (String kept : new String[]{"{ a b }", "{ a=b  c=d }", "{ a=b c }", "{ saddr_fam=local path=/tmp/a b }",
                "{ unknown-family(12) }", "{  a=b }", "{ a=b}", "{a=b }", "{ =b }", "{ 1a=b }", "{ _a=x }", "{ a.b=x }",
                "{ a=\"b }", "{ a=b\"c }", "{ a=\"b\"c }", "{ }", "{}", "{ a }", "{ a=bé }"}) {
            assertThat(braced(kept)).as(kept).isEqualTo(kept.replace("\"", "\\\""));
        }
        assertThat(braced("{ a=b\tc=d }")).isEqualTo("{ a=b%09c=d }");
        assertThat(braced("{ a=\"b\u0001c\" }")).isEqualTo("{a=\\\"b%01c\\\"}");
    }

    private String braced(String value) {
        Record r = record(RecordType.SOCKADDR, "SADDR", tok(value, Encoding.BRACED));
        String s = json(event(null, r));
        return s.substring(s.indexOf("\"SADDR\":\"") + 9, s.length() - 4);
    }

    @Test
    void percentEncodesStringsAndKeepsValidUtf8() {
        Record r = record(RecordType.CWD, "cwd", Value.text(HexFormat.of().parseHex("2f612b250a22005cc3a9ff")));
        assertThat(json(event(null, r))).endsWith("\"CWD\":{\"cwd\":\"/a%2b%25%0a\\\"%00\\\\é%ff\"}}");
    }

    @Test
    void escapesPercentPlusAndControlCharactersInKeys() {
        Record r = record(RecordType.CWD, "S%ID", "x", "a+b", "y", "a\u0001b", "z", "\u00ffUID", "w", "bad\ud800", "v");
        AuditEvent e = event(null, r);
        e.put("ta\ng", Value.object(Map.of("k%", Value.NULL)));
        assertThat(json(e)).isEqualTo("{\"ID\":\"1615114232.075:15558\",\"CWD\":{\"S%25ID\":\"x\",\"a%2bb\":\"y\","
                + "\"a%01b\":\"z\",\"\u00ffUID\":\"w\",\"bad?\":\"v\"},\"ta%0ag\":{\"k%25\":null}}");
    }

    @Test
    void writesAHexTokenAsItsDigitsWithoutTheDecoder() {
        Record r = record(RecordType.SOCKADDR, "saddr", hex("0002D903"));
        assertThat(json(event(null, r))).endsWith("\"SOCKADDR\":[{\"saddr\":\"0002D903\"}]}");
    }

    @Test
    void writesAUserSpaceMessageVerbatim() {
        Record r = record(RecordType.of(1100), "pid", "1", "uid", "0",
                "msg", tok("op=PAM:auth acct=\"ro%ot+\" hostname=? res=failed", Encoding.SINGLE_QUOTED));
        assertThat(json(event("h1", r))).isEqualTo("{\"ID\":\"1615114232.075:15558\",\"NODE\":\"h1\","
                + "\"USER_AUTH\":{\"pid\":1,\"uid\":0,"
                + "\"msg\":\"op=PAM:auth acct=\\\"ro%25ot%2b\\\" hostname=? res=failed\"}}");
    }

    @Test
    void writesSingleRecordTypesAsObjectsAndOtherKernelTypesAsLists() {
        // Shapes LAUREL 0.5.1 gives every type number
        for (int code : new int[]{1000, 1005, 1007, 1100, 1200, 1299, 1406, 1419, 2000, 2100, 2999, 3000, 65535}) {
            assertThat(EventEncoder.isObject(RecordType.of(code))).as("type %d", code).isTrue();
        }
        for (int code : new int[]{1006, 1301, 1302, 1306, 1308, 1318, 1321, 1336, 1405, 1420, 1500, 1700, 1999, 2001, 2099}) {
            assertThat(EventEncoder.isObject(RecordType.of(code))).as("type %d", code).isFalse();
        }
        for (RecordType t : List.of(RecordType.SYSCALL, RecordType.EXECVE, RecordType.CWD, RecordType.PROCTITLE)) {
            assertThat(EventEncoder.isObject(t)).as(t.name()).isTrue();
        }
        assertThat(json(event(null, record(RecordType.of(1337), "foo", "bar"))))
                .endsWith("\"" + RecordType.of(1337).name() + "\":[{\"foo\":\"bar\"}]}");
        assertThat(json(event(null, record(RecordType.of(4242), "foo", "bar"))))
                .endsWith("\"UNKNOWN[4242]\":{\"foo\":\"bar\"}}");
    }

    @Test
    void writesEnricherValuesByTheirTypeAfterTheRecords() {
        AuditEvent e = event(null, record(RecordType.CWD, "cwd", quoted("/")));
        Map<String, Value> parent = new LinkedHashMap<>();
        parent.put("ID", Value.text("1.2:3"));
        parent.put("ppid", Value.number(-1));
        parent.put("caps", new Value.Number(-1L, Value.Radix.HEX));
        parent.put("mode", new Value.Number(0755, Value.Radix.OCT));
        parent.put("none", Value.NULL);
        parent.put("tags", Value.list(List.of(Value.text("a+b"), Value.number(2))));
        e.put("PARENT_INFO", Value.object(parent));
        e.put("TAG", Value.text("x"));
        Record cwd = e.records().get(0);
        cwd.set("CWD_LEN", Value.number(1));
        assertThat(json(e)).isEqualTo("{\"ID\":\"1615114232.075:15558\",\"CWD\":{\"cwd\":\"/\",\"CWD_LEN\":1},"
                + "\"PARENT_INFO\":{\"ID\":\"1.2:3\",\"ppid\":-1,\"caps\":\"0xffffffffffffffff\",\"mode\":\"0o755\","
                + "\"none\":null,\"tags\":[\"a%2bb\",2]},\"TAG\":\"x\"}");
    }

    @Test
    void writesToTheStreamWithoutNewlineOrSeparatorBetweenEvents() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AuditEvent e = event(null, record(RecordType.CWD, "cwd", quoted("/")));
        encoder.encode(e, out);
        encoder.encode(e, out);
        String one = "{\"ID\":\"1615114232.075:15558\",\"CWD\":{\"cwd\":\"/\"}}";
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(one + one);
    }

    @Test
    void recoversAfterAStreamFailure() throws IOException {
        AuditEvent e = event(null, record(RecordType.CWD, "cwd", quoted("/")));
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        assertThatThrownBy(() -> encoder.encode(e, broken)).isInstanceOf(IOException.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.encode(e, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"ID\":\"1615114232.075:15558\",\"CWD\":{\"cwd\":\"/\"}}");
    }

    @Test
    void writesValidJsonForRandomContent() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Encoding[] encodings = Encoding.values();
        String[] names = {"pid", "arch", "mode", "comm", "subj", "a0", "proctitle", "SADDR", "x\"y", "ARGV"};
        RecordType[] types = {RecordType.SYSCALL, RecordType.PROCTITLE, RecordType.EXECVE, RecordType.PATH,
                RecordType.of(1100), RecordType.of(9999)};
        for (int round = 0; round < 3_000; round++) {
            AuditEvent e = new AuditEvent(new EventId(random.nextInt(Integer.MAX_VALUE), random.nextInt(1000),
                    random.nextLong() & Long.MAX_VALUE), random.nextBoolean() ? null : "n\u0001+");
            int records = random.nextInt(5);
            for (int i = 0; i < records; i++) {
                Record r = new Record(types[random.nextInt(types.length)], new byte[0]);
                int fields = random.nextInt(8);
                for (int f = 0; f < fields; f++) {
                    byte[] bytes = PercentCodecTest.randomBytes(random);
                    Value v = switch (random.nextInt(4)) {
                        case 0 -> Value.text(bytes);
                        case 1 -> Value.list(List.of(new Value.Token(bytes, encodings[random.nextInt(encodings.length)]),
                                Value.NULL));
                        default -> new Value.Token(bytes, encodings[random.nextInt(encodings.length)]);
                    };
                    r.add(names[random.nextInt(names.length)], v);
                }
                e.records().add(r);
            }
            byte[] out = encoder.encode(e);
            try {
                JsonNode tree = mapper.readTree(out);
                assertThat(tree.get("ID").asText()).isEqualTo(e.id().toString());
                if (!PercentCodecTest.isCleanUtf8(out)) {
                    fail("seed " + seed + ", round " + round + ": control or malformed bytes in " + new String(out, StandardCharsets.UTF_8));
                }
            } catch (IOException | AssertionError ex) {
                throw new AssertionError("seed " + seed + ", round " + round + ": " + new String(out, StandardCharsets.UTF_8), ex);
            }
        }
    }
}
