package dev.laurel.plugins.hexdecoder;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
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
 */
public final class HexDecoder implements Enricher {

    @Override
    public void enrich(AuditEvent event) {
        List<Record> records = event.records();
        for (int k = 0, n = records.size(); k < n; k++) {     // by index: no iterator per event
            Record r = records.get(k);
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
