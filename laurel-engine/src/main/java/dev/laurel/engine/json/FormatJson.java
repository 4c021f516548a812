package dev.laurel.engine.json;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventJson;
import dev.laurel.api.Format;
import dev.laurel.api.Record;
import dev.laurel.api.Value;
import dev.laurel.api.internal.JsonFragment;
import dev.laurel.api.internal.RecordFieldsJson;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a {@link Format} other than the engine's own {@code laurel} fast path: the
 * {@link EventJson} it writes to, over a reused {@link JsonBuffer}, with an {@link EventEncoder}
 * of its own for {@link #fieldValue} and {@link #value}, so that values are written exactly as
 * the laurel format writes them.
 *
 * <pre>{@code
 * FormatJson ecs = new FormatJson(ecsFormat, "ecs");
 * ecs.encode(event, out);   // {"@timestamp":"...","event":{...},...}
 * }</pre>
 *
 * <p>Not thread-safe: one per format in use, on the chain's thread.
 */
public final class FormatJson implements EventJson, RecordFieldsJson, JsonFragment.Writer {
    private final Format format;
    private final String name;
    private final JsonBuffer gen = new JsonBuffer();
    private final EventEncoder values = new EventEncoder(gen);
    /** The formats' keys, encoded once per name; bounded (see {@link FieldNames}). */
    private final FieldNames keys = new FieldNames(false, () -> { });
    private static final int KEY_SLOTS = 1024;
    /** Short string values last written in each slot of a direct-mapped table ({@link #string(String)}), and their bytes. */
    private final String[] valueNames = new String[KEY_SLOTS];
    private final byte[][] valueBytes = new byte[KEY_SLOTS][];
    /** The key last written, whose {@link FieldNames.Name#value} {@link #string(String)} tries first. */
    private FieldNames.Name lastKey;
    /** Objects and arrays open, to tell a format that left its JSON unfinished. */
    private int depth;

    /** Writes events with {@code format}, called {@code name} in error messages ("format ecs (sink ...)"). */
    public FormatJson(Format format, String name) {
        this.format = format;
        this.name = name;
    }

    /** Writes {@code event} in this format to {@code out}, without a trailing newline. */
    public void encode(AuditEvent event, OutputStream out) throws IOException {
        gen.reset();
        depth = 0;
        if (format instanceof LaurelFormat) {
            values.encodeInto(event);
        } else {
            values.forgetRecord();
            try {
                format.encode(event, this);
            } finally {
                values.forgetRecord();
            }
            if (depth != 0 || gen.size() == 0) {
                throw new IllegalStateException(name + " left the JSON of event " + event.id()
                        + (gen.size() == 0 ? " empty" : " with " + depth + " objects or arrays open"));
            }
        }
        gen.writeTo(out);
    }

    /** {@code event} in this format as bytes; for tests and tools. */
    public byte[] encode(AuditEvent event) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        encode(event, out);
        return out.toByteArray();
    }

    /** Writes {@code event} in the laurel format here: what {@link LaurelFormat} does when a format asks it. */
    void encodeLaurel(AuditEvent event) {
        values.encodeInto(event);
    }

    @Override
    public void startObject() {
        depth++;
        gen.startObject();
    }

    @Override
    public void endObject() {
        depth--;
        gen.endObject();
    }

    @Override
    public void startArray() {
        depth++;
        gen.startArray();
    }

    @Override
    public void endArray() {
        depth--;
        gen.endArray();
    }

    @Override
    public void key(String key) {
        // FieldNames.name's guess, written here, and the key's bytes written by JsonBuffer.name
        // inlined here: formats write their constant keys in much the same order event after
        // event, so the guess finds most with one compare. C1 (laurel's compiler) inlines this
        // method's callees only while it is too large to be inlined into its callers itself
        // (C1's limit shrinks with depth): as a 26-byte method it was, and each key cost a call to
        // FieldNames.name and one to JsonBuffer.name, a tenth of the ecs and ocsf formats' CPU.
        FieldNames names = keys;
        FieldNames.Name guess = names.lastName.next;
        FieldNames.Name n;
        if (guess != null && guess.name == key) {
            names.lastName = guess;
            n = guess;
        } else {
            n = names.name(key);
        }
        lastKey = n;
        gen.name(n.key);
    }

    @Override
    public void string(String text) {
        // constant values ("success", "process") come again and again, mostly after the same key:
        // the value last written after this key first (one compare), then their bytes by instance
        FieldNames.Name after = lastKey;
        if (after != null && after.value == text) {
            byte[] b = after.valueBytes;
            gen.string(b, 0, b.length);
            return;
        }
        int h = text.hashCode();
        int slot = (h ^ (h >>> 12)) & (KEY_SLOTS - 1);
        byte[] b = valueNames[slot] == text ? valueBytes[slot] : jsonInside(text);
        if (text.length() <= 64) {
            valueNames[slot] = text;
            valueBytes[slot] = b;
            if (after != null) {
                after.value = text;
                after.valueBytes = b;
            }
        }
        gen.string(b, 0, b.length);
    }

    /** The inside of the JSON string for {@code text}: UTF-8 with {@code "}, {@code \\} and control characters escaped. */
    private static byte[] jsonInside(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return escapedText(text);
            }
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Text with characters JSON escapes: {@code \"}, {@code \\}, {@code \\u00XX}; lone surrogates become '?'. */
    private static byte[] escapedText(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void string(byte[] utf8, int offset, int length) {
        gen.percentString(utf8, offset, length);
    }

    @Override
    public void number(long n) {
        gen.number(n);
    }

    @Override
    public void bool(boolean b) {
        gen.bool(b);
    }

    @Override
    public void nullValue() {
        gen.nullValue();
    }

    @Override
    public void fieldValue(Record record, int i) {
        values.writeFieldValue(record, i);
    }

    @Override
    public void fields(Record record, String[] keys, long skip) {
        values.writeFields(record, keys, skip);
    }

    @Override
    public void value(Value v) {
        values.writeValue(v);
    }

    /**
     * A fragment's JSON as this writer writes it: without the comma that was due before it,
     * whether one is due after it, and how many objects and arrays it leaves open (or closes).
     * Every FormatJson writes the same calls the same way, so one is kept per fragment.
     */
    private record Made(byte[] json, boolean commaAfter, int depthChange) {
    }

    @Override
    public void fragment(JsonFragment fragment) {
        if (fragment.made() instanceof Made m) {
            gen.fragment(m.json, m.commaAfter);
            depth += m.depthChange;
            lastKey = null;     // the value cache's hint: no key of this writer's came last
            return;
        }
        // the first time: the calls write here, and their bytes are kept
        int start = gen.size();
        boolean comma = gen.needsComma();
        int depthBefore = depth;
        fragment.replay(this);
        int from = comma && gen.size() > start && gen.at(start) == ',' ? start + 1 : start;
        fragment.keep(new Made(gen.written(from), gen.needsComma(), depth - depthBefore));
    }

    @Override
    public String toString() {
        return "FormatJson{" + name + "}";
    }
}
