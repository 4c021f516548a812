package dev.laurel.api.internal;

import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.Value;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes a SOCKADDR record's {@code saddr}, the kernel's {@code struct sockaddr}: into the text
 * auditd's ENRICHED format writes or an object with LAUREL's keys (the translate enricher), or
 * into an internet address and port (the filter's sockaddr rules). One decoder, so that both read
 * the same bytes the same way.
 *
 * <p>The family and the other host-order fields are in the byte order of the machine that logged
 * the record, which the SYSCALL record's {@code arch} tells ({@link #isLittleEndian(Record)});
 * ports, IPv4 and IPv6 addresses and the IPv6 flow info are in network order.
 *
 * <p>Text forms follow auditd 3.0.9's {@code print_sockaddr} without the blanks inside the
 * braces, as LAUREL writes ENRICHED values: {@code {saddr_fam=inet laddr=10.0.0.1 lport=53}},
 * {@code {saddr_fam=local path=/dev/log}}, {@code {saddr_fam=netlink nlnk-fam=16 nlnk-pid=0}},
 * {@code {saddr_fam=bluetooth (unsupported)}}, {@code unknown-family(99)}. Beyond auditd 3.0.9:
 * an abstract unix socket's name starts with {@code @}; an IPv6 scope is written as its number
 * ({@code fe80::1%2}; auditd asks the local machine for the interface name); vsock and packet
 * addresses are decoded.
 */
public final class SockaddrDecoder {
    /** {@code __AUDIT_ARCH_LE}: the bit of an audit arch number that says little-endian. */
    private static final long AUDIT_ARCH_LE = 0x40000000L;

    /** auditd's names of the address families, by AF_* number; null where auditd has none. */
    private static final String[] FAMILIES = {
        null, "local", "inet", "ax25", "ipx", "appletalk", "netrom", "bridge", "atmpvc", "x25",
        "inet6", "rose", "decnet", "netbeui", "security", "key", "netlink", "packet", "ash", "econet",
        "atmsvc", "rds", "sna", "irda", "pppox", "wanpipe", "llc", null, null, "can",
        "tipc", "bluetooth", "iucv", "rxrpc", "isdn", "phonet", "ieee802154", "caif", "alg", "nfc",
        "vsock", "kcm", "qipcrtr", "smc", "xdp",
    };

    private static final int AF_LOCAL = 1;
    private static final int AF_INET = 2;
    private static final int AF_AX25 = 3;
    private static final int AF_ATMPVC = 8;
    private static final int AF_X25 = 9;
    private static final int AF_INET6 = 10;
    private static final int AF_NETLINK = 16;
    private static final int AF_PACKET = 17;
    private static final int AF_VSOCK = 40;
    private static final int UNIX_PATH_MAX = 108;

    private SockaddrDecoder() {
    }

    /**
     * A decoded address: the SADDR value, and whether it holds everything {@code saddr} said (false
     * for an unknown or unsupported family and for an address too short for its family).
     */
    public record Decoded(Value value, boolean complete) {
    }

    /** An internet socket address: 4 or 16 address bytes (an IPv4-mapped IPv6 address as its 4) and a port. */
    public record Endpoint(byte[] address, int port) {
    }

    /** Whether the SYSCALL record's {@code arch} says little-endian; true when unknown (x86, arm64). */
    public static boolean isLittleEndian(Record syscall) {
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

    /**
     * The struct in a {@code saddr} value, or {@code null}: a hex token decoded, a bare token read
     * as hex digits, text as is unless it is hex digits (text some stage left undecoded; a raw
     * struct never starts with an ASCII hex digit: its first byte is 0 or a small family number).
     */
    public static byte[] bytes(Value saddr) {
        byte[] b;
        if (saddr instanceof Value.Token t) {
            if (t.encoding() == Encoding.HEX) {
                return t.decoded();
            }
            if (t.encoding() != Encoding.BARE) {
                return null;
            }
            b = t.decoded();
        } else if (saddr instanceof Value.Text t) {
            b = t.bytes();
        } else {
            return null;
        }
        return b.length > 0 && digit(b[0]) >= 0 ? hex(b) : b;
    }

    /** auditd's text for {@code sa}, or {@code null} if it is too short to hold a family. */
    public static Decoded text(byte[] sa, boolean littleEndian) {
        Out out = decode(sa, littleEndian, new Out(false));
        return out == null ? null : new Decoded(Value.text(out.text()), out.complete);
    }

    /** An object with LAUREL's keys for {@code sa}, or {@code null} if it holds no family. */
    public static Decoded object(byte[] sa, boolean littleEndian) {
        Out out = decode(sa, littleEndian, new Out(true));
        return out == null ? null : new Decoded(Value.object(out.fields), out.complete);
    }

    /**
     * The address and port of {@code sa}, or {@code null} if it is missing, not an internet
     * (AF_INET, AF_INET6) address or too short.
     */
    public static Endpoint endpoint(byte[] sa, boolean littleEndian) {
        if (sa == null || sa.length < 2) {
            return null;
        }
        int family = u16(sa, 0, littleEndian);
        if (family == AF_INET && sa.length >= 8) {
            return new Endpoint(Arrays.copyOfRange(sa, 4, 8), u16be(sa, 2));
        }
        if (family == AF_INET6 && sa.length >= 24) {
            byte[] a = Arrays.copyOfRange(sa, 8, 24);
            return new Endpoint(isV4Mapped(a) ? Arrays.copyOfRange(a, 12, 16) : a, u16be(sa, 2));
        }
        return null;
    }

    private static Out decode(byte[] b, boolean le, Out out) {
        if (b == null || b.length < 2) {
            return null;
        }
        int family = u16(b, 0, le);
        String name = family < FAMILIES.length ? FAMILIES[family] : null;
        if (name == null) {
            out.unknownFamily(family);
            return out;
        }
        out.family(name);
        switch (family) {
            case AF_LOCAL -> local(b, out);
            case AF_INET -> {
                if (b.length < 16) {
                    return out.tooShort();
                }
                out.put("laddr", "addr", Value.text(ipv4(b, 4)));
                out.put("lport", "port", Value.number(u16be(b, 2)));
            }
            case AF_INET6 -> {
                if (b.length < 28) {
                    return out.tooShort();
                }
                long scope = u32(b, 24, le);
                String addr = ipv6(b, 8);
                out.put("laddr", null, Value.text(scope == 0 ? addr : addr + "%" + scope));
                out.put(null, "addr", Value.text(addr));
                out.put("lport", "port", Value.number(u16be(b, 2)));
                out.put(null, "flowinfo", Value.number(u32be(b, 4)));
                out.put(null, "scope_id", Value.number(scope));
            }
            case AF_NETLINK -> {
                if (b.length < 8) {
                    return out.tooShort();
                }
                out.put("nlnk-fam", null, Value.number(family));
                out.put("nlnk-pid", "pid", Value.number(u32(b, 4, le)));
                if (b.length >= 12) {
                    out.put(null, "groups", new Value.Number(u32(b, 8, le), Value.Radix.HEX));
                }
            }
            case AF_VSOCK -> {
                if (b.length < 12) {
                    return out.tooShort();
                }
                out.put("cid", "cid", Value.number(u32(b, 8, le)));
                out.put("port", "port", Value.number(u32(b, 4, le)));
            }
            case AF_PACKET -> packet(b, le, out);
            case AF_AX25 -> {
                if (b.length < 9) {
                    return out.tooShort();
                }
                out.put("call", "call", Value.text(cString(b, 2, 7)));
            }
            case AF_ATMPVC -> {
                if (b.length < 6) {
                    return out.tooShort();
                }
                out.put("int", "itf", Value.number((short) u16(b, 4, le)));
            }
            case AF_X25 -> out.put("laddr", "addr", Value.text(cString(b, 2, 15)));
            default -> out.unsupported();
        }
        return out;
    }

    private static void local(byte[] b, Out out) {
        if (b.length < 3) {
            out.tooShort();
            return;
        }
        byte[] path;
        if (b[2] == 0) {        // abstract: the name follows a NUL and is not a file
            byte[] name = cString(b, 3, UNIX_PATH_MAX - 1);
            path = new byte[name.length + 1];
            path[0] = '@';
            System.arraycopy(name, 0, path, 1, name.length);
        } else {
            path = cString(b, 2, UNIX_PATH_MAX);
        }
        out.put("path", "path", Value.text(path));
    }

    /** struct sockaddr_ll: protocol (network order), ifindex, hatype, pkttype, halen, addr[8]. */
    private static void packet(byte[] b, boolean le, Out out) {
        if (b.length < 12) {
            out.tooShort();
            return;
        }
        int halen = Math.min(Math.min(b[11] & 0xff, 8), b.length - 12);
        StringBuilder addr = new StringBuilder(3 * halen);
        for (int i = 0; i < halen; i++) {
            if (i > 0) {
                addr.append(':');
            }
            addr.append(Character.forDigit((b[12 + i] >> 4) & 0xf, 16)).append(Character.forDigit(b[12 + i] & 0xf, 16));
        }
        int protocol = u16be(b, 2);
        out.put("proto", null, Value.text(String.format("0x%04x", protocol)));
        out.put(null, "protocol", new Value.Number(protocol, Value.Radix.HEX));
        out.put("ifindex", "ifindex", Value.number((int) u32(b, 4, le)));
        out.put("hatype", "hatype", Value.number(u16(b, 8, le)));
        out.put("pkttype", "pkttype", Value.number(b[10] & 0xff));
        if (halen > 0) {
            out.put("addr", "addr", Value.text(addr.toString()));
        }
    }

    /** Builds the text and the object side by side; each form has its own keys. */
    private static final class Out {
        private final boolean object;
        private final StringBuilder text = new StringBuilder(64);
        private final Map<String, Value> fields = new LinkedHashMap<>();
        private boolean braced;
        private boolean complete = true;

        Out(boolean object) {
            this.object = object;
        }

        void family(String name) {
            text.append("{saddr_fam=").append(name);
            braced = true;
            fields.put("saddr_fam", Value.text(name));
        }

        void unknownFamily(int family) {
            text.append("unknown-family(").append(family).append(')');
            fields.put("saddr_fam", Value.number(family));
            complete = false;
        }

        Out tooShort() {
            text.append(" sockaddr len too short");
            fields.put("error", Value.text("sockaddr len too short"));
            complete = false;
            return this;
        }

        void unsupported() {
            text.append(" (unsupported)");
            complete = false;
        }

        /** Adds a key of the text form and/or of the object form (null: not in that form). */
        void put(String textKey, String objectKey, Value value) {
            if (object) {
                if (objectKey != null) {
                    fields.put(objectKey, value);
                }
            } else if (textKey != null) {
                text.append(' ').append(textKey).append('=').append(render(value));
            }
        }

        String text() {
            return braced ? text + "}" : text.toString();
        }

        private static String render(Value v) {
            if (v instanceof Value.Number n) {
                return Long.toString(n.value());
            }
            return ((Value.Text) v).asString();
        }
    }

    /** Bytes from {@code from} up to the first NUL, at most {@code max}, within the array. */
    private static byte[] cString(byte[] b, int from, int max) {
        int end = from;
        int limit = Math.min(b.length, from + max);
        while (end < limit && b[end] != 0) {
            end++;
        }
        byte[] s = new byte[Math.max(0, end - from)];
        System.arraycopy(b, from, s, 0, s.length);
        return s;
    }

    /** An {@link Endpoint}'s address as auditd writes it: dotted IPv4, or IPv6 as {@link #ipv6} does. */
    public static String address(byte[] a) {
        return a.length == 4 ? ipv4(a, 0) : ipv6(a, 0);
    }

    static String ipv4(byte[] b, int off) {
        return (b[off] & 0xff) + "." + (b[off + 1] & 0xff) + "." + (b[off + 2] & 0xff) + "." + (b[off + 3] & 0xff);
    }

    /**
     * RFC 5952 text as glibc's inet_ntop writes it: lower-case hex, the longest run of two or more
     * zero groups (the first of equals) as {@code ::}, and the last 32 bits dotted for IPv4-mapped
     * ({@code ::ffff:a.b.c.d}) and IPv4-compatible ({@code ::a.b.c.d}) addresses.
     */
    static String ipv6(byte[] b, int off) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = u16be(b, off + 2 * i);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        if (bestStart == 0 && (bestLen == 6 || (bestLen == 7 && w[7] != 1))) {
            return "::" + ipv4(b, off + 12);
        }
        if (bestStart == 0 && bestLen == 5 && w[5] == 0xffff) {
            return "::ffff:" + ipv4(b, off + 12);
        }
        StringBuilder s = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            s.append(Integer.toHexString(w[i]));
            if (i < 7) {
                s.append(':');
            }
        }
        return s.toString();
    }

    /** A host-order 16-bit number. */
    private static int u16(byte[] b, int off, boolean le) {
        return le ? (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 : u16be(b, off);
    }

    private static int u16be(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    /** A host-order 32-bit number. */
    private static long u32(byte[] b, int off, boolean le) {
        return le ? (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24
                : u32be(b, off);
    }

    private static long u32be(byte[] b, int off) {
        return (b[off] & 0xffL) << 24 | (b[off + 1] & 0xffL) << 16 | (b[off + 2] & 0xffL) << 8 | (b[off + 3] & 0xffL);
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
