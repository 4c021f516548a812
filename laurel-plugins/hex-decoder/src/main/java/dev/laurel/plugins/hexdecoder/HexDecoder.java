package dev.laurel.plugins.hexdecoder;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces every {@link Encoding#HEX} token of an event's records, also inside lists and objects
 * (the EXECVE {@code ARGV}), with a {@link Value.Text} of its decoded bytes. The parser marks a
 * token HEX only when it is well-formed hex in a field auditd hex-encodes; a malformed one would
 * be kept as written ({@link Value.Token#decoded()}).
 *
 * <pre>{@code
 * // comm=7065726C  (Token, HEX)   becomes   comm = Text "perl"
 * }</pre>
 *
 * <p>With {@code style: laurel-0.8}, URINGOP's {@code uring_op} is the decimal number LAUREL 0.8
 * writes ({@code 18}), not the hex-decoded byte LAUREL 0.5.1 writes ({@code "%18"}).
 */
public final class HexDecoder implements Enricher {
    private static final RecordType URINGOP = RecordType.of(1336);

    private final boolean laurel08;

    public HexDecoder() {
        this(false);
    }

    /**
     * @param laurel08 LAUREL 0.8's reading of URINGOP's {@code uring_op}: a decimal number
     *                 ({@code "uring_op":18}), where LAUREL 0.5.1 hex-decodes it ({@code "%18"})
     */
    HexDecoder(boolean laurel08) {
        this.laurel08 = laurel08;
    }

    @Override
    public void enrich(AuditEvent event) {
        List<Record> records = event.records();
        for (int k = 0, n = records.size(); k < n; k++) {     // by index: no iterator per event
            Record r = records.get(k);
            if (laurel08 && r.type() == URINGOP) {
                uringOpAsNumber(r);
            }
            long[] spans = Records.spans(r);     // one call per record, not one per field
            for (int i = 0; i < r.size(); i++) {
                long span = spans == null ? 0 : spans[i];
                if (span != 0) {
                    if (Records.spanEncoding(span) == Encoding.HEX) {
                        r.set(i, Value.text(r.decoded(i)));     // from the line: no Token made
                    }
                    continue;     // a token as parsed, not hex: nothing to decode, no Token to make
                }
                Value v = r.value(i);
                Value decoded = decode(v);
                if (decoded != v) {
                    r.set(i, decoded);
                }
            }
        }
    }

    private static void uringOpAsNumber(Record r) {
        int i = r.indexOf("uring_op");
        if (i >= 0 && i < r.enrichedFrom() && r.value(i) instanceof Value.Token t) {
            long n = 0;
            int end = t.offset() + t.length();
            for (int j = t.offset(); j < end; j++) {
                int d = t.bytes()[j] - '0';
                if (d < 0 || d > 9 || j - t.offset() >= 9) {
                    return;         // not a number: decoded or kept as any other field
                }
                n = n * 10 + d;
            }
            if (t.length() > 0) {
                r.set(i, Value.number(n));
            }
        }
    }

    /** {@code v} with its HEX tokens decoded; {@code v} itself if it holds none. */
    static Value decode(Value v) {
        if (v instanceof Value.Token t) {
            return t.encoding() == Encoding.HEX ? Value.text(t.decoded()) : v;
        }
        if (v instanceof Value.ListValue l) {
            List<Value> items = l.items();
            List<Value> out = null;
            for (int i = 0; i < items.size(); i++) {
                Value item = items.get(i);
                Value d = decode(item);
                if (d != item && out == null) {
                    out = new ArrayList<>(items.subList(0, i));
                }
                if (out != null) {
                    out.add(d);
                }
            }
            return out == null ? v : Value.list(out);
        }
        if (v instanceof Value.ObjectValue o) {
            Map<String, Value> out = null;
            for (Map.Entry<String, Value> e : o.fields().entrySet()) {
                Value d = decode(e.getValue());
                if (d != e.getValue() && out == null) {
                    out = new LinkedHashMap<>(o.fields());
                }
                if (out != null) {
                    out.put(e.getKey(), d);
                }
            }
            return out == null ? v : Value.object(out);
        }
        return v;
    }
}
