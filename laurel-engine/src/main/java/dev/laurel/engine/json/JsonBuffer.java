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
        ensure(n + 1);
        byte[] b = buf;
        int s = size;
        if (needComma) {
            b[s++] = ',';
        }
        System.arraycopy(quotedKey, 0, b, s, n);
        size = s + n;
        needComma = false;
    }

    /** A string whose bytes are already the inside of a JSON string. */
    void string(byte[] inside, int off, int len) {
        ensure(len + 3);
        byte[] b = buf;
        int s = size;
        if (needComma) {
            b[s++] = ',';
        }
        b[s++] = '"';
        System.arraycopy(inside, off, b, s, len);
        s += len;
        b[s++] = '"';
        size = s;
        needComma = true;
    }

    /** Any bytes as a JSON string, escaped by {@link PercentCodec#encodeJson} straight into the buffer. */
    void percentString(byte[] src, int off, int len) {
        ensure(3 * len + 3);
        byte[] b = buf;
        int s = size;
        if (needComma) {
            b[s++] = ',';
        }
        b[s++] = '"';
        s = PercentCodec.encodeJson(src, off, len, b, s);
        b[s++] = '"';
        size = s;
        needComma = true;
    }

    /** A string of ASCII text that needs no escaping, such as {@code "0x1f"}. */
    void string(String ascii) {
        int len = ascii.length();
        ensure(len + 3);
        byte[] b = buf;
        int s = size;
        if (needComma) {
            b[s++] = ',';
        }
        b[s++] = '"';
        for (int i = 0; i < len; i++) {
            b[s++] = (byte) ascii.charAt(i);
        }
        b[s++] = '"';
        size = s;
        needComma = true;
    }

    /**
     * A string of UTF-8 bytes in which only {@code "} and {@code \} may need a backslash (the
     * output of {@link PercentCodec#encode}: control bytes are already percent-escaped).
     */
    void escapedString(byte[] utf8, int off, int len) {
        ensure(2 * len + 3);
        byte[] b = buf;
        int s = size;
        if (needComma) {
            b[s++] = ',';
        }
        b[s++] = '"';
        for (int i = off, end = off + len; i < end; i++) {
            byte c = utf8[i];
            if (c == '"' || c == '\\') {
                b[s++] = '\\';
            }
            b[s++] = c;
        }
        b[s++] = '"';
        size = s;
        needComma = true;
    }

    void number(long v) {
        ensure(21);
        byte[] b = buf;
        int s = size;
        if (needComma) {
            b[s++] = ',';
        }
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
        size = s;
        needComma = true;
    }

    /**
     * A number given as its canonical decimal digits (no leading zeros, at most 19), with a minus
     * sign before them if {@code negative}: copied, since they are already what JSON wants.
     */
    void decimal(boolean negative, byte[] digits, int off, int len) {
        ensure(len + 2);
        byte[] b = buf;
        int s = size;
        if (needComma) {
            b[s++] = ',';
        }
        if (negative) {
            b[s++] = '-';
        }
        System.arraycopy(digits, off, b, s, len);
        size = s + len;
        needComma = true;
    }

    /**
     * The string {@code "0x.."} ({@code prefix} 'x') or {@code "0o.."} ('o') of digits already
     * checked by the caller, written in lower case: {@code digitValues} maps each byte to its
     * digit's value.
     */
    void radixString(byte prefix, byte[] digits, int off, int len, byte[] digitValues) {
        ensure(len + 5);
        byte[] b = buf;
        int s = size;
        if (needComma) {
            b[s++] = ',';
        }
        b[s++] = '"';
        b[s++] = '0';
        b[s++] = prefix;
        for (int i = off, end = off + len; i < end; i++) {
            b[s++] = HEX_DIGITS[digitValues[digits[i] & 0xff]];
        }
        b[s++] = '"';
        size = s;
        needComma = true;
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
        ensure(5);
        if (needComma) {
            buf[size++] = ',';
        }
        System.arraycopy(NULL, 0, buf, size, 4);
        size += 4;
        needComma = true;
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
        ensure(2);
        if (needComma) {
            buf[size++] = ',';
        }
        buf[size++] = (byte) c;
        needComma = false;
    }

    private void close(char c) {
        ensure(1);
        buf[size++] = (byte) c;
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
