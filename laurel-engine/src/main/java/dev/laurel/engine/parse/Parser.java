package dev.laurel.engine.parse;

/**
 * Turns one input line into a record, for the pipeline; {@link LineParser} in production, a
 * stand-in in tests. Not thread-safe: one per pipeline thread.
 *
 * <pre>{@code
 * ParsedRecord r = parser.parse(line, 0, line.length);
 * if (r == null) {
 *     log(parser.lastError());
 * }
 * }</pre>
 */
public interface Parser {
    /** The record, or {@code null} if the line is not an audit record (see {@link #lastError()}). */
    ParsedRecord parse(byte[] line, int offset, int length);

    /** Why the last {@link #parse} returned {@code null}. */
    String lastError();

    /**
     * What the last successful {@link #parse} found irregular but kept (an unclosed quote),
     * or {@code null}; the pipeline writes such lines to the parse-error log too.
     */
    default String lastWarning() {
        return null;
    }
}
