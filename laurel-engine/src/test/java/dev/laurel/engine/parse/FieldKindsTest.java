package dev.laurel.engine.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FieldKindsTest {

    private static RecordType type(String name) {
        if (name.startsWith("UNKNOWN[")) {
            return RecordType.of(Integer.parseInt(name.substring(8, name.length() - 1)));
        }
        RecordType t = RecordType.named(name);
        assertThat(t).as(name).isNotNull();
        return t;
    }

    /**
     * Every row LAUREL 0.5.1 gave in the probe (src/test/probe/probe_field_kinds.py): about 300
     * names in ten record types, in the body and after the 0x1D byte.
     */
    @Test
    void agreesWithEveryProbedRenderingOfLaurel() throws IOException {
        List<String> wrong = new ArrayList<>();
        int rows = 0;
        try (InputStream in = FieldKindsTest.class.getResourceAsStream("laurel-0.5.1-field-kinds.tsv")) {
            assertThat(in).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                RecordType t = type(f[0].replace("+tail", ""));
                FieldKind expected = FieldKind.valueOf(f[2]);
                FieldKind actual = FieldKinds.of(t, f[1]);
                if (actual != expected) {
                    wrong.add(line + " but got " + actual);
                }
                rows++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(rows).isGreaterThan(5000);
    }

    @Test
    void writesGoldenFileNumbersByTheirKind() {
        // from LAUREL's golden files: "arch":"0xc000003e", "mode":"0o100755", "cap_fe":0,
        // "cap_fp":"0x0", "cap_frootid":"0", "tty":"(none)", "old":"-37201248256000", LOGIN "res":1
        assertThat(FieldKinds.of(RecordType.SYSCALL, "arch")).isEqualTo(FieldKind.HEX);
        assertThat(FieldKinds.of(RecordType.PATH, "mode")).isEqualTo(FieldKind.OCT);
        assertThat(FieldKinds.of(RecordType.PATH, "cap_fe")).isEqualTo(FieldKind.DEC);
        assertThat(FieldKinds.of(RecordType.PATH, "cap_fp")).isEqualTo(FieldKind.HEX);
        assertThat(FieldKinds.of(RecordType.PATH, "cap_fi")).isEqualTo(FieldKind.HEX);
        assertThat(FieldKinds.of(RecordType.PATH, "cap_fver")).isEqualTo(FieldKind.HEX);
        assertThat(FieldKinds.of(RecordType.PATH, "cap_frootid")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.SYSCALL, "tty")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.named("TIME_ADJNTPVAL"), "old")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.named("LOGIN"), "res")).isEqualTo(FieldKind.DEC);
        assertThat(FieldKinds.of(RecordType.named("BPRM_FCAPS"), "pp")).isEqualTo(FieldKind.HEX);
        assertThat(FieldKinds.of(RecordType.named("BPRM_FCAPS"), "fe")).isEqualTo(FieldKind.DEC);
    }

    @Test
    void treatsSyscallArgumentsAsHexOnlyInSyscall() {
        for (String a : List.of("a0", "a1", "a2", "a3")) {
            assertThat(FieldKinds.of(RecordType.SYSCALL, a)).as(a).isEqualTo(FieldKind.HEX);
            assertThat(FieldKinds.of(RecordType.EXECVE, a)).as(a).isEqualTo(FieldKind.ENCODED);
            assertThat(FieldKinds.of(RecordType.named("CONFIG_CHANGE"), a)).as(a).isEqualTo(FieldKind.ENCODED);
        }
        assertThat(FieldKinds.of(RecordType.SYSCALL, "a4")).isEqualTo(FieldKind.ENCODED);
    }

    @Test
    void treatsExecveArgumentLengthsAsDecimal() {
        assertThat(FieldKinds.of(RecordType.EXECVE, "a1_len")).isEqualTo(FieldKind.DEC);
        assertThat(FieldKinds.of(RecordType.EXECVE, "a1234_len")).isEqualTo(FieldKind.DEC);
        assertThat(FieldKinds.of(RecordType.EXECVE, "a1[0]")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.EXECVE, "ax_len")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.EXECVE, "argc")).isEqualTo(FieldKind.DEC);
        // outside EXECVE LAUREL hex-decodes a1_len=10 like any unknown name
        assertThat(FieldKinds.of(RecordType.named("CONFIG_CHANGE"), "a1_len")).isEqualTo(FieldKind.ENCODED);
    }

    @Test
    void makesNamesEndingInUidOrGidDecimal() {
        for (String n : List.of("uid", "x_uid", "xgid", "foo_gid", "uuid", "inode_uid", "new_gid")) {
            assertThat(FieldKinds.of(RecordType.named("CONFIG_CHANGE"), n)).as(n).isEqualTo(FieldKind.DEC);
        }
        // case-sensitive and a suffix only: ENRICHED's UID, and uidx, are strings
        for (String n : List.of("UID", "AUID", "uidx", "fooid")) {
            assertThat(FieldKinds.of(RecordType.named("CONFIG_CHANGE"), n)).as(n).isEqualTo(FieldKind.ENCODED);
        }
    }

    @Test
    void makesUnknownNamesEncoded() {
        assertThat(FieldKinds.of(RecordType.of(9999), "zzz")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.SOCKADDR, "saddr")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.PROCTITLE, "proctitle")).isEqualTo(FieldKind.ENCODED);
        assertThat(FieldKinds.of(RecordType.SYSCALL, "SADDR")).isEqualTo(FieldKind.ENCODED);
    }

    @Test
    void neverUsesTextForAnyProbedName() {
        // LAUREL 0.5.1 hex-decodes every name that is not a number, so TEXT has no name yet
        for (String n : FieldKinds.knownNames()) {
            assertThat(FieldKinds.of(RecordType.named("CONFIG_CHANGE"), n)).as(n).isNotEqualTo(FieldKind.TEXT);
        }
    }

    /**
     * The kinds and the parser's encodings predict every plain field LAUREL 0.5.1 wrote for the
     * real capture (testdata/real-enriched.laurel-0.5.1.jsonl): numbers, "0x"/"0o" strings,
     * decoded hex, null. Fields LAUREL rewrites (EXECVE, PROCTITLE, SADDR, SYSCALL's a0-a3) and
     * strings with bytes LAUREL escapes are left out.
     */
    @Test
    void predictsEveryPlainFieldLaurelWroteForTheRealCapture() throws IOException {
        List<String> wrong = new ArrayList<>();
        int compared = compare(TestData.file("real-enriched.log"),
                TestData.file("real-enriched.laurel-0.5.1.jsonl"), wrong);
        assertThat(wrong).isEmpty();
        assertThat(compared).isGreaterThan(45_000);
    }

    /** The same for LAUREL's own fixtures that come with golden output (record-*.json). */
    @Test
    void predictsEveryPlainFieldOfLaurelsGoldenFiles() throws IOException {
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        int files = 0;
        for (java.nio.file.Path txt : ParsedRecords.fixtureFiles()) {
            java.nio.file.Path golden = txt.resolveSibling(txt.getFileName().toString().replace(".txt", ".json"));
            if (Files.exists(golden)) {
                compared += compare(txt, golden, wrong);
                files++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(files).isGreaterThan(10);
        assertThat(compared).isGreaterThan(500);
    }

    /**
     * Compares every parsed field of {@code log} with LAUREL's JSON for it; returns how many were
     * compared and adds each disagreement to {@code wrong}.
     */
    private static int compare(java.nio.file.Path log, java.nio.file.Path jsonl, List<String> wrong)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> events = new HashMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (!line.isBlank()) {
                JsonNode e = json.readTree(line);
                events.putIfAbsent(e.get("ID").asText(), e);
            }
        }
        LineParser parser = new LineParser();
        Map<String, Integer> seen = new HashMap<>();
        int compared = 0;
        for (byte[] line : ParsedRecords.lines(log)) {
            ParsedRecord p = parser.parse(line, 0, line.length);
            if (p == null) {
                continue;   // fixtures' comments
            }
            Record r = p.record();
            String type = r.type().name();
            if (r.type() == RecordType.EOE || r.type() == RecordType.EXECVE || r.type() == RecordType.PROCTITLE) {
                continue;
            }
            JsonNode event = events.get(p.id().toString());
            JsonNode rec = event == null ? null : event.get(type);
            if (rec == null) {
                continue;   // LAUREL dropped or renamed it (fixtures filter events, name 1420)
            }
            if (rec.isArray()) {
                int k = seen.merge(p.id() + type, 1, Integer::sum) - 1;
                rec = rec.get(k);
            }
            for (int i = 0; rec != null && i < r.size(); i++) {
                JsonNode out = rec.get(r.name(i));
                if (out == null) {
                    continue;   // moved by LAUREL (SYSCALL's a0-a3 into ARGV)
                }
                Object predicted = predict(FieldKinds.of(r.type(), r.name(i)), (Value.Token) r.value(i));
                if (predicted == SKIP) {
                    continue;
                }
                if (!matches(predicted, out)) {
                    wrong.add(log.getFileName() + ": " + type + " " + r.name(i) + "=" + r.value(i)
                            + ": LAUREL wrote " + out + ", predicted " + predicted);
                }
                compared++;
            }
        }
        return compared;
    }

    private static final Object SKIP = new Object();
    private static final BigInteger MAX_DEC = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** What LAUREL writes for a token: a BigInteger number, a String, null, or SKIP. */
    private static Object predict(FieldKind kind, Value.Token t) {
        String raw = t.rawString();
        switch (t.encoding()) {
            case NULL, UNSET:
                return kind == FieldKind.ENCODED ? null : raw;
            case EMPTY:
                return null;
            case BRACED:
                return SKIP;
            case HEX:
                return plain(new String(t.decoded(), StandardCharsets.ISO_8859_1));
            case DOUBLE_QUOTED, SINGLE_QUOTED:
                return plain(raw);
            default:
                break;
        }
        try {
            switch (kind) {
                case DEC:
                    if (raw.matches("-?[0-9]+") && new BigInteger(raw).abs().compareTo(MAX_DEC) <= 0) {
                        return new BigInteger(raw);
                    }
                    break;
                case HEX:
                    if (raw.matches("[0-9a-fA-F]+") && new BigInteger(raw, 16).compareTo(MAX_U64) <= 0) {
                        return "0x" + new BigInteger(raw, 16).toString(16);
                    }
                    break;
                case OCT:
                    if (raw.matches("[0-7]+") && new BigInteger(raw, 8).compareTo(MAX_U64) <= 0) {
                        return "0o" + new BigInteger(raw, 8).toString(8);
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            return SKIP;
        }
        return plain(raw);
    }

    /** The string if LAUREL writes it unescaped (printable ASCII without % and +), else SKIP. */
    private static Object plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '%' || c == '+') {
                return SKIP;
            }
        }
        return s;
    }

    private static boolean matches(Object predicted, JsonNode out) {
        if (predicted == null) {
            return out.isNull();
        }
        if (predicted instanceof BigInteger n) {
            return out.isIntegralNumber() && out.bigIntegerValue().equals(n);
        }
        return out.isTextual() && out.textValue().equals(predicted);
    }
}
