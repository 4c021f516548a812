package dev.laurel.plugins.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a Sigma condition into a {@link Detection}: {@code or} binds least, then {@code and},
 * {@code not}, {@code 1 of}/{@code all of}, parentheses. {@code 1 of X*} and {@code all of X*}
 * name search identifiers by a pattern with {@code *}; {@code them} is every identifier not
 * starting with {@code _}.
 *
 * <pre>{@code
 * Detection d = new ConditionParser("selection and not 1 of filter_*", selections).parse();
 * }</pre>
 */
final class ConditionParser {

    /** A condition that is not valid Sigma; {@code unsupported} for valid constructs laurel does not run. */
    static final class ConditionException extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean unsupported;

        ConditionException(String message, boolean unsupported) {
            super(message);
            this.unsupported = unsupported;
        }
    }

    private final String text;
    private final Map<String, Detection.Selection> selections;
    private final List<String> tokens = new ArrayList<>();
    private int pos;

    ConditionParser(String text, Map<String, Detection.Selection> selections) {
        this.text = text;
        this.selections = selections;
    }

    Detection parse() throws ConditionException {
        if (text.indexOf('|') >= 0) {
            throw new ConditionException("aggregation in the condition (" + text.substring(text.indexOf('|')).trim()
                    + ", Sigma 1 syntax; write it as a correlation rule)", true);
        }
        tokenize();
        if (tokens.isEmpty()) {
            throw new ConditionException("the condition is empty", false);
        }
        Detection d = or();
        if (pos < tokens.size()) {
            throw new ConditionException("unexpected '" + tokens.get(pos) + "' in condition: " + text, false);
        }
        return d;
    }

    private void tokenize() {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(String.valueOf(c));
                i++;
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                        && text.charAt(i) != '(' && text.charAt(i) != ')') {
                    i++;
                }
                tokens.add(text.substring(start, i));
            }
        }
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean take(String word) {
        String t = peek();
        if (t != null && t.toLowerCase(Locale.ROOT).equals(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private Detection or() throws ConditionException {
        List<Detection> parts = new ArrayList<>();
        parts.add(and());
        while (take("or")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Detection.Or(parts);
    }

    private Detection and() throws ConditionException {
        List<Detection> parts = new ArrayList<>();
        parts.add(not());
        while (take("and")) {
            parts.add(not());
        }
        return parts.size() == 1 ? parts.get(0) : new Detection.And(parts);
    }

    private Detection not() throws ConditionException {
        if (take("not")) {
            return new Detection.Not(not());
        }
        return primary();
    }

    private Detection primary() throws ConditionException {
        String t = peek();
        if (t == null) {
            throw new ConditionException("the condition ends too early: " + text, false);
        }
        if (take("(")) {
            Detection d = or();
            if (!take(")")) {
                throw new ConditionException("a '(' is not closed in condition: " + text, false);
            }
            return d;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if ((lower.equals("1") || lower.equals("all") || lower.equals("any"))
                && pos + 1 < tokens.size() && tokens.get(pos + 1).equalsIgnoreCase("of")) {
            pos += 2;
            String pattern = peek();
            if (pattern == null || pattern.equals("(") || pattern.equals(")")) {
                throw new ConditionException("'" + t + " of' needs a pattern or 'them' in condition: " + text, false);
            }
            pos++;
            List<Detection> parts = new ArrayList<>();
            boolean them = pattern.equalsIgnoreCase("them");
            for (Map.Entry<String, Detection.Selection> e : selections.entrySet()) {
                String name = e.getKey();
                if (them ? !name.startsWith("_") : ValueMatcher.Glob.glob(pattern.replace('*', SigmaString.STAR), name)) {
                    parts.add(e.getValue());
                }
            }
            if (parts.isEmpty()) {
                throw new ConditionException("'" + t + " of " + pattern + "' names no search identifier (there are "
                        + String.join(", ", selections.keySet()) + ")", false);
            }
            if (parts.size() == 1) {
                return parts.get(0);
            }
            return lower.equals("all") ? new Detection.And(parts) : new Detection.Or(parts);
        }
        if (Character.isDigit(t.charAt(0)) && pos + 1 < tokens.size() && tokens.get(pos + 1).equalsIgnoreCase("of")) {
            throw new ConditionException("'" + t + " of' (only '1 of' and 'all of' are Sigma)", true);
        }
        if (lower.equals("and") || lower.equals("or") || lower.equals(")")) {
            throw new ConditionException("unexpected '" + t + "' in condition: " + text, false);
        }
        if (lower.equals("near")) {
            throw new ConditionException("'near' in the condition", true);
        }
        Detection.Selection s = selections.get(t);
        if (s == null) {
            throw new ConditionException("the condition names '" + t + "', which the detection does not define"
                    + " (there are " + String.join(", ", selections.keySet()) + ")", false);
        }
        pos++;
        return s;
    }
}
