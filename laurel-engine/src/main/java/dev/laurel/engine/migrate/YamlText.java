package dev.laurel.engine.migrate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the small subset of YAML a laurel config needs, by hand, so that the output keeps the
 * order and the comments the migration chose (a YAML library would drop comments). Scalars are
 * written plain when YAML cannot mistake them for anything else, otherwise quoted.
 */
final class YamlText {
    /** Words SnakeYAML (YAML 1.1) reads as booleans or null when plain. */
    private static final Set<String> RESERVED = Set.of("y", "n", "yes", "no", "on", "off", "true", "false",
            "null", "~");

    private final StringBuilder out = new StringBuilder();

    /** {@code # text} at this indentation; each line of {@code text} becomes one comment line. */
    YamlText comment(int indent, String text) {
        for (String line : text.split("\n", -1)) {
            indent(indent);
            out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
        return this;
    }

    YamlText blank() {
        out.append('\n');
        return this;
    }

    /** {@code key: value  # comment}; a map value becomes a block below the key. */
    YamlText entry(int indent, String key, Object value, String comment) {
        indent(indent);
        out.append(scalar(key)).append(':');
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            endLine(comment);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                entry(indent + 2, e.getKey().toString(), e.getValue(), null);
            }
            return this;
        }
        if (value != null) {
            out.append(' ').append(value(value));
        }
        endLine(comment);
        return this;
    }

    /** {@code - key: value  # comment}, the first line of a list item that is a mapping. */
    YamlText item(int indent, String key, Object value, String comment) {
        indent(indent);
        out.append("- ");
        return entry(0, key, value, comment);
    }

    private void endLine(String comment) {
        if (comment != null) {
            out.append("  # ").append(comment.replace('\n', ' '));
        }
        out.append('\n');
    }

    private void indent(int n) {
        out.append(" ".repeat(n));
    }

    /** A value in flow form: a scalar, or a list as {@code [a, b]}. */
    static String value(Object value) {
        if (value instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(value(list.get(i)));
            }
            return b.append(']').toString();
        }
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return "{}";
        }
        if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        return scalar(value.toString());
    }

    /**
     * A string as a YAML scalar: plain when it is a simple word or path YAML reads back as the
     * same string, single-quoted when it has only printable characters, double-quoted (with
     * escapes) otherwise.
     */
    static String scalar(String s) {
        if (isPlain(s)) {
            return s;
        }
        boolean printable = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
                    || c == '\ufeff' || Character.isSurrogate(c)) {
                printable = false;
                break;
            }
        }
        if (printable) {
            return "'" + s.replace("'", "''") + "'";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(String.format("\\U%08x", s.codePointAt(i)));
                        i++;
                    } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
                            || c == '\ufeff' || Character.isSurrogate(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static boolean isPlain(String s) {
        if (s.isEmpty() || RESERVED.contains(s.toLowerCase(Locale.ROOT))) {
            return false;
        }
        char first = s.charAt(0);
        if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first == '_' || first == '/')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '-' || c == '.' || c == '/' || c == '@')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
