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

    protected abstract Record create(RecordType type, byte[] line, int capacity);

    protected abstract Record createLike(RecordType type, byte[] line, Record like);

    protected abstract void addToken(Record r, String name, int offset, int length, Encoding encoding);

    protected abstract Encoding tokenEncoding(Record r, int i);

    protected abstract int tokenOffset(Record r, int i);

    protected abstract int tokenLength(Record r, int i);

    protected abstract boolean tokenIs(Record r, int i, String ascii);

    protected abstract void markEnrichedStart(Record r);
}
