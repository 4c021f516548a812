package dev.laurel.plugins.sigma;

import dev.laurel.api.Value;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The fields one Sigma log source sees in one event (an auditd record, a process creation, a
 * file written, a connection), as text. Values and their lower-case forms are made once per
 * source and field, however many rules ask: Sigma compares case-insensitively, and a rule set
 * asks for the same few fields again and again.
 */
abstract class FieldSource {
    /** Marks a field looked up and found absent, so that it is not looked up again. */
    private static final String ABSENT = new String("\u0000absent");

    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> lowers = new HashMap<>();
    private String keywordText;
    private String keywordLower;

    /** The field's text, or {@code null} when this source has no such field. */
    protected abstract String lookup(String field);

    /** The text a field-less (keyword) selection searches. */
    protected abstract String keywords();

    /** Forgets the values of the previous record or event. */
    protected final void reset() {
        values.clear();
        lowers.clear();
        keywordText = null;
        keywordLower = null;
    }

    final String get(String field) {
        String v = values.get(field);
        if (v == null) {
            v = lookup(field);
            values.put(field, v == null ? ABSENT : v);
            return v;
        }
        return v == ABSENT ? null : v;
    }

    final String lower(String field) {
        String v = lowers.get(field);
        if (v == null) {
            String s = get(field);
            v = s == null ? ABSENT : s.toLowerCase(Locale.ROOT);
            lowers.put(field, v);
        }
        return v == ABSENT ? null : v;
    }

    final String keywordText() {
        if (keywordText == null) {
            keywordText = keywords();
        }
        return keywordText;
    }

    final String keywordLower() {
        if (keywordLower == null) {
            keywordLower = keywordText().toLowerCase(Locale.ROOT);
        }
        return keywordLower;
    }

    /**
     * A value as Sigma rules compare it: decoded text (auditd's hex and quotes undone), numbers
     * as auditd writes them, a list's items joined by spaces; {@code null} for auditd's
     * {@code (null)} and for no value.
     */
    static String text(Value v) {
        if (v instanceof Value.Token t) {
            byte[] b = t.decoded();
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }
        if (v instanceof Value.Text t) {
            return t.asString();
        }
        if (v instanceof Value.Number n) {
            return switch (n.radix()) {
                case DEC -> Long.toString(n.value());
                case HEX -> Long.toHexString(n.value());
                case OCT -> "0" + Long.toOctalString(n.value());
            };
        }
        if (v instanceof Value.ListValue l) {
            StringBuilder sb = new StringBuilder();
            for (Value item : l.items()) {
                String s = text(item);
                if (s != null) {
                    if (!sb.isEmpty()) {
                        sb.append(' ');
                    }
                    sb.append(s);
                }
            }
            return sb.toString();
        }
        if (v instanceof Value.ObjectValue o) {
            return o.fields().toString();
        }
        return null;
    }
}
