package dev.laurel.engine.json;

import dev.laurel.api.internal.EventIds;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One event's JSON, written into a reused byte array: the few structural calls the encoder
 * needs, with commas placed by one flag. Strings arrive already escaped (by {@link PercentCodec})
 * or are known to need no escaping, so nothing here looks at a string's bytes twice; this
 * replaced jackson's generator, whose per-call state checks cost a third of the encoding.
 *
 * <p>Not thread-safe; one per encoder.
 */
final class JsonBuffer {
    private static final int KEEP = 1 << 20;
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[8 * 1024];
    private int size;
    /** Whether the next value or name follows another one and so needs a comma. */
    private boolean needComma;

    /** Starts a new event. */
    void reset() {
        if (buf.length > KEEP) {
            buf = new byte[8 * 1024];   // one huge event should not pin a huge buffer forever
        }
        size = 0;
        needComma = false;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    void startObject() {
        open('{');
    }

    void endObject() {
        close('}');
    }

    void startArray() {
        open('[');
    }

    void endArray() {
        close(']');
    }

    /** A key given as {@code "name":}, quoted, escaped and with its colon (see {@link #key}). */
    void name(byte[] quotedKey) {
        int n = quotedKey.length;
        int s = beginValue(n + 1);
        System.arraycopy(quotedKey, 0, buf, s, n);
        size = s + n;
        needComma = false;
    }

    /** A string whose bytes are already the inside of a JSON string. */
    void string(byte[] inside, int off, int len) {
        int s = beginValue(len + 3);
        byte[] b = buf;
        b[s++] = '"';
        System.arraycopy(inside, off, b, s, len);
        s += len;
        b[s++] = '"';
        endValue(s);
    }

    /** Any bytes as a JSON string, escaped by {@link PercentCodec#encodeJson} straight into the buffer. */
    void percentString(byte[] src, int off, int len) {
        int s = beginValue(3 * len + 3);
        byte[] b = buf;
        b[s++] = '"';
        // most strings are plain ASCII: copy them here and call the codec (a call C1 does not
        // inline) only from the first byte that needs escaping or checking on
        byte[] actions = PercentCodec.JSON;
        int i = off;
        int end = off + len;
        while (i < end) {
            byte c = src[i];
            if (actions[c & 0xff] != PercentCodec.COPY) {
                s = PercentCodec.encodeJson(src, i, end - i, b, s);
                break;
            }
            b[s++] = c;
            i++;
        }
        b[s++] = '"';
        endValue(s);
    }

    /** A string of ASCII text that needs no escaping, such as {@code "0x1f"}. */
    void string(String ascii) {
        int len = ascii.length();
        int s = beginValue(len + 3);
        byte[] b = buf;
        b[s++] = '"';
        for (int i = 0; i < len; i++) {
            b[s++] = (byte) ascii.charAt(i);
        }
        b[s++] = '"';
        endValue(s);
    }

    /**
     * A string of UTF-8 bytes in which only {@code "} and {@code \} may need a backslash (the
     * output of {@link PercentCodec#encode}: control bytes are already percent-escaped).
     */
    void escapedString(byte[] utf8, int off, int len) {
        int s = beginValue(2 * len + 3);
        byte[] b = buf;
        b[s++] = '"';
        for (int i = off, end = off + len; i < end; i++) {
            byte c = utf8[i];
            if (c == '"' || c == '\\') {
                b[s++] = '\\';
            }
            b[s++] = c;
        }
        b[s++] = '"';
        endValue(s);
    }

    void number(long v) {
        int s = beginValue(21);
        byte[] b = buf;
        if (v == Long.MIN_VALUE) {
            System.arraycopy(MIN_LONG, 0, b, s, MIN_LONG.length);
            s += MIN_LONG.length;
        } else {
            if (v < 0) {
                b[s++] = '-';
                v = -v;
            }
            s = EventIds.digits(b, s, v);
        }
        endValue(s);
    }

    /**
     * A number given as its canonical decimal digits (no leading zeros, at most 19), with a minus
     * sign before them if {@code negative}: copied, since they are already what JSON wants.
     */
    void decimal(boolean negative, byte[] digits, int off, int len) {
        int s = beginValue(len + 2);
        byte[] b = buf;
        if (negative) {
            b[s++] = '-';
        }
        System.arraycopy(digits, off, b, s, len);
        endValue(s + len);
    }

    /**
     * The string {@code "0x.."} ({@code prefix} 'x') or {@code "0o.."} ('o') of digits already
     * checked by the caller, written in lower case: {@code digitValues} maps each byte to its
     * digit's value.
     */
    void radixString(byte prefix, byte[] digits, int off, int len, byte[] digitValues) {
        int s = beginValue(len + 5);
        byte[] b = buf;
        b[s++] = '"';
        b[s++] = '0';
        b[s++] = prefix;
        for (int i = off, end = off + len; i < end; i++) {
            b[s++] = HEX_DIGITS[digitValues[digits[i] & 0xff]];
        }
        b[s++] = '"';
        endValue(s);
    }

    void bool(boolean v) {
        int s = beginValue(6);
        byte[] lit = v ? TRUE : FALSE;
        System.arraycopy(lit, 0, buf, s, lit.length);
        endValue(s + lit.length);
    }

    void nullValue() {
        int s = beginValue(5);
        System.arraycopy(NULL, 0, buf, s, 4);
        endValue(s + 4);
    }

    /**
     * {@code name} as a key for {@link #name}: {@code "name":} in UTF-8, with {@code "} and
     * {@code \} escaped. The name must hold no control characters or lone surrogates.
     */
    static byte[] key(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[2 * utf8.length + 3];
        int o = 0;
        out[o++] = '"';
        for (byte c : utf8) {
            if (c == '"' || c == '\\') {
                out[o++] = '\\';
            }
            out[o++] = c;
        }
        out[o++] = '"';
        out[o++] = ':';
        return Arrays.copyOf(out, o);
    }

    /** Whether the next value or name follows another one and so needs a comma before it. */
    boolean needsComma() {
        return needComma;
    }

    /** The bytes written from {@code from} on. */
    byte[] written(int from) {
        return Arrays.copyOfRange(buf, from, size);
    }

    /** The byte written at {@code at}. */
    byte at(int at) {
        return buf[at];
    }

    /**
     * JSON that this buffer wrote before, copied (a format's constant part, see
     * {@link FormatJson#fragment}): the comma that is due first unless {@code json} starts by
     * closing an object or array; {@code commaAfter}: whether a comma is due after it, as it was
     * when it was written.
     */
    void fragment(byte[] json, boolean commaAfter) {
        int n = json.length;
        if (n == 0) {
            return;
        }
        int s;
        if (json[0] == '}' || json[0] == ']') {
            ensure(n);
            s = size;
        } else {
            s = beginValue(n + 1);
        }
        System.arraycopy(json, 0, buf, s, n);
        size = s + n;
        needComma = commaAfter;
    }

    /** How many bytes have been written: after {@link #startObject}, the object's {@code '{'} is at this minus one. */
    int size() {
        return size;
    }

    /**
     * Rewrites the object from {@code open} (its {@code '{'}) to the end, just closed, so that no
     * key appears twice in it: a key written more than once stays where it came first, and its
     * value becomes a list of all its values in order ({@code {"a":1,"b":2,"a":3}} becomes
     * {@code {"a":[1,3],"b":2}}); keys written once keep their values. Works on the JSON this
     * buffer wrote (escaped strings, no white space), so only keys at the object's own level count.
     * Rare (the encoder calls it only for an object it saw a key twice in), so it may allocate.
     */
    void groupRepeatedKeys(int open) {
        byte[] b = buf;
        int end = size;
        // members as (key start, colon, value end) triples
        int[] members = new int[48];
        int count = 0;
        int i = open + 1;
        while (i < end - 1) {
            int keyStart = i;
            int colon = skipString(b, i);
            int valueEnd = skipValue(b, colon + 1);
            if (count * 3 + 3 > members.length) {
                members = Arrays.copyOf(members, members.length * 2);
            }
            members[count * 3] = keyStart;
            members[count * 3 + 1] = colon;
            members[count * 3 + 2] = valueEnd;
            count++;
            i = b[valueEnd] == ',' ? valueEnd + 1 : valueEnd;
        }
        // each key's members in order, the keys in order of first appearance
        java.util.LinkedHashMap<String, java.util.List<Integer>> byKey = new java.util.LinkedHashMap<>();
        for (int m = 0; m < count; m++) {
            String key = new String(b, members[3 * m], members[3 * m + 1] - members[3 * m], StandardCharsets.ISO_8859_1);
            byKey.computeIfAbsent(key, k -> new java.util.ArrayList<>(1)).add(m);
        }
        if (byKey.size() == count) {
            return;
        }
        byte[] out = new byte[end - open + 2 * count];
        int o = 0;
        out[o++] = '{';
        for (java.util.List<Integer> same : byKey.values()) {
            if (o > 1) {
                out[o++] = ',';
            }
            int first = same.get(0);
            int colon = members[3 * first + 1];
            System.arraycopy(b, members[3 * first], out, o, colon + 1 - members[3 * first]);
            o += colon + 1 - members[3 * first];
            if (same.size() > 1) {
                out[o++] = '[';
            }
            for (int j = 0; j < same.size(); j++) {
                int m = same.get(j);
                if (j > 0) {
                    out[o++] = ',';
                }
                int from = members[3 * m + 1] + 1;
                System.arraycopy(b, from, out, o, members[3 * m + 2] - from);
                o += members[3 * m + 2] - from;
            }
            if (same.size() > 1) {
                out[o++] = ']';
            }
        }
        out[o++] = '}';
        System.arraycopy(out, 0, b, open, o);
        size = open + o;
    }

    /** The index after the JSON string starting at {@code i} (its opening quote). */
    private static int skipString(byte[] b, int i) {
        i++;
        while (b[i] != '"') {
            i += b[i] == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** The index after the JSON value starting at {@code i}. */
    private static int skipValue(byte[] b, int i) {
        if (b[i] == '"') {
            return skipString(b, i);
        }
        if (b[i] != '{' && b[i] != '[') {
            while (b[i] != ',' && b[i] != '}' && b[i] != ']') {
                i++;
            }
            return i;
        }
        int depth = 0;
        do {
            byte c = b[i];
            if (c == '"') {
                i = skipString(b, i);
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
            i++;
        } while (depth > 0);
        return i;
    }

    private void open(char c) {
        int s = beginValue(2);
        buf[s] = (byte) c;
        size = s + 1;
        needComma = false;
    }

    private void close(char c) {
        ensure(1);
        buf[size++] = (byte) c;
        needComma = true;
    }

    /**
     * Makes room for a value (or name) of up to {@code len - 1} bytes and the comma before it,
     * writes that comma if one is due, and returns where the value starts. Small enough for C1 to
     * inline into every writer.
     */
    private int beginValue(int len) {
        ensure(len);
        int s = size;
        if (needComma) {
            buf[s++] = ',';
        }
        return s;
    }

    /** Ends a value that {@link #beginValue} began, at {@code end}. */
    private void endValue(int end) {
        size = end;
        needComma = true;
    }

    // Small enough for C1 to inline into every writer; growing is the rare call.
    private void ensure(int more) {
        if (size + more > buf.length) {
            grow(more);
        }
    }

    private void grow(int more) {
        buf = Arrays.copyOf(buf, Math.max(size + more, buf.length * 2));
    }
}
