package dev.laurel.plugins.sigma;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A Sigma string value as the modifiers work on it: text in which the wildcards are two
 * private-use characters ({@link #STAR}, {@link #ONE}), so that a literal {@code *} written
 * {@code \*} stays apart from the wildcard. Encoding modifiers turn the text into bytes, held one
 * char per byte ({@code bytes}), as auditd's decoded fields give binary data.
 */
record SigmaString(String text, boolean bytes) {
    static final char STAR = '\uE000';
    static final char ONE = '\uE001';

    private static final char[] DASHES = {'-', '/', '\u2013', '\u2014', '\u2015'};
    private static final String DASH_SET = String.valueOf(DASHES);

    /** The value as written in a rule: {@code *} and {@code ?} are wildcards, {@code \} escapes them. */
    static SigmaString parse(String written) {
        StringBuilder sb = new StringBuilder(written.length());
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c == '\\' && i + 1 < written.length()) {
                char n = written.charAt(i + 1);
                if (n == '*' || n == '?' || n == '\\') {
                    sb.append(n);
                    i++;
                    continue;
                }
                sb.append(c);
            } else if (c == '*') {
                sb.append(STAR);
            } else if (c == '?') {
                sb.append(ONE);
            } else {
                sb.append(c);
            }
        }
        return new SigmaString(sb.toString(), false);
    }

    boolean hasWildcards() {
        return text.indexOf(STAR) >= 0 || text.indexOf(ONE) >= 0;
    }

    SigmaString contains() {
        return new SigmaString(STAR + text + STAR, bytes);
    }

    SigmaString startsWith() {
        return new SigmaString(text + STAR, bytes);
    }

    SigmaString endsWith() {
        return new SigmaString(STAR + text, bytes);
    }

    /** {@code utf16le}, {@code utf16be}, {@code utf16} (with a byte order mark) and {@code wide}. */
    SigmaString utf16(String modifier) {
        byte[] b = switch (modifier) {
            case "utf16be" -> text.getBytes(StandardCharsets.UTF_16BE);
            case "utf16" -> concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE));
            default -> text.getBytes(StandardCharsets.UTF_16LE);
        };
        return new SigmaString(new String(b, StandardCharsets.ISO_8859_1), true);
    }

    private byte[] raw() {
        return bytes ? text.getBytes(StandardCharsets.ISO_8859_1) : text.getBytes(StandardCharsets.UTF_8);
    }

    SigmaString base64() {
        return new SigmaString(Base64.getEncoder().encodeToString(raw()), false);
    }

    /**
     * The three forms the value takes inside a longer base64 text, by its offset modulo 3, without
     * the characters that depend on the neighbouring bytes (pySigma's {@code base64offset}).
     */
    List<SigmaString> base64Offsets() {
        byte[] v = raw();
        int[] start = {0, 2, 3};
        int[][] endCut = {{0, 3, 2}, {0, 3, 2}, {0, 3, 2}};
        List<SigmaString> out = new ArrayList<>(3);
        for (int i = 0; i < 3; i++) {
            byte[] shifted = new byte[v.length + i];
            for (int k = 0; k < i; k++) {
                shifted[k] = ' ';
            }
            System.arraycopy(v, 0, shifted, i, v.length);
            String enc = Base64.getEncoder().encodeToString(shifted);
            int cut = endCut[i][(v.length + i) % 3];
            int end = enc.length() - cut;
            out.add(new SigmaString(start[i] < end ? enc.substring(start[i], end) : "", false));
        }
        return out;
    }

    /** How many of the five windash characters the value has, as {@link #windash} expands them. */
    int dashes() {
        return (int) text.chars().filter(SigmaString::isDash).count();
    }

    private static boolean isDash(int c) {
        return DASH_SET.indexOf(c) >= 0;
    }

    /**
     * {@code windash}: every way of writing each {@code -}, {@code /}, en dash, em dash or
     * horizontal bar as any of the five, as the Sigma specification has it (a rule may write
     * {@code /c} or {@code -c}): 5 to the power of {@link #dashes()} forms, which the caller bounds.
     */
    List<SigmaString> windash() {
        List<StringBuilder> forms = new ArrayList<>();
        forms.add(new StringBuilder());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isDash(c)) {
                List<StringBuilder> next = new ArrayList<>(forms.size() * DASHES.length);
                for (StringBuilder f : forms) {
                    for (char d : DASHES) {
                        next.add(new StringBuilder(f).append(d));
                    }
                }
                forms = next;
            } else {
                for (StringBuilder f : forms) {
                    f.append(c);
                }
            }
        }
        List<SigmaString> out = new ArrayList<>(forms.size());
        for (StringBuilder f : forms) {
            out.add(new SigmaString(f.toString(), bytes));
        }
        return out;
    }

    /**
     * The matcher: a literal comparison when the wildcards are only at the ends, else a glob.
     * Case-insensitive unless {@code cased}.
     */
    ValueMatcher compile(boolean cased) {
        String t = cased ? text : text.toLowerCase(Locale.ROOT);
        int from = 0;
        int to = t.length();
        while (from < to && t.charAt(from) == STAR) {
            from++;
        }
        while (to > from && t.charAt(to - 1) == STAR) {
            to--;
        }
        String core = t.substring(from, to);
        boolean lead = from > 0;
        boolean trail = to < t.length();
        if (core.indexOf(STAR) >= 0 || core.indexOf(ONE) >= 0) {
            return new ValueMatcher.Glob(t, cased);
        }
        ValueMatcher.Position p;
        if (core.isEmpty() && (lead || trail)) {
            p = ValueMatcher.Position.ANY;
        } else if (lead && trail) {
            p = ValueMatcher.Position.CONTAINS;
        } else if (lead) {
            p = ValueMatcher.Position.SUFFIX;
        } else if (trail) {
            p = ValueMatcher.Position.PREFIX;
        } else {
            p = ValueMatcher.Position.EXACT;
        }
        return new ValueMatcher.Literal(core, p, cased);
    }

    /** The text with the wildcards written back as {@code *} and {@code ?}, for messages. */
    @Override
    public String toString() {
        return text.replace(STAR, '*').replace(ONE, '?');
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
