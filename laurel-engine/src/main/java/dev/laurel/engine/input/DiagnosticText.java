package dev.laurel.engine.input;

/**
 * The one escaping of text that goes into laurel's diagnostics (stderr, syslog): input is
 * anyone's text (a damaged record type such as {@code FAKE\x1b[2J\x1b[31m\rINJECTED\x07}, a node
 * name, a stray word, a pipe child's output), and written raw it could clear an admin's terminal,
 * recolour it, overwrite a line with {@code \r} or forge a second syslog line.
 *
 * <p>The rule: printable ASCII stays as it is; {@code \n} and {@code \r} become the two
 * characters {@code \n} and {@code \r} (a stack trace on stderr keeps its line breaks); a tab
 * stays; every other control character (C0, DEL, C1) becomes {@code \xNN}; Unicode format and
 * separator characters (bidirectional overrides, zero-width characters, U+2028, U+2029) become
 * <code>&#92;u{NNNN}</code>; other printable Unicode stays. Bytes of a line ({@link #of(byte[], int, int)})
 * are not known to be UTF-8: every byte outside printable ASCII becomes {@code \xNN}.
 *
 * <pre>{@code
 * DiagnosticText.of(bytes, 0, n)            // "FAKE\x1b[2J\x1b[31m\x0dINJECTED\x07"
 * DiagnosticText.escape(line, start, true)  // in place, keeping line breaks
 * }</pre>
 */
public final class DiagnosticText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DiagnosticText() {
    }

    /** Bytes of the input as text for a diagnostic: printable ASCII as is, every other byte {@code \xNN}. */
    public static String of(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len + 8);
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                hex(sb, c);
            }
        }
        return sb.toString();
    }

    /** {@code text} escaped for a diagnostic (line breaks too); {@code "null"} for {@code null}. */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(text);
        escape(sb, 0, false);
        return sb.toString();
    }

    /**
     * Escapes {@code text} from {@code from} on, in place; with {@code keepLineBreaks} a
     * {@code \n} stays a line break (stderr's stack traces), otherwise it becomes {@code \n}.
     */
    public static void escape(StringBuilder text, int from, boolean keepLineBreaks) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' && keepLineBreaks) {
                continue;
            }
            String replacement;
            if (c == '\n') {
                replacement = "\\n";
            } else if (c == '\r') {
                replacement = "\\r";
            } else if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                replacement = hex(new StringBuilder(4), c).toString();
            } else if (isInvisible(c)) {
                replacement = "\\u{" + Integer.toHexString(c) + "}";
            } else {
                continue;
            }
            text.replace(i, i + 1, replacement);
            i += replacement.length() - 1;
        }
    }

    private static boolean isInvisible(char c) {
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static StringBuilder hex(StringBuilder sb, int c) {
        return sb.append('\\').append('x').append(HEX[c >>> 4]).append(HEX[c & 15]);
    }
}
