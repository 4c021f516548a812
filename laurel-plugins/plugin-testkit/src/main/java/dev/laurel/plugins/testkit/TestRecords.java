package dev.laurel.plugins.testkit;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records and events built from audit lines for tests, by a deliberately small tokenizer (the
 * engine's line parser is the real one): {@code name=value} fields, double or single quotes,
 * braces, {@code (null)}, {@code ?}, hex for the fields auditd hex-encodes, and the 0x1D byte
 * (or the text {@code \x1d}) before the ENRICHED fields. An event's EXECVE {@code a0..aN} become
 * one {@code ARGV} list, as the engine's assembler gives them.
 */
public final class TestRecords {
    private static final Set<String> HEX_FIELDS = Set.of("cwd", "name", "exe", "comm", "proctitle", "key");

    private TestRecords() {
    }

    /** One event from its lines (all with the same {@code msg=audit(...)} id). */
    public static AuditEvent event(String... lines) {
        AuditEvent event = null;
        for (String line : lines) {
            byte[] b = line.replace("\\x1d", "\u001d").getBytes(StandardCharsets.UTF_8);
            int[] pos = {0};
            RecordType type = RecordType.named(word(b, pos, "type=", ' '));
            EventId id = eventId(word(b, pos, "msg=audit(", ')'));
            pos[0] += 2;    // "): "
            if (event == null) {
                event = new AuditEvent(id, null);
            }
            Record r = new Record(type, b);
            fields(r, b, pos[0]);
            event.records().add(type == RecordType.EXECVE ? execve(r, b) : r);
        }
        return event;
    }

    /** One record from one line. */
    public static Record record(String line) {
        return event(line).records().get(0);
    }

    /** A token as the parser makes it ({@code written} as auditd wrote it), for hand-built values. */
    public static Value.Token token(String written, Encoding encoding) {
        return new Value.Token(written.getBytes(StandardCharsets.ISO_8859_1), encoding);
    }

    private static String word(byte[] b, int[] pos, String prefix, char end) {
        String s = new String(b, pos[0], b.length - pos[0], StandardCharsets.UTF_8);
        if (!s.startsWith(prefix)) {
            throw new IllegalArgumentException("expected " + prefix + " in " + s);
        }
        int stop = s.indexOf(end, prefix.length());
        String w = s.substring(prefix.length(), stop);
        pos[0] += stop + 1;
        return w;
    }

    private static EventId eventId(String s) {
        int dot = s.indexOf('.');
        int colon = s.indexOf(':');
        return new EventId(Long.parseLong(s.substring(0, dot)), Integer.parseInt(s.substring(dot + 1, colon)),
                Long.parseLong(s.substring(colon + 1)));
    }

    private static void fields(Record r, byte[] b, int i) {
        while (i < b.length) {
            if (b[i] == ' ') {
                i++;
                continue;
            }
            if (b[i] == 0x1d) {
                Records.markEnrichedStart(r);
                i++;
                continue;
            }
            int eq = i;
            while (eq < b.length && b[eq] != '=') {
                eq++;
            }
            String name = new String(b, i, eq - i, StandardCharsets.UTF_8);
            int v = eq + 1;
            int end;
            Value value;
            if (v < b.length && (b[v] == '"' || b[v] == '\'')) {
                end = v + 1;
                while (b[end] != b[v]) {
                    end++;
                }
                value = new Value.Token(b, v + 1, end - v - 1,
                        b[v] == '"' ? Encoding.DOUBLE_QUOTED : Encoding.SINGLE_QUOTED);
                end++;
            } else if (v < b.length && b[v] == '{') {
                end = v;
                while (b[end] != '}') {
                    end++;
                }
                end++;
                value = new Value.Token(b, v, end - v, Encoding.BRACED);
            } else {
                end = v;
                while (end < b.length && b[end] != ' ' && b[end] != 0x1d) {
                    end++;
                }
                value = new Value.Token(b, v, end - v, bareEncoding(name, b, v, end));
            }
            r.add(name, value);
            i = end;
        }
    }

    private static Encoding bareEncoding(String name, byte[] b, int from, int to) {
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
        boolean hexField = HEX_FIELDS.contains(name) || name.matches("a\\d+");
        if (hexField && s.length() % 2 == 0 && s.matches("[0-9A-F]+")) {
            return Encoding.HEX;
        }
        return Encoding.BARE;
    }

    private static Record execve(Record raw, byte[] line) {
        Record r = new Record(RecordType.EXECVE, line);
        List<Value> argv = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String n = raw.name(i);
            if (n.matches("a\\d+")) {
                argv.add(raw.value(i));
            } else {
                r.add(n, raw.value(i));
            }
        }
        r.add("ARGV", Value.list(argv));
        return r;
    }
}
