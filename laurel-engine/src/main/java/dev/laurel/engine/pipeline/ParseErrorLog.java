package dev.laurel.engine.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The parse-error log's entries: one line each for the lines laurel could not use or kept with
 * a warning, as the input line's number, a tab, the reason, a tab and the line, where bytes
 * outside printable ASCII and backslashes are written {@code \xHH} and a line longer than
 * {@value #LOGGED_LINE_BYTES} bytes is cut there with a note of what was left out:
 *
 * <pre>
 * 17	no msg=audit(...)	type=SYSCALL garbage\x1b[0m
 * </pre>
 *
 * Each entry goes to the stream with one {@code write} call, so that a size-limited log
 * ({@code cli.ParseErrorLogFile}) rotates between entries, never inside one. Not thread-safe:
 * the pipeline's thread writes it.
 */
final class ParseErrorLog {
    /** Longest part of a line written; the rest is summarised. */
    static final int LOGGED_LINE_BYTES = 64 * 1024;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    /** One entry, written with one call. */
    private final ByteArrayOutputStream entry = new ByteArrayOutputStream(256);

    ParseErrorLog(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Writes the entry for input line number {@code lineNumber}, {@code data[start, start+length)}. */
    void write(long lineNumber, String reason, byte[] data, int start, int length) throws IOException {
        entry.reset();
        appendAscii(Long.toString(lineNumber));
        entry.write('\t');
        appendAscii(reason == null ? "unknown" : reason);
        entry.write('\t');
        int n = Math.min(length, LOGGED_LINE_BYTES);
        for (int i = start; i < start + n; i++) {
            int b = data[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                entry.write(b);
            } else {
                entry.write('\\');
                entry.write('x');
                entry.write(HEX[b >>> 4]);
                entry.write(HEX[b & 15]);
            }
        }
        if (n < length) {
            appendAscii("... (" + (length - n) + " more bytes)");
        }
        entry.write('\n');
        entry.writeTo(out);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Appends {@code text} with anything outside printable ASCII (or a tab) as {@code ?}. */
    private void appendAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            entry.write(c >= 0x20 && c < 0x7f ? c : '?');
        }
    }
}
