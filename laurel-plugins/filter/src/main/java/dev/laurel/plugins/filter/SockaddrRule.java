package dev.laurel.plugins.filter;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One {@code sockaddr} filter entry: an IPv4 or IPv6 network and/or a port.
 *
 * <p>Written as {@code 10.0.0.0/8}, {@code 10.0.0.1:53}, {@code *:53}, {@code [fe80::/10]:22},
 * {@code [::1]} or {@code ::1/128}; an address without a prefix length is one host. A bare IPv6
 * address cannot carry a port, since its colons would be ambiguous: bracket it.
 *
 * @param network the network's address bytes (4 or 16), or {@code null} for any address
 * @param prefix  how many leading bits of {@code network} must match
 * @param port    the port, or -1 for any
 * @param text    the entry as written, for messages
 */
record SockaddrRule(byte[] network, int prefix, int port, String text) {

    /** Whether a socket address of {@code addr} (4 or 16 bytes) and {@code port} matches. */
    boolean matches(byte[] addr, int port) {
        if (this.port >= 0 && this.port != port) {
            return false;
        }
        if (network == null) {
            return true;
        }
        if (addr.length != network.length) {
            return false;
        }
        int full = prefix >>> 3;
        for (int i = 0; i < full; i++) {
            if (addr[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix & 7;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (addr[full] & mask) == (network[full] & mask);
    }

    /**
     * Parses one entry.
     *
     * @throws IllegalArgumentException with what is wrong, for the config report
     */
    static SockaddrRule parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        String address;
        String port = null;
        if (s.startsWith("*")) {
            if (!s.startsWith("*:")) {
                throw new IllegalArgumentException("must be *:PORT to match a port on any address");
            }
            return new SockaddrRule(null, 0, port(s.substring(2)), text);
        } else if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("has no closing ]");
            }
            address = s.substring(1, close);
            String after = s.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("must be [IPV6]:PORT");
                }
                port = after.substring(1);
            }
            if (address.indexOf(':') < 0) {
                throw new IllegalArgumentException("has no IPv6 address inside [ ]");
            }
        } else {
            int first = s.indexOf(':');
            if (first >= 0 && first == s.lastIndexOf(':')) {
                address = s.substring(0, first);
                port = s.substring(first + 1);
            } else {
                address = s;
            }
        }
        int slash = address.indexOf('/');
        String host = slash < 0 ? address : address.substring(0, slash);
        byte[] bytes = address(host);
        int max = host.indexOf(':') >= 0 ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            prefix = number(address.substring(slash + 1), max, "prefix length");
        }
        if (bytes.length == 4 && host.indexOf(':') >= 0) {
            // Java turns an IPv4-mapped IPv6 literal into IPv4; its prefix then counts from bit 96.
            prefix = Math.max(0, prefix - 96);
        }
        return new SockaddrRule(bytes, prefix, port == null ? -1 : port(port), text);
    }

    private static int port(String s) {
        return number(s, 65535, "port");
    }

    private static int number(String s, int max, String what) {
        if (s.isEmpty() || s.length() > 5) {
            throw new IllegalArgumentException("has a bad " + what + " '" + s + "' (0 to " + max + ")");
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("has a bad " + what + " '" + s + "' (0 to " + max + ")");
            }
            n = n * 10 + (c - '0');
        }
        if (n > max) {
            throw new IllegalArgumentException("has a bad " + what + " '" + s + "' (0 to " + max + ")");
        }
        return n;
    }

    /** An IP literal's bytes; never a DNS lookup, since only literal characters get through. */
    private static byte[] address(String host) {
        boolean v6 = host.indexOf(':') >= 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.'
                    || (v6 && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!ok) {
                throw new IllegalArgumentException("has no IP address: '" + host + "'");
            }
        }
        if (!v6 && !isDottedQuad(host)) {
            throw new IllegalArgumentException("has no IP address: '" + host + "'");
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("has no IP address: '" + host + "'");
        }
    }

    private static boolean isDottedQuad(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
