package dev.laurel.plugins.filter;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test-only: builds events from real audit lines until the engine's line parser is merged. Knows
 * just enough of auditd's format for these tests: quoted, {@code (null)}, {@code ?}, bare and hex
 * values (the string fields are hex when not quoted); ENRICHED fields are left out; EXECVE
 * records of one event become one record with {@code argc} and an {@code ARGV} list of tokens,
 * long arguments ({@code a1_len}, {@code a1[0]}, ...) joined.
 */
final class AuditLines {
    private static final Set<String> STRING_FIELDS = Set.of("comm", "exe", "cwd", "name", "proctitle", "key",
            "saddr", "path", "ocomm", "cmd");
    private static final Map<Path, List<String>> FILES = new LinkedHashMap<>();

    private AuditLines() {
    }

    static Path root() {
        return Path.of(System.getProperty("laurel.root", "../.."));
    }

    /** The real capture's lines, read once. */
    static List<String> capture() {
        return lines(root().resolve("testdata/real-enriched.log"));
    }

    /** The event with this id from one of LAUREL's fixtures ({@code "record-connect"}). */
    static AuditEvent fixtureEvent(String fixture, String id) {
        return event(lines(root().resolve("testdata/laurel-fixtures/" + fixture + ".txt")), id);
    }

    private static synchronized List<String> lines(Path file) {
        return FILES.computeIfAbsent(file, p -> {
            try {
                return List.of(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).split("\n"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The event with this id ({@code "1795636828.087:620"}) from the capture's kernel records. */
    static AuditEvent event(String id) {
        return event(capture(), id);
    }

    private static AuditEvent event(List<String> file, String id) {
        List<String> lines = new ArrayList<>();
        String tag = "msg=audit(" + id + "):";
        for (String line : file) {
            if (line.contains(tag) && !line.startsWith("type=EOE")) {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no lines for " + id);
        }
        return event(lines);
    }

    /** An event from its lines (same id; no EOE). */
    static AuditEvent event(List<String> lines) {
        String first = lines.get(0);
        String id = first.substring(first.indexOf("audit(") + 6, first.indexOf(')'));
        int dot = id.indexOf('.');
        int colon = id.indexOf(':');
        AuditEvent event = new AuditEvent(new EventId(Long.parseLong(id.substring(0, dot)),
                Integer.parseInt(id.substring(dot + 1, colon)), Long.parseLong(id.substring(colon + 1))), null);
        Record execve = null;
        Map<Integer, Value.Token> args = new java.util.TreeMap<>();
        for (String line : lines) {
            String type = line.substring(5, line.indexOf(' '));
            if (type.equals("EXECVE")) {
                if (execve == null) {
                    execve = new Record(RecordType.EXECVE, bytes(line));
                    event.records().add(execve);
                }
                for (String[] kv : fields(line)) {
                    addArg(execve, args, kv[0], kv[1]);
                }
                continue;
            }
            Record r = new Record(RecordType.named(type), bytes(line));
            for (String[] kv : fields(line)) {
                r.add(kv[0], token(kv[1], STRING_FIELDS.contains(kv[0])));
            }
            event.records().add(r);
        }
        if (execve != null) {
            execve.add("ARGV", Value.list(new ArrayList<>(args.values())));
        }
        return event;
    }

    private static void addArg(Record execve, Map<Integer, Value.Token> args, String name, String value) {
        if (name.equals("argc")) {
            execve.add("argc", token(value, false));
            return;
        }
        if (!name.startsWith("a") || name.endsWith("_len")) {
            return;
        }
        int bracket = name.indexOf('[');
        int n = Integer.parseInt(name.substring(1, bracket < 0 ? name.length() : bracket));
        Value.Token t = token(value, true);
        Value.Token before = args.get(n);
        if (bracket >= 0 && before != null) {
            byte[] joined = new byte[before.length() + t.length()];
            System.arraycopy(before.bytes(), before.offset(), joined, 0, before.length());
            System.arraycopy(t.bytes(), t.offset(), joined, before.length(), t.length());
            t = new Value.Token(joined, before.encoding());
        }
        args.put(n, t);
    }

    static byte[] bytes(String line) {
        return line.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** name/value pairs after {@code "): "}, up to the ENRICHED separator 0x1D; quotes kept. */
    static List<String[]> fields(String line) {
        int end = line.indexOf('\u001d');
        String body = line.substring(line.indexOf("): ") + 3, end < 0 ? line.length() : end);
        List<String[]> out = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            if (body.charAt(i) == ' ') {
                i++;
                continue;
            }
            int eq = body.indexOf('=', i);
            String name = body.substring(i, eq);
            int v = eq + 1;
            int stop;
            if (v < body.length() && (body.charAt(v) == '"' || body.charAt(v) == '\'')) {
                stop = body.indexOf(body.charAt(v), v + 1) + 1;
            } else {
                stop = body.indexOf(' ', v);
                stop = stop < 0 ? body.length() : stop;
            }
            out.add(new String[] {name, body.substring(v, stop)});
            i = stop;
        }
        return out;
    }

    static Value.Token token(String written, boolean stringField) {
        if (written.equals("(null)")) {
            return new Value.Token(bytes(written), Encoding.NULL);
        }
        if (written.equals("?")) {
            return new Value.Token(bytes(written), Encoding.UNSET);
        }
        if (written.startsWith("\"")) {
            return new Value.Token(bytes(written.substring(1, written.length() - 1)), Encoding.DOUBLE_QUOTED);
        }
        if (written.startsWith("'")) {
            return new Value.Token(bytes(written.substring(1, written.length() - 1)), Encoding.SINGLE_QUOTED);
        }
        return new Value.Token(bytes(written), stringField ? Encoding.HEX : Encoding.BARE);
    }
}
