package dev.laurel.engine.json;

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
            s = putDigits(b, s, v);
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

    /**
     * Writes the decimal digits of {@code v >= 0} at {@code p}; returns the end. Long division is
     * a runtime call in C1-compiled code (laurel's JIT), so the digits come from int arithmetic
     * with at most one long division.
     */
    static int putDigits(byte[] b, int p, long v) {
        if (v <= Integer.MAX_VALUE) {
            return putDigits(b, p, (int) v);
        }
        long high = v / 1_000_000_000;
        int low = (int) (v - high * 1_000_000_000);
        p = putDigits(b, p, high);
        for (int i = p + 8; i >= p; i--) {
            int q = (int) ((low * 0xCCCCCCCDL) >>> 35);
            b[i] = (byte) ('0' + low - q * 10);
            low = q;
        }
        return p + 9;
    }

    private static int putDigits(byte[] b, int p, int v) {
        int end = p + digitCount(v);
        int i = end;
        do {
            // v / 10 as a multiply and shift (exact for every non-negative int)
            int q = (int) ((v * 0xCCCCCCCDL) >>> 35);
            b[--i] = (byte) ('0' + v - q * 10);
            v = q;
        } while (v != 0);
        return end;
    }

    private static final int[] POWERS_OF_TEN = {10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
            100_000_000, 1_000_000_000};

    private static int digitCount(int v) {
        int n = 1;
        while (n < 10 && v >= POWERS_OF_TEN[n - 1]) {
            n++;
        }
        return n;
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
