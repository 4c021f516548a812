package dev.laurel.plugins.filter;

import dev.laurel.api.Record;
import dev.laurel.api.Value;

/**
 * Reads the address and port of a SOCKADDR record's {@code saddr}: the kernel's
 * {@code struct sockaddr} as hex digits (as parsed) or as raw bytes (after the hex-decoder).
 *
 * <p>The family is a 16-bit number in the machine's byte order, which the SYSCALL record's
 * {@code arch} tells ({@code __AUDIT_ARCH_LE}, 0x40000000); port and address are in network
 * order. Only AF_INET (2) and AF_INET6 (10) have an address; an IPv4-mapped IPv6 address is
 * reported as the IPv4 address.
 */
final class SockaddrDecoder {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    private static final long AUDIT_ARCH_LE = 0x40000000L;

    /** An internet socket address: 4 or 16 address bytes and a port. */
    record Endpoint(byte[] address, int port) {
    }

    private SockaddrDecoder() {
    }

    /**
     * The endpoint of {@code sockaddr}'s {@code saddr}, or {@code null} if it is missing, not an
     * internet address or too short.
     *
     * @param littleEndian the machine's byte order, from {@link #isLittleEndian(Record)}
     */
    static Endpoint decode(Record sockaddr, boolean littleEndian) {
        byte[] b = sockaddr.decoded("saddr");
        if (b == null) {
            return null;
        }
        if (b.length > 0 && isHexDigit(b[0])) {
            // Still hex text (a bare token, or text some stage left undecoded). A raw struct never
            // starts with an ASCII hex digit: its first byte is 0 or a small family number.
            b = hex(b);
            if (b == null) {
                return null;
            }
        }
        if (b.length < 2) {
            return null;
        }
        int family = littleEndian ? (b[0] & 0xff) | (b[1] & 0xff) << 8 : (b[0] & 0xff) << 8 | (b[1] & 0xff);
        if (family == AF_INET && b.length >= 8) {
            return new Endpoint(java.util.Arrays.copyOfRange(b, 4, 8), port(b));
        }
        if (family == AF_INET6 && b.length >= 24) {
            byte[] a = java.util.Arrays.copyOfRange(b, 8, 24);
            return new Endpoint(isV4Mapped(a) ? java.util.Arrays.copyOfRange(a, 12, 16) : a, port(b));
        }
        return null;
    }

    /** Whether the SYSCALL record's {@code arch} says little-endian; true when unknown (x86, arm64). */
    static boolean isLittleEndian(Record syscall) {
        if (syscall == null) {
            return true;
        }
        Value arch = syscall.get("arch");
        long a = -1;
        if (arch instanceof Value.Number n) {
            a = n.value();
        } else if (arch instanceof Value.Token t) {
            a = parseHex(t.decoded());
        } else if (arch instanceof Value.Text t) {
            a = parseHex(t.bytes());
        }
        return a < 0 || (a & AUDIT_ARCH_LE) != 0;
    }

    private static int port(byte[] b) {
        return (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static long parseHex(byte[] b) {
        if (b == null || b.length == 0 || b.length > 16) {
            return -1;
        }
        int start = b.length > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') ? 2 : 0;
        long n = 0;
        for (int i = start; i < b.length; i++) {
            int d = digit(b[i]);
            if (d < 0) {
                return -1;
            }
            n = n << 4 | d;
        }
        return n;
    }

    private static byte[] hex(byte[] digits) {
        if ((digits.length & 1) != 0) {
            return null;
        }
        byte[] out = new byte[digits.length / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(digits[2 * i]);
            int lo = digit(digits[2 * i + 1]);
            if ((hi | lo) < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static boolean isHexDigit(byte b) {
        return digit(b) >= 0;
    }

    private static int digit(byte b) {
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
