package dev.laurel.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of a field. Parsed records hold {@link Token}s, exactly as auditd wrote them;
 * enrichers replace or add fields with the other kinds.
 *
 * <pre>{@code
 * Value v = record.get("comm");                         // Token "perl", DOUBLE_QUOTED
 * record.set("comm", Value.text("perl"));                // decoded text
 * record.set("ARGV", Value.list(List.of(Value.text("ls"), Value.text("-l"))));
 * event.put("PARENT_INFO", Value.object(Map.of("comm", Value.text("bash"))));
 * }</pre>
 */
public sealed interface Value permits Value.Token, Value.Text, Value.Number, Value.Null,
        Value.ListValue, Value.ObjectValue {

    /** The JSON {@code null}. */
    Null NULL = new Null();

    /** Decoded text: arbitrary bytes (not necessarily UTF-8), written as a JSON string. */
    static Text text(byte[] bytes) {
        return new Text(bytes);
    }

    /** Decoded text from a Java string, stored as UTF-8. */
    static Text text(String s) {
        return new Text(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A decimal JSON number. */
    static Number number(long n) {
        return new Number(n, Radix.DEC);
    }

    /** A list, kept in order. */
    static ListValue list(List<? extends Value> items) {
        return new ListValue(List.copyOf(items));
    }

    /** A nested object, keys in the map's iteration order. */
    static ObjectValue object(Map<String, ? extends Value> fields) {
        return new ObjectValue(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
    }

    /**
     * The field exactly as auditd wrote it: {@code bytes[offset, offset+length)} is the value
     * without its quotes (hex digits for {@link Encoding#HEX}). The bytes are shared with the
     * record's line and must not be modified.
     */
    record Token(byte[] bytes, int offset, int length, Encoding encoding) implements Value {
        /** A token over a whole array. */
        public Token(byte[] bytes, Encoding encoding) {
            this(bytes, 0, bytes.length, encoding);
        }

        /** The bytes as written (hex digits for HEX), copied. */
        public byte[] raw() {
            return Arrays.copyOfRange(bytes, offset, offset + length);
        }

        /** The raw bytes as a string (ISO-8859-1 for hex and ASCII, UTF-8 otherwise). */
        public String rawString() {
            return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }

        /**
         * The value's bytes after auditd's encoding is undone: hex decoded, quotes removed.
         * {@code null} for {@link Encoding#NULL}, {@link Encoding#UNSET}; malformed hex (odd
         * length or a non-hex digit) is returned as written.
         */
        public byte[] decoded() {
            return decoded(bytes, offset, length, encoding);
        }

        /** {@link #decoded()} of the token {@code b[offset, offset+length)} written {@code encoding}. */
        static byte[] decoded(byte[] b, int offset, int length, Encoding encoding) {
            if (encoding == Encoding.NULL || encoding == Encoding.UNSET) {
                return null;
            }
            if (encoding == Encoding.HEX) {
                byte[] out = Hex.decode(b, offset, length);
                if (out != null) {
                    return out;
                }
            }
            return Arrays.copyOfRange(b, offset, offset + length);
        }

        /** Whether the token is the given ASCII text, e.g. {@code token.is("yes")}. */
        public boolean is(String ascii) {
            return is(bytes, offset, length, ascii);
        }

        /** Whether {@code b[offset, offset+length)} is the given ASCII text. */
        static boolean is(byte[] b, int offset, int length, String ascii) {
            if (ascii.length() != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (b[offset + i] != ascii.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Token t && t.encoding == encoding
                    && Arrays.equals(bytes, offset, offset + length, t.bytes, t.offset, t.offset + t.length);
        }

        @Override
        public int hashCode() {
            int h = encoding.hashCode();
            for (int i = offset; i < offset + length; i++) {
                h = 31 * h + bytes[i];
            }
            return h;
        }

        @Override
        public String toString() {
            return encoding + ":" + rawString();
        }
    }

    /** Decoded text; any bytes. The JSON encoder escapes what is not printable UTF-8. */
    record Text(byte[] bytes) implements Value {
        /** The text decoded as UTF-8 (malformed bytes replaced). */
        public String asString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Text t && Arrays.equals(bytes, t.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return asString();
        }
    }

    /** How a number is written: a JSON number, or a {@code "0x.."} / {@code "0o.."} string. */
    enum Radix { DEC, HEX, OCT }

    /**
     * A number. {@link Radix#DEC} is signed; HEX and OCT are unsigned 64-bit, as the kernel
     * prints them.
     */
    record Number(long value, Radix radix) implements Value {
    }

    /** The JSON {@code null}, for {@code (null)} and {@code ?}. Use {@link Value#NULL}. */
    record Null() implements Value {
    }

    /** An ordered list of values, such as {@code ARGV}. */
    record ListValue(List<Value> items) implements Value {
    }

    /** A nested object, such as {@code PARENT_INFO}. */
    record ObjectValue(Map<String, Value> fields) implements Value {
    }
}
