package dev.laurel.api.internal;

import dev.laurel.api.Encoding;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;

/**
 * The bridge through which {@link Records} reaches a {@link Record}'s storage, which is not
 * public. {@code Record} installs the one implementation when it is initialised (the JDK's
 * {@code SharedSecrets} pattern); code uses {@link Records}, never this class.
 */
public abstract class RecordAccess {
    /** Set once, by {@code Record}'s static initialiser. */
    private static volatile RecordAccess installed;

    protected RecordAccess() {
    }

    /**
     * Records {@code access} as the bridge; called by {@code Record} alone.
     *
     * @throws IllegalStateException if a bridge is installed already
     */
    public static synchronized void install(RecordAccess access) {
        if (installed != null) {
            throw new IllegalStateException("the Record bridge is installed already");
        }
        installed = access;
    }

    /**
     * The installed bridge, after initialising {@code Record}, which installs it. Not
     * synchronized: {@code Record}'s initialisation, which this may wait for, takes the lock.
     */
    static RecordAccess get() {
        try {
            Class.forName(Record.class.getName(), true, Record.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        RecordAccess access = installed;
        if (access == null) {
            throw new IllegalStateException("Record did not install its bridge");
        }
        return access;
    }

    /** A span's low byte to its encoding: 0 (no token) to {@code null}, ordinal + 1 to the encoding. */
    private static final Encoding[] SPAN_ENCODINGS = new Encoding[256];

    static {
        Encoding[] all = Encoding.values();
        for (int k = 0; k < all.length; k++) {
            SPAN_ENCODINGS[k + 1] = all[k];
        }
    }

    /**
     * The encoding a span holds, {@code null} for 0 (no token). The layout of a span, one
     * {@code long} per field: the token's offset in the line in the high 32 bits, its length in
     * the next 24, its encoding's ordinal + 1 in the low 8.
     */
    public static Encoding spanEncoding(long span) {
        return SPAN_ENCODINGS[(int) span & 0xff];
    }

    /** The token's offset in the line, from a span (see {@link #spanEncoding}). */
    public static int spanOffset(long span) {
        return (int) (span >>> 32);
    }

    /** The token's length, from a span (see {@link #spanEncoding}). */
    public static int spanLength(long span) {
        return (int) (span >>> 8) & 0xffffff;
    }

    /** Makes a span (see {@link #spanEncoding}). */
    public static long span(int offset, int length, Encoding encoding) {
        return (long) offset << 32 | (long) length << 8 | (encoding.ordinal() + 1);
    }

    protected abstract Record create(RecordType type, byte[] line, int capacity);

    protected abstract Record createLike(RecordType type, byte[] line, Record like);

    protected abstract void addToken(Record r, String name, int offset, int length, Encoding encoding);

    protected abstract Encoding tokenEncoding(Record r, int i);

    protected abstract long[] spans(Record r);

    protected abstract int tokenOffset(Record r, int i);

    protected abstract int tokenLength(Record r, int i);

    protected abstract boolean tokenIs(Record r, int i, String ascii);

    protected abstract void markEnrichedStart(Record r);
}
