package dev.laurel.plugins.ocsf;

import dev.laurel.api.EventJson;
import dev.laurel.api.Record;
import dev.laurel.api.Value;
import dev.laurel.api.internal.SockaddrDecoder;

import java.util.Map;

/**
 * A SOCKADDR record's {@code saddr} as an OCSF network endpoint: {@code ip} and {@code port} for
 * AF_INET and AF_INET6, the socket's path as {@code name} for AF_UNIX ({@code @name} for an
 * abstract one). Other families, and unnamed sockets, have no endpoint. Decoded by the
 * {@link SockaddrDecoder} the translate enricher and the filter use, so all read the same bytes
 * the same way (byte order from the SYSCALL's arch, IPv6 text, scope).
 *
 * @param family {@code "inet"}, {@code "inet6"} or {@code "local"}
 * @param fields the decoder's object: {@code addr} and {@code port}, or {@code path}
 */
record SockaddrEndpoint(String family, Map<String, Value> fields) {

    /** The endpoint of {@code sockaddr}, or null if it has none. */
    static SockaddrEndpoint of(Record sockaddr, Record syscall) {
        byte[] sa = SockaddrDecoder.bytes(sockaddr.get("saddr"));
        SockaddrDecoder.Decoded d = sa == null ? null
                : SockaddrDecoder.object(sa, SockaddrDecoder.isLittleEndian(syscall));
        if (d == null || !d.complete() || !(d.value() instanceof Value.ObjectValue o)) {
            return null;
        }
        Map<String, Value> f = o.fields();
        String family = f.get("saddr_fam") instanceof Value.Text t ? t.asString() : null;
        if ("inet".equals(family) || "inet6".equals(family)) {
            return f.get("addr") instanceof Value.Text && f.get("port") instanceof Value.Number
                    ? new SockaddrEndpoint(family, f) : null;
        }
        if ("local".equals(family) && f.get("path") instanceof Value.Text p && p.bytes().length > 0) {
            return new SockaddrEndpoint(family, f);
        }
        return null;
    }

    boolean isLocal() {
        return family.equals("local");
    }

    boolean isIpv4() {
        return family.equals("inet");
    }

    /** Writes the endpoint object. */
    void write(EventJson out) {
        out.startObject();
        if (isLocal()) {
            out.key("name");
            out.value(fields.get("path"));
        } else {
            out.key("ip");
            out.value(fields.get("addr"));
            out.key("port");
            out.value(fields.get("port"));
        }
        out.endObject();
    }
}
