package dev.laurel.engine.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the TOML of LAUREL's config files: tables ({@code [a]}, {@code [a.b]}), bare, quoted and
 * dotted keys ({@code label-exe.'^/usr/bin/java$' = 'java'}), basic and literal strings,
 * integers, booleans and arrays (over several lines, with comments). Inline tables, dates,
 * floats and multi-line strings, which LAUREL's configs do not use, are errors.
 *
 * <pre>{@code
 * Map<String, Object> toml = LaurelToml.parse("user = \"_laurel\"\n[enrich]\npid = false\n");
 * // {user=_laurel, enrich={pid=false}}
 * }</pre>
 *
 * <p>Values are {@code String}, {@code Long}, {@code Boolean}, {@code List<Object>} and, for
 * tables, {@code Map<String, Object>} in file order.
 */
public final class LaurelToml {
    private final String text;
    private int pos;
    private int line = 1;

    private LaurelToml(String text) {
        this.text = text;
    }

    /** A TOML syntax error, with its 1-based line. */
    public static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** The document as nested maps. */
    public static Map<String, Object> parse(String text) throws SyntaxError {
        return new LaurelToml(text).document();
    }

    private Map<String, Object> document() throws SyntaxError {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> table = root;
        while (true) {
            skipBlankAndComments();
            if (pos >= text.length()) {
                return root;
            }
            if (peek() == '[') {
                pos++;
                if (peek() == '[') {
                    throw error("arrays of tables ([[...]]) are not used by LAUREL's config");
                }
                List<String> path = key();
                skipSpaces();
                expect(']');
                endOfLine();
                table = root;
                for (String part : path) {
                    table = subTable(table, part);
                }
            } else {
                List<String> path = key();
                skipSpaces();
                expect('=');
                skipSpaces();
                Object value = value();
                endOfLine();
                Map<String, Object> target = table;
                for (int i = 0; i < path.size() - 1; i++) {
                    target = subTable(target, path.get(i));
                }
                String last = path.get(path.size() - 1);
                if (target.containsKey(last)) {
                    throw error("\"" + String.join(".", path) + "\" is set twice");
                }
                target.put(last, value);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> subTable(Map<String, Object> table, String name) throws SyntaxError {
        Object existing = table.get(name);
        if (existing == null) {
            Map<String, Object> created = new LinkedHashMap<>();
            table.put(name, created);
            return created;
        }
        if (existing instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw error("\"" + name + "\" is a value, not a table");
    }

    /** A key: parts joined by dots, each bare or quoted. */
    private List<String> key() throws SyntaxError {
        List<String> parts = new ArrayList<>();
        while (true) {
            skipSpaces();
            char c = peek();
            if (c == '"') {
                parts.add(basicString());
            } else if (c == '\'') {
                parts.add(literalString());
            } else {
                int start = pos;
                while (pos < text.length() && isBareKeyChar(text.charAt(pos))) {
                    pos++;
                }
                if (start == pos) {
                    throw error("expected a key, found " + describe(c));
                }
                parts.add(text.substring(start, pos));
            }
            skipSpaces();
            if (peek() != '.') {
                return parts;
            }
            pos++;
        }
    }

    private Object value() throws SyntaxError {
        char c = peek();
        if (c == '"') {
            if (text.startsWith("\"\"\"", pos)) {
                throw error("multi-line strings are not used by LAUREL's config");
            }
            return basicString();
        }
        if (c == '\'') {
            return literalString();
        }
        if (c == '[') {
            return array();
        }
        if (c == '{') {
            throw error("inline tables are not used by LAUREL's config");
        }
        if (text.startsWith("true", pos)) {
            pos += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", pos)) {
            pos += 5;
            return Boolean.FALSE;
        }
        int start = pos;
        if (c == '+' || c == '-') {
            pos++;
        }
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String digits = text.substring(start, pos).replace("_", "");
        if (digits.isEmpty() || digits.equals("+") || digits.equals("-")) {
            throw error("expected a value (a string, a number, true, false or [a list]), found " + describe(c));
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("\"" + digits + "\" is not a number laurel can read");
        }
    }

    private List<Object> array() throws SyntaxError {
        expect('[');
        List<Object> items = new ArrayList<>();
        while (true) {
            skipBlankAndComments();
            if (peek() == ']') {
                pos++;
                return items;
            }
            items.add(value());
            skipBlankAndComments();
            if (peek() == ',') {
                pos++;
            } else if (peek() != ']') {
                throw error("expected , or ] in a list, found " + describe(peek()));
            }
        }
    }

    private String basicString() throws SyntaxError {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length() || peek() == '\n') {
                throw error("a string is not closed with \" on its line");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = pos < text.length() ? text.charAt(pos++) : '?';
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u', 'U' -> {
                    int n = e == 'u' ? 4 : 8;
                    if (pos + n > text.length()) {
                        throw error("\\" + e + " needs " + n + " hex digits");
                    }
                    try {
                        sb.appendCodePoint(Integer.parseInt(text.substring(pos, pos + n), 16));
                    } catch (IllegalArgumentException bad) {
                        throw error("\\" + e + text.substring(pos, pos + n) + " is not a character");
                    }
                    pos += n;
                }
                default -> throw error("\\" + e + " is not a TOML escape; write \\\\ for a backslash, or use"
                        + " a 'literal string'");
            }
        }
    }

    private String literalString() throws SyntaxError {
        expect('\'');
        int end = text.indexOf('\'', pos);
        int newline = text.indexOf('\n', pos);
        if (end < 0 || (newline >= 0 && newline < end)) {
            throw error("a string is not closed with ' on its line");
        }
        String s = text.substring(pos, end);
        pos = end + 1;
        return s;
    }

    private void endOfLine() throws SyntaxError {
        skipSpaces();
        if (pos < text.length() && peek() == '#') {
            while (pos < text.length() && peek() != '\n') {
                pos++;
            }
        }
        if (pos < text.length()) {
            if (peek() == '\r') {
                pos++;
            }
            if (pos < text.length() && peek() != '\n') {
                throw error("unexpected " + describe(peek()) + " after the value; one key = value per line");
            }
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private void skipBlankAndComments() {
        while (pos < text.length()) {
            char c = peek();
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < text.length() && peek() != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) throws SyntaxError {
        if (peek() != c) {
            throw error("expected " + c + ", found " + describe(peek()));
        }
        pos++;
    }

    private static boolean isBareKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static String describe(char c) {
        return c == '\0' ? "the end of the file" : c == '\n' ? "the end of the line" : "'" + c + "'";
    }

    private SyntaxError error(String message) {
        return new SyntaxError(line, message);
    }
}
