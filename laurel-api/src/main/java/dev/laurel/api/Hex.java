package dev.laurel.api;

/** Hex decoding of auditd's encoded strings; shared by {@link Value.Token} and the engine. */
final class Hex {
    private Hex() {
    }

    /** Each byte's value as a hex digit (either case), or -1. */
    private static final byte[] DIGITS = new byte[256];

    static {
        java.util.Arrays.fill(DIGITS, (byte) -1);
        for (int i = 0; i < 10; i++) {
            DIGITS['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            DIGITS['A' + i] = (byte) (10 + i);
            DIGITS['a' + i] = (byte) (10 + i);
        }
    }

    /** Decodes {@code length} hex digits (either case); {@code null} if malformed. */
    static byte[] decode(byte[] src, int offset, int length) {
        // a table lookup per digit rather than three range tests: proctitles and arguments are
        // long, and C1, the launcher's compiler, keeps every branch
        if ((length & 1) != 0) {
            return null;
        }
        byte[] digits = DIGITS;
        byte[] out = new byte[length / 2];
        for (int i = 0, j = offset; i < out.length; i++, j += 2) {
            int hi = digits[src[j] & 0xff];
            int lo = digits[src[j + 1] & 0xff];
            if ((hi | lo) < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
