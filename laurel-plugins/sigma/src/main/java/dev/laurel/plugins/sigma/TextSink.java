package dev.laurel.plugins.sigma;

import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;

/**
 * Where the text of a field is written, piece by piece: a {@link StringBuilder} when a rule
 * compares the text, or a {@link LiteralSearch.Scan} that reads it where it lies, without a
 * String made of it. One writer serves both, so the search reads exactly the text the rules
 * compare.
 */
interface TextSink {

    void chars(String s);

    /** A non-negative number in decimal. */
    default void number(int n) {
        chars(Integer.toString(n));
    }

    /** Decoded bytes (UTF-8) {@code b[from, to)}. */
    void bytes(byte[] b, int from, int to);

    /**
     * Writes field {@code i} of the record as {@link #value} does, from the record's line where
     * the value is still the token parsed (no Token made).
     */
    default boolean field(Record r, int i) {
        Encoding e = Records.tokenEncoding(r, i);
        if (e == null || e == Encoding.HEX || e == Encoding.NULL || e == Encoding.UNSET) {
            return value(r.value(i));
        }
        int from = Records.tokenOffset(r, i);
        bytes(r.line(), from, from + Records.tokenLength(r, i));
        return true;
    }

    /**
     * Writes the value's text as {@link FieldSource#text} gives it: {@code false}, and nothing
     * written, if that is {@code null} (an absent value, auditd's {@code (null)}).
     */
    default boolean value(Value v) {
        return write(v) >= 0;
    }

    /** {@link #value}: -1 for no text, 0 for the empty text, 1 for text written. */
    private int write(Value v) {
        if (v instanceof Value.Token t) {
            if (t.encoding() == Encoding.NULL || t.encoding() == Encoding.UNSET) {
                return -1;
            }
            if (t.encoding() == Encoding.HEX) {
                byte[] d = t.decoded();
                bytes(d, 0, d.length);
                return d.length > 0 ? 1 : 0;
            }
            bytes(t.bytes(), t.offset(), t.offset() + t.length());
            return t.length() > 0 ? 1 : 0;
        }
        if (v instanceof Value.Text t) {
            bytes(t.bytes(), 0, t.bytes().length);
            return t.bytes().length > 0 ? 1 : 0;
        }
        if (v instanceof Value.ListValue l) {
            // the items that have text, joined by spaces, none before the first non-empty one
            boolean written = false;
            for (Value item : l.items()) {
                if (written) {
                    if (hasText(item)) {
                        chars(" ");
                        write(item);
                    }
                } else {
                    written = write(item) > 0;
                }
            }
            return written ? 1 : 0;
        }
        String s = FieldSource.text(v);
        if (s == null) {
            return -1;
        }
        chars(s);
        return s.isEmpty() ? 0 : 1;
    }

    private static boolean hasText(Value v) {
        return v instanceof Value.Token t ? t.encoding() != Encoding.NULL && t.encoding() != Encoding.UNSET
                : v instanceof Value.Text || v instanceof Value.ListValue || FieldSource.text(v) != null;
    }

    /** Collects the text in a StringBuilder, as {@link FieldSource#text} would give it. */
    final class Builder implements TextSink {
        final StringBuilder sb = new StringBuilder();

        @Override
        public void chars(String s) {
            sb.append(s);
        }

        @Override
        public void number(int n) {
            sb.append(n);
        }

        @Override
        public void bytes(byte[] b, int from, int to) {
            sb.append(new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Collects the text's UTF-8 bytes, compactly: a process's command line kept for its children. */
    final class Bytes implements TextSink {
        private byte[] buf = new byte[256];
        private int size;

        @Override
        public void chars(String s) {
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            bytes(b, 0, b.length);
        }

        @Override
        public void bytes(byte[] b, int from, int to) {
            int n = to - from;
            if (size + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(2 * buf.length, size + n));
            }
            System.arraycopy(b, from, buf, size, n);
            size += n;
        }

        /** The bytes written since the last call, and starts again. */
        byte[] take() {
            byte[] out = java.util.Arrays.copyOf(buf, size);
            size = 0;
            return out;
        }
    }
}
