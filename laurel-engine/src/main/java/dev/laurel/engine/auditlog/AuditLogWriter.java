package dev.laurel.engine.auditlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.laurel.api.RecordType;
import dev.laurel.engine.json.PercentCodec;
import dev.laurel.engine.parse.FieldKind;
import dev.laurel.engine.parse.FieldKinds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns one event of laurel's JSON Lines (LAUREL's layout) back into the audit.log lines auditd
 * wrote, for {@code ausearch} and {@code aureport}, as LAUREL's {@code laurel2audit} does:
 * <ul>
 *   <li>one line per record, {@code type=T msg=audit(ID): name=value ...}, with {@code node=N}
 *       first when the event has a {@code NODE}, and a {@code type=EOE} line after each event;</li>
 *   <li>enriched (upper-case) keys are left out, and so are enrichers' top-level keys; LAUREL's
 *       own transforms are undone: {@code SYSCALL.ARGV} gives {@code a0}..{@code a3},
 *       {@code EXECVE.ARGV} gives {@code a0}..{@code aN} on one line (or, without it, the lossy
 *       {@code ARGV_STR} split at spaces), {@code PROCTITLE.ARGV} gives {@code proctitle};</li>
 *   <li>percent-encoded bytes are restored ({@link PercentCodec#decode}), which LAUREL's tool
 *       does not do;</li>
 *   <li>strings are written as auditd writes them: the fields the kernel logs as untrusted
 *       strings ({@code comm}, {@code exe}, {@code name}, {@code a0} of EXECVE, ...) double-quoted,
 *       or in upper-case hex when they hold a byte outside {@code 0x21}..{@code 0x7e} or a
 *       {@code "}; other strings bare; {@code "0x.."} and {@code "0o.."} numbers in auditd's hex
 *       and octal; {@code null} as {@code (null)}; a user-space record's {@code msg} in single
 *       quotes.</li>
 * </ul>
 *
 * <pre>{@code
 * AuditLogWriter w = new AuditLogWriter();
 * w.write("{\"ID\":\"1.000:7\",\"CWD\":{\"cwd\":\"/tmp\"}}".getBytes(UTF_8), out);
 * // type=CWD msg=audit(1.000:7): cwd="/tmp"
 * // type=EOE msg=audit(1.000:7):
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class AuditLogWriter {
    /** Fields the kernel writes with audit_log_untrustedstring: quoted, or hex when unsafe. */
    private static final Set<String> UNTRUSTED = Set.of("comm", "exe", "name", "cwd", "key", "ocomm", "path",
            "watch", "dir", "file", "data", "proctitle", "saddr", "cmd", "acct", "old", "new", "root_dir");
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private final JsonFactory json = new JsonFactory();
    private final ByteArrayOutputStream lines = new ByteArrayOutputStream(4096);

    /** A line that is not one of laurel's JSON events; the message says what is wrong. */
    public static final class NotAnEvent extends Exception {
        NotAnEvent(String message) {
            super(message);
        }
    }

    /**
     * Writes the audit.log lines of one JSON event ({@code line}, without its newline; anything
     * before the first {@code {}, such as a sink's line prefix, is skipped) and its EOE line.
     * Nothing is written for a line that is not an event.
     *
     * @return the number of records written, EOE not counted
     */
    public int write(byte[] line, int offset, int length, OutputStream out) throws IOException, NotAnEvent {
        int start = offset;
        int end = offset + length;
        while (start < end && line[start] != '{') {
            start++;
        }
        if (start == end) {
            throw new NotAnEvent("no JSON object");
        }
        String id = null;
        byte[] node = null;
        List<RecordType> types = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        try (JsonParser p = json.createParser(line, start, end - start)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (key.equals("ID") && t == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else if (key.equals("NODE") && t == JsonToken.VALUE_STRING) {
                    node = bytes(p.getText());
                } else if (recordType(key) != null && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
                    RecordType type = recordType(key);
                    if (t == JsonToken.START_OBJECT) {
                        types.add(type);
                        bodies.add(record(type, p));
                    } else {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            types.add(type);
                            bodies.add(record(type, p));
                        }
                    }
                } else {
                    p.skipChildren();   // an enricher's top-level key: not from auditd
                }
            }
        } catch (JsonProcessingException e) {
            throw new NotAnEvent("not JSON at column " + (e.getLocation() == null ? "?"
                    : String.valueOf(e.getLocation().getColumnNr() + start - offset)));
        }
        if (id == null || !isEventId(id)) {
            throw new NotAnEvent(id == null ? "no \"ID\"" : "\"ID\" is not SECONDS.MILLIS:SERIAL");
        }
        lines.reset();
        for (int i = 0; i < types.size(); i++) {
            header(node, types.get(i).name(), id);
            lines.write(bodies.get(i));
            lines.write('\n');
        }
        header(node, "EOE", id);
        lines.write('\n');
        lines.writeTo(out);
        return types.size();
    }

    private void header(byte[] node, String type, String id) {
        if (node != null) {
            lines.writeBytes(bytes("node="));
            lines.writeBytes(node);
            lines.write(' ');
        }
        lines.writeBytes(bytes("type=" + type + " msg=audit(" + id + "):"));
    }

    private static boolean isEventId(String id) {
        int dot = id.indexOf('.');
        int colon = id.indexOf(':');
        return dot > 0 && colon > dot + 1 && colon < id.length() - 1
                && id.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.' || c == ':');
    }

    /** The record type a top-level key names, or null for an enricher's key. */
    private static RecordType recordType(String key) {
        RecordType t = RecordType.named(key);
        if (t != null) {
            return t;
        }
        if (key.startsWith("UNKNOWN[") && key.endsWith("]")) {
            try {
                return RecordType.of(Integer.parseInt(key.substring(8, key.length() - 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The fields of one record object, each as {@code " name=value"}; the parser is at its start. */
    private byte[] record(RecordType type, JsonParser p) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        boolean execveArgs = false;
        List<byte[]> argvStr = null;
        ByteArrayOutputStream syscallArgs = null;
        int afterExit = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if (Character.isUpperCase(key.charAt(0))) {
                if (key.equals("ARGV") && t == JsonToken.START_ARRAY) {
                    List<byte[]> args = strings(p);
                    if (type.equals(RecordType.SYSCALL)) {
                        syscallArgs = new ByteArrayOutputStream(64);
                        for (int i = 0; i < args.size(); i++) {
                            field(syscallArgs, "a" + i, hexNumber(args.get(i)));
                        }
                    } else if (type.equals(RecordType.EXECVE)) {
                        execveArgs = true;
                        execveArgs(body, args);
                    } else if (type.equals(RecordType.PROCTITLE)) {
                        field(body, "proctitle", untrusted(joinWithNul(args)));
                    }
                } else if (key.equals("ARGV_STR") && t == JsonToken.VALUE_STRING && type.equals(RecordType.EXECVE)) {
                    argvStr = new ArrayList<>();
                    for (String s : p.getText().split(" ", -1)) {
                        argvStr.add(PercentCodec.decode(bytes(s)));
                    }
                } else {
                    p.skipChildren();    // enriched: not what auditd wrote
                }
                continue;
            }
            switch (t) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                    field(body, key, bytes(p.getText()));
                    if (key.equals("exit")) {
                        afterExit = body.size();
                    }
                }
                case VALUE_NULL -> field(body, key, bytes("(null)"));
                case VALUE_STRING -> field(body, key, string(type, key, PercentCodec.decode(bytes(p.getText()))));
                default -> p.skipChildren();    // no field auditd writes is a list or an object
            }
        }
        if (!execveArgs && argvStr != null) {
            execveArgs(body, argvStr);   // lossy: a space inside an argument became a separator
        }
        byte[] fields = body.toByteArray();
        if (syscallArgs == null) {
            return fields;
        }
        // a0..a3 where auditd writes them, after exit: aureport's key report finds key only after them
        int at = afterExit >= 0 ? afterExit : fields.length;
        ByteArrayOutputStream ordered = new ByteArrayOutputStream(fields.length + syscallArgs.size());
        ordered.write(fields, 0, at);
        syscallArgs.writeTo(ordered);
        ordered.write(fields, at, fields.length - at);
        return ordered.toByteArray();
    }

    private static void execveArgs(ByteArrayOutputStream body, List<byte[]> args) {
        for (int i = 0; i < args.size(); i++) {
            field(body, "a" + i, untrusted(args.get(i)));
        }
    }

    private static List<byte[]> strings(JsonParser p) throws IOException {
        List<byte[]> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (t == JsonToken.VALUE_STRING) {
                out.add(PercentCodec.decode(bytes(p.getText())));
            } else if (t.isScalarValue()) {
                out.add(bytes(p.getText()));
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    private static void field(ByteArrayOutputStream body, String key, byte[] value) {
        body.write(' ');
        body.writeBytes(bytes(key));
        body.write('=');
        body.writeBytes(value);
    }

    /** A string value as auditd writes this field. */
    private static byte[] string(RecordType type, String key, byte[] value) {
        FieldKind kind = FieldKinds.of(type, key);
        if (kind == FieldKind.HEX && startsWith(value, "0x")) {
            return hexNumber(value);
        }
        if (kind == FieldKind.OCT && startsWith(value, "0o")) {
            byte[] out = new byte[value.length - 1];
            out[0] = '0';
            System.arraycopy(value, 2, out, 1, value.length - 2);
            return out;
        }
        if (key.equals("msg") && type.isUserSpace()) {
            return concat(new byte[] {'\''}, value, new byte[] {'\''});
        }
        if (UNTRUSTED.contains(key) || (type.equals(RecordType.EXECVE) && isArgName(key))) {
            return untrusted(value);
        }
        if (value.length > 0 && safe(value)) {
            return value;
        }
        return printableOrSpace(value) ? concat(new byte[] {'"'}, value, new byte[] {'"'}) : hex(value);
    }

    /** {@code "0x1f"} as {@code 1f}, as auditd writes hex numbers. */
    private static byte[] hexNumber(byte[] value) {
        if (!startsWith(value, "0x")) {
            return value;
        }
        byte[] out = new byte[value.length - 2];
        System.arraycopy(value, 2, out, 0, out.length);
        return out;
    }

    /** The kernel's rule for untrusted strings: quoted, or hex if any byte is unsafe. */
    private static byte[] untrusted(byte[] value) {
        return safe(value) ? concat(new byte[] {'"'}, value, new byte[] {'"'}) : hex(value);
    }

    /** No byte the kernel would hex-encode: all in 0x21..0x7e, none a double quote. */
    private static boolean safe(byte[] value) {
        for (byte b : value) {
            if (b < 0x21 || b > 0x7e || b == '"') {
                return false;
            }
        }
        return true;
    }

    private static boolean printableOrSpace(byte[] value) {
        for (byte b : value) {
            if (b < 0x20 || b > 0x7e || b == '"') {
                return false;
            }
        }
        return true;
    }

    private static byte[] hex(byte[] value) {
        byte[] out = new byte[value.length * 2];
        for (int i = 0; i < value.length; i++) {
            out[2 * i] = HEX[(value[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[value[i] & 0xf];
        }
        return out;
    }

    private static boolean isArgName(String key) {
        if (key.length() < 2 || key.charAt(0) != 'a') {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static byte[] joinWithNul(List<byte[]> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                out.write(0);
            }
            out.writeBytes(args.get(i));
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] value, String prefix) {
        if (value.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (value[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] out = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
