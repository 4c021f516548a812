package dev.laurel.plugins.translate;

import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds records from lines of testdata/real-enriched.log by hand, the way the line parser will:
 * quoted values DOUBLE_QUOTED, {@code (null)} NULL, {@code ?} UNSET, unquoted hex of hex-encoded
 * fields HEX, the rest BARE; after the 0x1D byte, auditd's ENRICHED fields with
 * {@link Record#markEnrichedStart()}, braced values BRACED. Only what these tests need: it does not
 * split user-space {@code msg='...'} values.
 */
final class RealLines {
    private static final Set<String> ENCODED = Set.of("saddr", "proctitle", "comm", "exe", "cwd", "name",
            "key", "path", "ocomm", "cmd");

    private RealLines() {
    }

    static Path capture() {
        return Path.of(System.getProperty("laurel.root", "../.."), "testdata", "real-enriched.log");
    }

    /** Every line of the real capture, as bytes without the newline. */
    static List<byte[]> lines() throws IOException {
        byte[] all = Files.readAllBytes(capture());
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    /** The record of one line (with its ENRICHED tail, if any). */
    static Record record(String line) {
        return record(line.getBytes(StandardCharsets.UTF_8));
    }

    static Record record(byte[] line) {
        int typeEnd = indexOf(line, (byte) ' ', 0);
        String typeName = new String(line, 5, typeEnd - 5, StandardCharsets.US_ASCII);
        RecordType type = typeName.startsWith("UNKNOWN[")
                ? RecordType.of(Integer.parseInt(typeName.substring(8, typeName.length() - 1)))
                : RecordType.named(typeName);
        Record r = new Record(type, line);
        int i = indexOf(line, (byte) ':', indexOf(line, (byte) ')', typeEnd)) + 1;
        boolean enriched = false;
        while (i < line.length) {
            byte c = line[i];
            if (c == ' ') {
                i++;
                continue;
            }
            if (c == 0x1d) {
                r.markEnrichedStart();
                enriched = true;
                i++;
                continue;
            }
            int eq = indexOf(line, (byte) '=', i);
            String name = new String(line, i, eq - i, StandardCharsets.US_ASCII);
            int v = eq + 1;
            int end;
            Value value;
            if (v < line.length && (line[v] == '"' || line[v] == '\'')) {
                end = indexOf(line, line[v], v + 1);
                value = new Value.Token(line, v + 1, end - v - 1,
                        line[v] == '"' ? Encoding.DOUBLE_QUOTED : Encoding.SINGLE_QUOTED);
                end++;
            } else if (enriched && v < line.length && line[v] == '{') {
                end = indexOf(line, (byte) '}', v) + 1;
                value = new Value.Token(line, v, end - v, Encoding.BRACED);
            } else {
                end = v;
                while (end < line.length && line[end] != ' ' && line[end] != 0x1d) {
                    end++;
                }
                value = new Value.Token(line, v, end - v, encoding(name, line, v, end));
            }
            r.add(name, value);
            i = end;
        }
        return r;
    }

    private static Encoding encoding(String name, byte[] b, int from, int to) {
        if (to == from) {
            return Encoding.EMPTY;
        }
        String s = new String(b, from, to - from, StandardCharsets.US_ASCII);
        if (s.equals("(null)")) {
            return Encoding.NULL;
        }
        if (s.equals("?")) {
            return Encoding.UNSET;
        }
        return ENCODED.contains(name) ? Encoding.HEX : Encoding.BARE;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return b.length;
    }
}
