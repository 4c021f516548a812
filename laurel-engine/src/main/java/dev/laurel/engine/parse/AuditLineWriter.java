package dev.laurel.engine.parse;

import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.Value;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a record back as one auditd line (without the newline), the inverse of
 * {@link LineParser}: {@code node=NAME type=TYPE msg=audit(SEC.MSEC:SERIAL): key=value ...},
 * each parsed value in the encoding it was read in, and the ENRICHED fields after a 0x1D byte.
 * {@code parser.parse(writer.write(r))} gives a record equal to {@code r}.
 *
 * <p>Parsed values come out byte for byte; values that enrichers set are written the way auditd
 * would: text quoted (or hex if it holds a space, a quote or a control byte), numbers in their
 * radix without prefix, {@code null} as {@code (null)}, lists and objects braced. Used for
 * tests and error reports, not on the hot path.
 *
 * <pre>{@code
 * byte[] line = new AuditLineWriter().write(parsed);   // "type=PATH msg=audit(...): item=0 ..."
 * }</pre>
 */
public final class AuditLineWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /** The line for {@code r}. */
    public byte[] write(ParsedRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(r, out);
        return out.toByteArray();
    }

    /** The line for {@code r}, as a String (ISO-8859-1, so every byte shows), for messages. */
    public String toString(ParsedRecord r) {
        return new String(write(r), StandardCharsets.ISO_8859_1);
    }

    /** Appends the line for {@code r} to {@code out}. */
    public void write(ParsedRecord r, ByteArrayOutputStream out) {
        int start = out.size();
        writeFields(r, out);
        int n = out.size();
        if (n > start) {
            byte last = out.toByteArray()[n - 1];
            if (last == '\r' || last == '\n') {
                // the parser drops a line's trailing CR and LF; a space keeps them in the value
                out.write(' ');
            }
        }
    }

    private void writeFields(ParsedRecord r, ByteArrayOutputStream out) {
        Record rec = r.record();
        if (r.node() != null) {
            ascii(out, "node=");
            name(out, r.node());
            out.write(' ');
        }
        ascii(out, "type=");
        ascii(out, rec.type().name());
        ascii(out, " msg=audit(");
        ascii(out, eventId(r.id()));
        ascii(out, "):");
        int enriched = rec.enrichedFrom();
        for (int i = 0; i < enriched; i++) {
            out.write(' ');
            field(out, rec.name(i), rec.value(i), true);
        }
        if (enriched < rec.size()) {
            out.write(0x1d);
            for (int i = enriched; i < rec.size(); i++) {
                if (i > enriched) {
                    out.write(' ');
                }
                field(out, rec.name(i), rec.value(i), false);
            }
        }
    }

    private static String eventId(EventId id) {
        return id.toString();
    }

    private static void field(ByteArrayOutputStream out, String name, Value v, boolean body) {
        if (v instanceof Value.Token t) {
            switch (t.encoding()) {
                case NULL -> {
                    if (t.length() == 0) {   // a word without '=' (netlabel:, policy loaded)
                        name(out, name);
                        return;
                    }
                }
                case BRACED -> {
                    if (body && (name.equals("denied") || name.equals("granted"))) {
                        ascii(out, "avc:  ");
                        name(out, name);
                        ascii(out, "  ");
                        out.write(t.bytes(), t.offset(), t.length());
                        ascii(out, " for ");
                        return;
                    }
                }
                default -> {
                }
            }
            name(out, name);
            out.write('=');
            token(out, t);
            return;
        }
        name(out, name);
        out.write('=');
        value(out, v);
    }

    private static void token(ByteArrayOutputStream out, Value.Token t) {
        switch (t.encoding()) {
            case DOUBLE_QUOTED -> quoted(out, '"', t);
            case SINGLE_QUOTED -> quoted(out, '\'', t);
            case NULL -> ascii(out, "(null)");
            case UNSET -> out.write('?');
            case EMPTY -> {
            }
            default -> out.write(t.bytes(), t.offset(), t.length());   // BARE, HEX, BRACED
        }
    }

    private static void quoted(ByteArrayOutputStream out, char q, Value.Token t) {
        out.write(q);
        out.write(t.bytes(), t.offset(), t.length());
        out.write(q);
    }

    private static void value(ByteArrayOutputStream out, Value v) {
        if (v instanceof Value.Text t) {
            text(out, t.bytes());
        } else if (v instanceof Value.Number n) {
            String digits = switch (n.radix()) {
                case DEC -> Long.toString(n.value());
                case HEX -> Long.toHexString(n.value());
                case OCT -> Long.toOctalString(n.value());
            };
            ascii(out, digits);
        } else if (v instanceof Value.ListValue l) {
            ascii(out, "{");
            for (Value item : l.items()) {
                out.write(' ');
                value(out, item);
            }
            ascii(out, " }");
        } else if (v instanceof Value.ObjectValue o) {
            ascii(out, "{");
            for (Map.Entry<String, Value> e : o.fields().entrySet()) {
                out.write(' ');
                name(out, e.getKey());
                out.write('=');
                value(out, e.getValue());
            }
            ascii(out, " }");
        } else if (v instanceof Value.Token t) {
            token(out, t);
        } else {
            ascii(out, "(null)");
        }
    }

    /** Text as auditd writes an untrusted string: quoted if it can be, else hex. */
    private static void text(ByteArrayOutputStream out, byte[] b) {
        boolean plain = true;
        for (byte c : b) {
            if (c == '"' || c <= ' ' || c == 0x7f) {
                plain = false;
                break;
            }
        }
        if (plain) {
            out.write('"');
            out.write(b, 0, b.length);
            out.write('"');
            return;
        }
        for (byte c : b) {
            out.write(HEX[(c >> 4) & 0xf]);
            out.write(HEX[c & 0xf]);
        }
    }

    private static void name(ByteArrayOutputStream out, String name) {
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        out.write(b, 0, b.length);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }
}
