package dev.laurel.engine.parse;

import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class AuditLineWriterTest {
    private final LineParser parser = new LineParser();
    private final AuditLineWriter writer = new AuditLineWriter();

    @Test
    void writesEveryLineOfTheRealCaptureBackByteForByte() {
        List<byte[]> lines = ParsedRecords.lines(TestData.file("real-enriched.log"));
        List<String> different = new ArrayList<>();
        int continuations = 0;
        for (byte[] line : lines) {
            ParsedRecord r = parser.parse(line, 0, line.length);
            String in = new String(line, StandardCharsets.ISO_8859_1);
            if (in.contains("):  ")) {
                // auditd starts EXECVE's continuation records with two spaces; one is written
                in = in.replace("):  ", "): ");
                continuations++;
            }
            String out = writer.toString(r);
            if (!out.equals(in) && different.size() < 3) {
                different.add(cut(in) + "\n  became\n" + cut(out));
            }
        }
        assertThat(different).isEmpty();
        assertThat(lines).hasSize(5199);
        assertThat(continuations).isPositive();
    }

    private static String cut(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    @Test
    void rewritesEveryFixtureLineIntoTheSameRecord() {
        int checked = 0;
        for (Path file : ParsedRecords.fixtureFiles()) {
            for (byte[] line : ParsedRecords.lines(file)) {
                ParsedRecord r = parser.parse(line, 0, line.length);
                if (r == null) {
                    continue;   // comments and blank lines, see LineParserTest
                }
                byte[] out = writer.write(r);
                ParsedRecord again = parser.parse(out, 0, out.length);
                assertThat(again).isNotNull();
                assertThat(ParsedRecords.difference(r, again)).as(writer.toString(r)).isNull();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(500);
    }

    @Test
    void writesIrregularBodiesInAuditdsForm() {
        String avc = "type=AVC msg=audit(1.000:1): avc:  denied  { read write } for  pid=1234 comm=\"x\"";
        assertThat(roundTrip(avc)).isEqualTo(avc);
        String netlabel = "type=MAC_STATUS msg=audit(1.000:4): netlabel: auid=4294967295 ses=1";
        assertThat(roundTrip(netlabel)).isEqualTo(netlabel);
        String continuation = "type=EXECVE msg=audit(1615150974.493:21028):  a1[1]=6461";
        assertThat(roundTrip(continuation)).isEqualTo("type=EXECVE msg=audit(1615150974.493:21028): a1[1]=6461");
        String node = "node=web-1 type=EOE msg=audit(1.000:1): ";
        assertThat(roundTrip(node)).isEqualTo("node=web-1 type=EOE msg=audit(1.000:1):");
    }

    @Test
    void writesValuesThatEnrichersSetTheWayAuditdWould() {
        Record r = new Record(RecordType.CWD, new byte[0]);
        r.add("cwd", Value.text("/tmp"));
        r.add("name", Value.text("a b"));
        r.add("pid", Value.number(42));
        r.add("mode", new Value.Number(0755, Value.Radix.OCT));
        r.add("arch", new Value.Number(0xc000003eL, Value.Radix.HEX));
        r.add("key", Value.NULL);
        r.add("ARGV", Value.list(List.of(Value.text("ls"), Value.text("-l"))));
        r.add("PARENT", Value.object(Map.of("pid", Value.number(1))));
        String line = writer.toString(new ParsedRecord("n", new EventId(1, 2, 3), r));
        assertThat(line).isEqualTo("node=n type=CWD msg=audit(1.002:3): cwd=\"/tmp\" name=612062 pid=42 mode=755 "
                + "arch=c000003e key=(null) ARGV={ \"ls\" \"-l\" } PARENT={ pid=1 }");
    }

    private String roundTrip(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return writer.toString(parser.parse(b, 0, b.length));
    }

    // ---- seeded property: random records survive write and parse ----

    private static final String[] NAMES = {"pid", "uid", "auid", "comm", "exe", "cwd", "name", "key", "a0", "a1",
        "a2", "a3", "a1_len", "a2[0]", "argc", "mode", "arch", "syscall", "saddr", "proctitle", "msg", "tty",
        "res", "subj", "cap_fp", "dev", "old", "new", "ARCH", "UID", "SADDR", "SYSCALL", "nametype", "item"};
    private static final RecordType[] TYPES = {RecordType.SYSCALL, RecordType.EXECVE, RecordType.PATH,
        RecordType.SOCKADDR, RecordType.PROCTITLE, RecordType.CWD, RecordType.EOE, RecordType.named("USER_ACCT"),
        RecordType.named("CONFIG_CHANGE"), RecordType.named("AVC"), RecordType.of(1420), RecordType.of(9999)};
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-[]:.";
    private static final String PRINTABLE;

    static {
        StringBuilder sb = new StringBuilder();
        for (char c = 0x21; c < 0x7f; c++) {
            sb.append(c);
        }
        PRINTABLE = sb.toString();
    }

    @Test
    void randomRecordsSurviveWriteAndParse() {
        long seed = Long.getLong("laurel.seed", System.nanoTime());
        Random random = new Random(seed);
        int cases = 10_000;
        for (int i = 0; i < cases; i++) {
            ParsedRecord r = randomRecord(random);
            byte[] line = writer.write(r);
            ParsedRecord again = parser.parse(line, 0, line.length);
            String line8859 = new String(line, StandardCharsets.ISO_8859_1);
            if (again == null) {
                fail("seed " + seed + " case " + i + ": " + parser.lastError() + " for " + line8859);
            }
            String diff = ParsedRecords.difference(r, again);
            if (diff != null) {
                fail("seed " + seed + " case " + i + ": " + diff + " for " + line8859);
            }
            if (!java.util.Arrays.equals(writer.write(again), line)) {
                fail("seed " + seed + " case " + i + ": not written alike: " + line8859);
            }
        }
        // every stray word (not netlabel:, policy, loaded) is kept and reported once
        assertThat(parser.warnings()).as("seed " + seed).isEqualTo(strayWords);
    }

    private long strayWords;

    private ParsedRecord randomRecord(Random random) {
        String node = random.nextInt(4) == 0 ? randomString(random, NAME_CHARS, 1, 12) : null;
        RecordType type = TYPES[random.nextInt(TYPES.length)];
        EventId id = new EventId(random.nextLong() >>> 24, random.nextInt(1000), random.nextLong() >>> 24);
        Record rec = Records.create(type, new byte[0], 1);
        int body = random.nextInt(14);
        for (int i = 0; i < body; i++) {
            addField(random, rec, type, true);
        }
        // as auditd writes them (docs/format.md §2, §3): a user-space msg='...' is the last field
        // of the record, and nothing after it ends in a quote; a braced ENRICHED value (SADDR)
        // is the last ENRICHED field
        boolean message = lastField(rec);
        if (random.nextBoolean()) {
            Records.markEnrichedStart(rec);
            int tail = random.nextInt(6);
            for (int i = 0; i < tail; i++) {
                addField(random, rec, type, false);
            }
            lastField(rec);
            while (message && rec.size() > rec.enrichedFrom() && endsInQuote(rec, rec.size() - 1)) {
                rec.remove(rec.size() - 1);
            }
        }
        return new ParsedRecord(node, id, rec);
    }

    /** Adds the field held back for the end of the record's part ({@link #last}); whether it is a message. */
    private boolean lastField(Record rec) {
        Value.Token held = last;
        last = null;
        if (held == null) {
            return false;
        }
        rec.add(lastName, held);
        return held.encoding() == Encoding.SINGLE_QUOTED;
    }

    private static boolean endsInQuote(Record rec, int i) {
        Value.Token t = (Value.Token) rec.value(i);
        return t.encoding() == Encoding.SINGLE_QUOTED
                || t.length() > 0 && t.bytes()[t.offset() + t.length() - 1] == '\'';
    }

    /** A field written last in its part: a single-quoted msg, or a braced ENRICHED value. */
    private Value.Token last;
    private String lastName;

    private void addField(Random random, Record rec, RecordType type, boolean body) {
        String name = random.nextInt(3) == 0 ? randomString(random, NAME_CHARS, 1, 10) : NAMES[random.nextInt(NAMES.length)];
        FieldKind kind = FieldKinds.of(type, name);
        int pick = random.nextInt(11);
        switch (pick) {
            case 0 -> rec.add(name, token(randomBare(random, kind), Encoding.BARE));
            case 1 -> {
                if (kind == FieldKind.ENCODED) {
                    byte[] raw = new byte[1 + random.nextInt(40)];
                    random.nextBytes(raw);
                    rec.add(name, token(hex(raw, random.nextBoolean()), Encoding.HEX));
                } else {
                    rec.add(name, token(Long.toString(random.nextLong()), Encoding.BARE));
                }
            }
            case 2 -> rec.add(name, token(randomQuoted(random, '"'), Encoding.DOUBLE_QUOTED));
            case 3 -> {
                Value.Token quoted = token(randomQuoted(random, '\''), Encoding.SINGLE_QUOTED);
                if (name.equals("msg")) {
                    last = quoted;
                    lastName = name;
                } else {
                    rec.add(name, quoted);
                }
            }
            case 4 -> {
                Value.Token braced = token("{" + randomQuoted(random, '{').replace("}", "") + "}", Encoding.BRACED);
                if (body) {
                    rec.add(name, braced);
                } else {
                    last = braced;
                    lastName = name;
                }
            }
            case 5 -> rec.add(name, token("(null)", Encoding.NULL));
            case 6 -> rec.add(name, token("?", Encoding.UNSET));
            case 7 -> rec.add(name, token("", Encoding.EMPTY));
            case 8 -> {
                // a word without '=' (netlabel:, policy loaded)
                String word = randomString(random, "abcdefghijklmnopqrstuvwxyz:", 1, 9);
                if (!List.of("avc:", "denied", "granted", "for").contains(word)) {
                    rec.add(word, token("", Encoding.NULL));
                    if (!List.of("netlabel:", "policy", "loaded").contains(word)) {
                        strayWords++;
                    }
                }
            }
            case 9 -> {
                if (body) {
                    rec.add(random.nextBoolean() ? "denied" : "granted",
                            token("{ " + randomString(random, "abcdefghijklmnopqrstuvwxyz_ ", 1, 20).trim() + " }",
                                    Encoding.BRACED));
                }
            }
            default -> {
                String n = Long.toString(random.nextInt());
                boolean readsAsHex = kind == FieldKind.ENCODED && n.length() % 2 == 0 && n.charAt(0) != '-';
                rec.add(name, token(readsAsHex ? "-" + n : n, Encoding.BARE));
            }
        }
    }

    /** A bare value that reads back as bare: no space, not a quote or brace first, not hex if ENCODED. */
    private static String randomBare(Random random, FieldKind kind) {
        while (true) {
            String s = randomString(random, PRINTABLE, 1, 20);
            char first = s.charAt(0);
            if (first == '"' || first == '\'' || first == '{' || s.equals("?") || s.equals("(null)")) {
                continue;
            }
            if (kind == FieldKind.ENCODED && s.length() % 2 == 0 && isHex(s)) {
                continue;
            }
            return s;
        }
    }

    /** Content for a quoted value: any byte but the quote, 0x1D, CR and LF; spaces allowed. */
    private static String randomQuoted(Random random, char quote) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(30);
        while (sb.length() < n) {
            char c = (char) (random.nextInt(4) == 0 ? ' ' : random.nextInt(0x100));
            if (c != quote && c != 0x1d && c != '\r' && c != '\n') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String randomString(Random random, String alphabet, int min, int max) {
        int n = min + random.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String hex(byte[] raw, boolean upper) {
        String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        StringBuilder sb = new StringBuilder();
        for (byte b : raw) {
            sb.append(digits.charAt((b >> 4) & 0xf)).append(digits.charAt(b & 0xf));
        }
        return sb.toString();
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Value.Token token(String s, Encoding encoding) {
        return new Value.Token(s.getBytes(StandardCharsets.ISO_8859_1), encoding);
    }
}
