package dev.laurel.api;

/** Hex decoding of auditd's encoded strings; shared by {@link Value.Token} and the engine. */
final class Hex {
    private Hex() {
    }

    /** Decodes {@code length} hex digits (either case); {@code null} if malformed. */
    static byte[] decode(byte[] src, int offset, int length) {
        if ((length & 1) != 0) {
            return null;
        }
        byte[] out = new byte[length / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(src[offset + 2 * i]);
            int lo = digit(src[offset + 2 * i + 1]);
            if ((hi | lo) < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    static int digit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }
}
