package dev.laurel.engine.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * LAUREL's escaping of arbitrary bytes into JSON-safe UTF-8 text, and back.
 *
 * <p>Audit strings are bytes, not text: file names and command lines may hold any byte. LAUREL
 * keeps every byte recoverable by writing valid UTF-8 sequences as they are and replacing, with
 * {@code %} and two lower-case hex digits, every byte that
 * <ul>
 *   <li>is not part of a valid UTF-8 sequence (stray continuation bytes, overlong forms,
 *       surrogates, code points above U+10FFFF, truncated sequences),</li>
 *   <li>is an ASCII control byte (below 0x20, or 0x7f), or</li>
 *   <li>is {@code %} or {@code +} (so that the escape itself stays unambiguous).</li>
 * </ul>
 * So {@code g++} becomes {@code g%2b%2b}, a newline {@code %0a}, the byte 0xff {@code %ff}; the
 * result never needs JSON escapes other than {@code \"} and {@code \\}.
 *
 * <pre>{@code
 * PercentCodec codec = new PercentCodec();
 * int n = codec.encode("a+b\n".getBytes(UTF_8), 0, 4);   // codec.buffer()[0, n) is "a%2bb%0a"
 * byte[] back = PercentCodec.decode(Arrays.copyOf(codec.buffer(), n)); // "a+b\n"
 * }</pre>
 *
 * <p>Not thread-safe: {@link #encode} writes into a buffer this instance reuses.
 */
public final class PercentCodec {
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buffer = new byte[256];

    /**
     * Escapes {@code src[offset, offset+length)} into {@link #buffer()}; returns the number of
     * bytes written there. The buffer is valid until the next call.
     */
    public int encode(byte[] src, int offset, int length) {
        return encode(src, offset, length, PERCENT);
    }

    /**
     * As {@link #encode}, and also escapes {@code "} and {@code \\} for JSON with a backslash:
     * the result is the inside of a JSON string, ready to be written as it is.
     */
    public int encodeJson(byte[] src, int offset, int length) {
        return encode(src, offset, length, JSON);
    }

    // What to do with each byte: copy it, percent-escape it, put a backslash before it, or (a
    // byte from 0x80 on) check the UTF-8 sequence it starts. One table of 256 entries, indexed
    // by the unsigned byte, so the common case is one lookup and one compare.
    /** The action of a byte copied as it is; {@link JsonBuffer#percentString} tests for it. */
    static final byte COPY = 0;
    private static final byte ESCAPE = 1;
    private static final byte BACKSLASH = 2;
    private static final byte NON_ASCII = 3;
    private static final byte[] PERCENT = new byte[256];
    /** Per unsigned byte, its action in a JSON string; read only (JsonBuffer copies by it). */
    static final byte[] JSON = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            byte action = b >= 0x80 ? NON_ASCII : b < 0x20 || b == 0x7f || b == '%' || b == '+' ? ESCAPE : COPY;
            PERCENT[b] = action;
            JSON[b] = b == '"' || b == '\\' ? BACKSLASH : action;
        }
    }

    /**
     * As {@link #encodeJson}, into {@code out} from {@code o} on, which must have room for
     * {@code 3 * length} bytes; returns the end of what was written. Saves a copy for a caller
     * with its own buffer.
     */
    static int encodeJson(byte[] src, int offset, int length, byte[] out, int o) {
        return encode(src, offset, length, JSON, out, o);
    }

    private int encode(byte[] src, int offset, int length, byte[] actions) {
        // Worst case: every byte becomes three.
        int need = length * 3;
        if (buffer.length < need) {
            buffer = new byte[Math.max(need, buffer.length * 2)];
        }
        return encode(src, offset, length, actions, buffer, 0);
    }

    private static int encode(byte[] src, int offset, int length, byte[] actions, byte[] out, int o) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = src[i] & 0xff;
            byte action = actions[b];
            if (action == COPY) {
                out[o++] = (byte) b;
                i++;
            } else if (action == ESCAPE) {
                o = escape(out, o, b);
                i++;
            } else if (action == BACKSLASH) {
                out[o++] = '\\';
                out[o++] = (byte) b;
                i++;
            } else {
                int n = validSequenceLength(src, i, end);
                if (n == 0) {
                    o = escape(out, o, b);
                    i++;
                } else {
                    System.arraycopy(src, i, out, o, n);
                    o += n;
                    i += n;
                }
            }
        }
        return o;
    }

    /** The buffer {@link #encode} wrote into. */
    public byte[] buffer() {
        return buffer;
    }

    /** {@code src} escaped, as a new array; for tests and cold paths. */
    public static byte[] encode(byte[] src) {
        PercentCodec codec = new PercentCodec();
        int n = codec.encode(src, 0, src.length);
        return Arrays.copyOf(codec.buffer, n);
    }

    /**
     * Undoes {@link #encode}: every {@code %} followed by two hex digits (either case) becomes
     * that byte; anything else, including a {@code %} not followed by two hex digits, is kept.
     */
    public static byte[] decode(byte[] src) {
        byte[] out = new byte[src.length];
        int o = 0;
        for (int i = 0; i < src.length; i++) {
            byte b = src[i];
            if (b == '%' && i + 2 < src.length) {
                int hi = hexValue(src[i + 1]);
                int lo = hexValue(src[i + 2]);
                if ((hi | lo) >= 0) {
                    out[o++] = (byte) (hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out[o++] = b;
        }
        return Arrays.copyOf(out, o);
    }

    private static int escape(byte[] out, int o, int b) {
        out[o] = '%';
        out[o + 1] = HEX_DIGITS[b >>> 4];
        out[o + 2] = HEX_DIGITS[b & 0xf];
        return o + 3;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * The length of the well-formed UTF-8 sequence (RFC 3629, Unicode table 3-7) starting with
     * the non-ASCII byte at {@code i}, or 0 if there is none.
     */
    static int validSequenceLength(byte[] s, int i, int end) {
        int b0 = s[i] & 0xff;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            return i + 1 < end && isContinuation(s[i + 1]) ? 2 : 0;
        }
        if (b0 >= 0xe0 && b0 <= 0xef) {
            if (i + 2 >= end) {
                return 0;
            }
            int b1 = s[i + 1] & 0xff;
            int lo = b0 == 0xe0 ? 0xa0 : 0x80;      // no overlong forms
            int hi = b0 == 0xed ? 0x9f : 0xbf;      // no surrogates
            return b1 >= lo && b1 <= hi && isContinuation(s[i + 2]) ? 3 : 0;
        }
        if (b0 >= 0xf0 && b0 <= 0xf4) {
            if (i + 3 >= end) {
                return 0;
            }
            int b1 = s[i + 1] & 0xff;
            int lo = b0 == 0xf0 ? 0x90 : 0x80;      // no overlong forms
            int hi = b0 == 0xf4 ? 0x8f : 0xbf;      // nothing above U+10FFFF
            return b1 >= lo && b1 <= hi && isContinuation(s[i + 2]) && isContinuation(s[i + 3]) ? 4 : 0;
        }
        return 0;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xc0) == 0x80;
    }
}
