package dev.laurel.engine.assemble;

import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;
import dev.laurel.engine.parse.ParsedRecord;
import dev.laurel.engine.testkit.TestData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TEST-ONLY stand-in for the production {@code LineParser}, just enough to feed the assembler:
 * the header ({@code node=}, {@code type=}, {@code msg=audit(...)}), then {@code key=value}
 * fields split on spaces, with double-quoted, single-quoted and braced values kept whole and the
 * 0x1D byte starting ENRICHED fields. Unquoted argument fields of EXECVE ({@code aN},
 * {@code aN[i]}) are taken as hex; everything else unquoted is bare. It throws on lines it
 * does not understand. Do not use it outside tests.
 */
final class TestLines {
    private TestLines() {
    }

    /** Every line of a file under the repository root, parsed; empty lines skipped. */
    static List<ParsedRecord> parseFile(String relative) throws IOException {
        byte[] all = Files.readAllBytes(TestData.root().resolve(relative));
        List<ParsedRecord> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i > start) {
                    out.add(parse(Arrays.copyOfRange(all, start, i)));
                }
                start = i + 1;
            }
        }
        return out;
    }

    static ParsedRecord parse(String line) {
        return parse(line.getBytes(StandardCharsets.UTF_8));
    }

    static ParsedRecord parse(byte[] line) {
        int[] pos = {0};
        String node = null;
        if (startsWith(line, 0, "node=")) {
            pos[0] = 5;
            node = word(line, pos);
            pos[0]++;
        }
        expect(line, pos, "type=");
        String typeName = word(line, pos);
        RecordType type = typeName.startsWith("UNKNOWN[")
                ? RecordType.of(Integer.parseInt(typeName.substring(8, typeName.length() - 1)))
                : RecordType.named(typeName);
        if (type == null) {
            throw new IllegalArgumentException("unknown type " + typeName);
        }
        pos[0]++;
        expect(line, pos, "msg=audit(");
        long seconds = number(line, pos, '.');
        int millis = (int) number(line, pos, ':');
        long serial = number(line, pos, ')');
        expect(line, pos, ":");
        Record record = new Record(type, line);
        while (true) {
            while (pos[0] < line.length && line[pos[0]] == ' ') {
                pos[0]++;
            }
            if (pos[0] >= line.length) {
                break;
            }
            if (line[pos[0]] == 0x1d) {
                Records.markEnrichedStart(record);
                pos[0]++;
                continue;
            }
            int keyStart = pos[0];
            while (line[pos[0]] != '=') {
                pos[0]++;
            }
            String key = new String(line, keyStart, pos[0] - keyStart, StandardCharsets.UTF_8);
            pos[0]++;
            record.add(key, value(line, pos, type == RecordType.EXECVE && isArgument(key)));
        }
        return new ParsedRecord(node, new EventId(seconds, millis, serial), record);
    }

    private static Value value(byte[] line, int[] pos, boolean hexIfBare) {
        int p = pos[0];
        if (p < line.length && (line[p] == '"' || line[p] == '\'')) {
            byte quote = line[p];
            int end = indexOf(line, p + 1, quote);
            pos[0] = end + 1;
            return new Value.Token(line, p + 1, end - p - 1,
                    quote == '"' ? Encoding.DOUBLE_QUOTED : Encoding.SINGLE_QUOTED);
        }
        if (p < line.length && line[p] == '{') {
            int end = indexOf(line, p, (byte) '}');
            pos[0] = end + 1;
            return new Value.Token(line, p, end + 1 - p, Encoding.BRACED);
        }
        int end = p;
        while (end < line.length && line[end] != ' ' && line[end] != 0x1d) {
            end++;
        }
        pos[0] = end;
        Encoding e;
        if (end == p) {
            e = Encoding.EMPTY;
        } else if (startsWith(line, p, "(null)") && end - p == 6) {
            e = Encoding.NULL;
        } else if (line[p] == '?' && end - p == 1) {
            e = Encoding.UNSET;
        } else {
            e = hexIfBare ? Encoding.HEX : Encoding.BARE;
        }
        return new Value.Token(line, p, end - p, e);
    }

    private static boolean isArgument(String key) {
        return key.matches("a[0-9]+(\\[[0-9]+])?");
    }

    private static int indexOf(byte[] line, int from, byte b) {
        for (int i = from; i < line.length; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated value in " + new String(line, StandardCharsets.UTF_8));
    }

    private static String word(byte[] line, int[] pos) {
        int start = pos[0];
        while (pos[0] < line.length && line[pos[0]] != ' ') {
            pos[0]++;
        }
        return new String(line, start, pos[0] - start, StandardCharsets.UTF_8);
    }

    private static long number(byte[] line, int[] pos, char end) {
        long n = 0;
        int start = pos[0];
        while (line[pos[0]] != end) {
            int d = line[pos[0]++] - '0';
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("bad number at " + start);
            }
            n = n * 10 + d;
        }
        pos[0]++;
        return n;
    }

    private static void expect(byte[] line, int[] pos, String s) {
        if (!startsWith(line, pos[0], s)) {
            throw new IllegalArgumentException("expected " + s + " at " + pos[0] + " in "
                    + new String(line, StandardCharsets.UTF_8));
        }
        pos[0] += s.length();
    }

    private static boolean startsWith(byte[] line, int at, String s) {
        if (at + s.length() > line.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (line[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
