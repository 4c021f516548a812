package dev.laurel.plugins.sigma;

import dev.laurel.api.Value;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The fields one Sigma log source sees in one event (an auditd record, a process creation, a
 * file written, a connection), as text. Values and their lower-case forms are made once per
 * source and field, however many rules ask: Sigma compares case-insensitively, and a rule set
 * asks for the same few fields again and again.
 */
abstract class FieldSource {
    /**
     * The fields looked up since the last {@link #reset}, their values and lower-case forms
     * ({@code null} until asked for; {@link #ABSENT} for a field not there): a few per record, so a
     * linear search by reference (rule field names are interned) beats a hash map's allocations.
     */
    private String[] names = new String[16];
    private String[] values = new String[16];
    private String[] lowers = new String[16];
    private int count;
    /** Marks a field looked up and found absent, so that it is not looked up again. */
    private static final String ABSENT = new String("\u0000absent");

    private String keywordText;
    private String keywordLower;

    /** The field's text, or {@code null} when this source has no such field. */
    protected abstract String lookup(String field);

    /** Writes the text a field-less (keyword) selection searches. */
    protected abstract void keywords(TextSink out);

    /**
     * Writes the field's text, as {@link #lookup} gives it, from where it lies (no String made);
     * {@code false} if this source cannot, and then the search reads {@link #lower}. An absent
     * field writes nothing.
     */
    protected boolean write(String field, TextSink out) {
        return false;
    }

    /**
     * Searches the field's text ({@code null}: the keyword text) for the scan's literals: in
     * the lower-cased String if a rule has made it already, else where it lies ({@link #write}),
     * else in the String made now.
     */
    final void search(String field, LiteralSearch.Scan scan) {
        scan.reset();
        String made = field == null ? keywordLower : madeLower(field);
        if (made == null) {
            boolean written;
            if (field == null) {
                keywords(scan);
                written = true;
            } else {
                written = write(field, scan);
            }
            if (written && !scan.failed()) {
                scan.end();
                return;
            }
            made = field == null ? keywordLower() : lower(field);
            if (made == null) {
                return;
            }
            scan.reset();
        } else if (made == ABSENT) {
            return;
        }
        scan.chars(made);
        scan.end();
    }

    /** The lower-cased text of the field if made already, {@link #ABSENT} if absent, else {@code null}. */
    private String madeLower(String field) {
        for (int i = 0; i < count; i++) {
            if (names[i] == field) {
                return values[i] == ABSENT ? ABSENT : lowers[i];
            }
        }
        return null;
    }

    /** Forgets the values of the previous record or event. */
    protected final void reset() {
        for (int i = 0; i < count; i++) {
            names[i] = null;
            values[i] = null;
            lowers[i] = null;
        }
        count = 0;
        keywordText = null;
        keywordLower = null;
    }

    private int slot(String field) {
        for (int i = 0; i < count; i++) {
            if (names[i] == field) {
                return i;
            }
        }
        for (int i = 0; i < count; i++) {
            if (names[i].equals(field)) {
                return i;
            }
        }
        if (count == names.length) {
            names = java.util.Arrays.copyOf(names, 2 * count);
            values = java.util.Arrays.copyOf(values, 2 * count);
            lowers = java.util.Arrays.copyOf(lowers, 2 * count);
        }
        String v = lookup(field);
        names[count] = field;
        values[count] = v == null ? ABSENT : v;
        return count++;
    }

    final String get(String field) {
        String v = values[slot(field)];
        return v == ABSENT ? null : v;
    }

    final String lower(String field) {
        int i = slot(field);
        String v = lowers[i];
        if (v == null) {
            String s = values[i];
            v = s == ABSENT ? ABSENT : s.toLowerCase(Locale.ROOT);
            lowers[i] = v;
        }
        return v == ABSENT ? null : v;
    }

    final String keywordText() {
        if (keywordText == null) {
            TextSink.Builder b = new TextSink.Builder();
            keywords(b);
            keywordText = b.sb.toString();
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
