package dev.laurel.plugins.sigma;

import java.util.ArrayList;
import java.util.List;

/**
 * Literals one of which a text must hold for a regular expression to be found in it, read from
 * the expression's simplest parts: plain characters, escaped punctuation and groups of plain
 * alternatives, in a row. {@code -(W|R)\s?...} gives {@code -W}, {@code -R}: the enricher then
 * runs the expression only on a command line that holds one of them. Anything it does not
 * understand ends a row; an expression with a top-level {@code |}, or in which no row is left,
 * gives {@code null} (no literal is required, as far as this can tell).
 */
final class RegexLiterals {
    private static final int MAX = 16;
    private static final String SPECIAL = ".[]{}()*+?^$|\\";
    /** Escapes that stand for one character of a class, or for no character (anchors). */
    private static final String CLASSES = "sSdDwWbBtnrfaehHvVRXZzAG";

    private final String re;
    private int pos;
    /** Set on a construct this does not read ({@code \\x41}, {@code \\Q}, back references): no literals. */
    private boolean unknown;

    private RegexLiterals(String re) {
        this.re = re;
    }

    /** The literals, as written (not lower-cased), or {@code null}. */
    static List<String> of(String re) {
        return new RegexLiterals(re).best();
    }

    private List<String> best() {
        if (topLevelAlternation() || re.startsWith("(?")) {
            return null;
        }
        List<String> best = null;
        List<String> run = List.of("");
        while (pos < re.length()) {
            List<String> item = item();
            boolean optional = false;
            boolean repeated = false;
            if (pos < re.length()) {
                char q = re.charAt(pos);
                if (q == '?' || q == '*') {
                    optional = true;
                    pos++;
                } else if (q == '+') {
                    repeated = true;
                    pos++;
                } else if (q == '{') {
                    int close = re.indexOf('}', pos);
                    if (close < 0) {
                        return null;
                    }
                    optional = re.startsWith("{0", pos) || re.startsWith("{,", pos);
                    repeated = !optional;
                    pos = close + 1;
                }
                while (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+') && (optional || repeated)) {
                    pos++;      // lazy or possessive
                }
            }
            if (item == null || optional) {
                best = better(best, run);
                run = List.of("");
                continue;
            }
            List<String> next = new ArrayList<>();
            for (String a : run) {
                for (String b : item) {
                    next.add(a + b);
                }
            }
            if (next.size() > MAX) {
                best = better(best, run);
                run = item;
            } else {
                run = next;
            }
            if (repeated) {
                best = better(best, run);
                run = List.of("");
            }
        }
        best = better(best, run);
        return unknown || best == null || best.contains("") ? null : best;
    }

    /** One item: its literals, or {@code null} if it is not plain; moves past it. */
    private List<String> item() {
        char c = re.charAt(pos);
        if (c == '\\') {
            if (pos + 1 >= re.length()) {
                pos++;
                return null;
            }
            char n = re.charAt(pos + 1);
            pos += 2;
            if (Character.isLetterOrDigit(n)) {
                unknown |= CLASSES.indexOf(n) < 0;
                return null;
            }
            return List.of(String.valueOf(n));
        }
        if (c == '[') {
            skipClass();
            return null;
        }
        if (c == '(') {
            int close = re.indexOf(')', pos);
            int inner = re.indexOf('(', pos + 1);
            if (close < 0 || inner >= 0 && inner < close) {
                pos = re.length();      // nested groups: stop here
                return null;
            }
            String body = re.substring(pos + 1, close);
            pos = close + 1;
            if (body.startsWith("?:")) {
                body = body.substring(2);
            } else if (body.startsWith("?")) {
                return null;
            }
            List<String> alternatives = new ArrayList<>();
            for (String a : body.split("\\|", -1)) {
                String plain = plain(a);
                if (plain == null || plain.isEmpty()) {
                    return null;
                }
                alternatives.add(plain);
            }
            return alternatives;
        }
        pos++;
        return SPECIAL.indexOf(c) >= 0 ? null : List.of(String.valueOf(c));
    }

    /** Moves past a character class: {@code []a]} and {@code [^]a]} hold a {@code ]}; escapes; nested classes. */
    private void skipClass() {
        int depth = 0;
        int i = pos;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                depth++;
                i++;
                if (i < re.length() && re.charAt(i) == '^') {
                    i++;
                }
                if (i < re.length() && re.charAt(i) == ']') {
                    i++;
                }
                continue;
            }
            i++;
            if (c == ']' && --depth == 0) {
                break;
            }
        }
        pos = i;
        unknown |= depth != 0;
    }

    /** The text of an alternative made of plain characters and escaped punctuation, or {@code null}. */
    private static String plain(String a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c == '\\' && i + 1 < a.length() && !Character.isLetterOrDigit(a.charAt(i + 1))) {
                sb.append(a.charAt(++i));
            } else if (SPECIAL.indexOf(c) >= 0) {
                return null;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private boolean topLevelAlternation() {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                return true;
            }
        }
        return false;
    }

    /** The set whose shortest literal is longer. */
    private static List<String> better(List<String> a, List<String> b) {
        if (b.contains("")) {
            return a;
        }
        if (a == null) {
            return b;
        }
        return shortest(b) > shortest(a) ? b : a;
    }

    private static int shortest(List<String> l) {
        return l.stream().mapToInt(String::length).min().orElse(0);
    }
}
