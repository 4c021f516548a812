package dev.laurel.engine.parse;

/**
 * Parses one line of auditd's output into a {@link ParsedRecord}, working on bytes.
 *
 * <p>Accepts every form auditd writes: an optional {@code node=NAME } prefix,
 * {@code type=NAME} or {@code type=UNKNOWN[n]}, {@code msg=audit(SEC.MSEC:SERIAL):}, then
 * {@code key=value} fields; ENRICHED format's translations after a 0x1D byte (upper-case keys,
 * possibly unquoted values with spaces such as {@code SADDR={ saddr_fam=inet ... }}); user-space
 * records' single-quoted {@code msg='...'}; quoted, bare and hex-encoded values, {@code (null)}
 * and {@code ?}.
 *
 * <p>Not thread-safe (reuses scratch state); one per reading thread.
 */
public final class LineParser {

    /**
     * Parses {@code line[offset, offset+length)} (no trailing newline). The returned record owns
     * a copy of those bytes. Returns {@code null} for a line that is not an audit record, with
     * the reason in {@link #lastError()}; never throws for any input.
     */
    public ParsedRecord parse(byte[] line, int offset, int length) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Why the last {@link #parse} returned {@code null}. */
    public String lastError() {
        throw new UnsupportedOperationException("not yet");
    }
}
