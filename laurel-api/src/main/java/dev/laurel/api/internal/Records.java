package dev.laurel.api.internal;

import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

/**
 * How the engine's parser and assembler build {@link Record}s, and how the hot paths of the
 * engine and the built-in plugins read a field's token where the parser found it in
 * {@link Record#line()}, without making a {@link Value.Token}: the record's storage, which its
 * public API does not show. Outside the stability promise, like all of this package.
 *
 * <pre>{@code
 * Record r = Records.create(RecordType.SYSCALL, line, 32);
 * Records.addToken(r, "pid", 4, 2, Encoding.BARE);      // line[4, 6), no Token made
 * Encoding e = Records.tokenEncoding(r, 0);             // BARE; null once the value is set
 * int from = Records.tokenOffset(r, 0), to = from + Records.tokenLength(r, 0);
 * }</pre>
 */
public final class Records {
    /** A constant, so that the calls below bind to {@code Record}'s one bridge and inline. */
    private static final RecordAccess ACCESS = RecordAccess.get();

    private Records() {
    }

    /** A record with no fields yet, sized for {@code capacity} fields. */
    public static Record create(RecordType type, byte[] line, int capacity) {
        return ACCESS.create(type, line, capacity);
    }

    /**
     * A record with no fields yet, expected to get the same field names as {@code like} got
     * from {@link #addToken} (as auditd writes a record type's fields line after line): it shares
     * {@code like}'s array of names, each record copying it only when its own names differ or
     * change, so a parsed line does not cost a copy of its names. Marks {@code like}'s names as
     * shared.
     */
    public static Record createLike(RecordType type, byte[] line, Record like) {
        return ACCESS.createLike(type, line, like);
    }

    /**
     * Appends a field whose value is the {@link Value.Token} {@code line()[offset, offset+length)}
     * with {@code encoding}, as the parser finds it; the Token object is made only if
     * {@link Record#value(int)} is asked for it. A line of at most 16 MiB.
     *
     * @throws IndexOutOfBoundsException if the token is not inside the line
     */
    public static void addToken(Record r, String name, int offset, int length, Encoding encoding) {
        ACCESS.addToken(r, name, offset, length, encoding);
    }

    /**
     * The encoding of field {@code i} if its value is still the token parsed from the line
     * ({@link #addToken}), else {@code null}; it always agrees with {@link Record#value(int)}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= i < r.size()}
     */
    public static Encoding tokenEncoding(Record r, int i) {
        return ACCESS.tokenEncoding(r, i);
    }

    /**
     * The spans of {@code r}'s fields as the parser added them, for a loop over every field that
     * reads them without a call per field: {@code spans(r)[i]} for {@code 0 <= i < r.size()} is
     * field {@code i}'s token ({@link #spanEncoding}, {@link #spanOffset}, {@link #spanLength}),
     * or 0 where its value is no longer the token as parsed (then {@link #tokenEncoding} is
     * {@code null}). {@code null} when no field came from the line. Read-only, and valid only
     * until {@code r} is changed.
     */
    public static long[] spans(Record r) {
        return ACCESS.spans(r);
    }

    /** The encoding of a span from {@link #spans}, {@code null} for 0; as {@link #tokenEncoding}. */
    public static Encoding spanEncoding(long span) {
        return RecordAccess.spanEncoding(span);
    }

    /** The offset in the line of a span from {@link #spans}; as {@link #tokenOffset}. */
    public static int spanOffset(long span) {
        return RecordAccess.spanOffset(span);
    }

    /** The length of a span from {@link #spans}; as {@link #tokenLength}. */
    public static int spanLength(long span) {
        return RecordAccess.spanLength(span);
    }

    /**
     * Where field {@code i}'s token starts in {@link Record#line()}; meaningful only where
     * {@link #tokenEncoding} is not {@code null} (not checked further, for hot paths).
     */
    public static int tokenOffset(Record r, int i) {
        return ACCESS.tokenOffset(r, i);
    }

    /** The length of field {@code i}'s token in {@link Record#line()}; as {@link #tokenOffset}. */
    public static int tokenLength(Record r, int i) {
        return ACCESS.tokenLength(r, i);
    }

    /**
     * Whether field {@code i}'s value is a {@link Value.Token} that is the given ASCII text, as
     * {@link Value.Token#is} tells ({@code success=yes}); a token as parsed is compared in the
     * line, without making a Token.
     */
    public static boolean tokenIs(Record r, int i, String ascii) {
        return ACCESS.tokenIs(r, i, ascii);
    }

    /**
     * Whether {@code r}'s field names are the very strings of {@code names}, in order and no more,
     * compared by identity: the parser interns names and shares them between the records of a
     * type, line after line, so where a caller found fields by name in the record {@code names}
     * came from still holds for {@code r}. {@code false} if {@code names} is {@code null}.
     */
    public static boolean sameNames(String[] names, Record r) {
        int n = r.size();
        if (names == null || names.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (names[i] != r.name(i)) {
                return false;
            }
        }
        return true;
    }

    /** A copy of {@code r}'s field names, to compare later records with ({@link #sameNames}). */
    public static String[] names(Record r) {
        String[] names = new String[r.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = r.name(i);
        }
        return names;
    }

    /** Marks the fields added from now on as auditd's ENRICHED translations (after the 0x1D byte). */
    public static void markEnrichedStart(Record r) {
        ACCESS.markEnrichedStart(r);
    }
}
