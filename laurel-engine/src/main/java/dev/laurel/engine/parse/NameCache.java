package dev.laurel.engine.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Turns the bytes of a name (a field key, a record type, a node) into a String without
 * allocating for names seen before, and remembers one derived value per name (its
 * {@link FieldKind}, its {@link dev.laurel.api.RecordType}).
 *
 * <p>An open-addressing table with short probe runs: names given to the constructor stay; names
 * met later fill free slots and, once a run is full, replace the newest such entry, so hostile
 * input (EXECVE's {@code a0..a9999}, fuzzed keys) costs a String per field but never memory.
 * Names are decoded as ISO-8859-1 so every byte survives the trip back to the line. Not
 * thread-safe.
 */
final class NameCache<V> {
    private static final int PROBES = 8;
    private static final int MAX_LENGTH = 64;

    /** A cached name: its bytes, its String and the value derived from it. */
    static final class Entry<V> {
        final byte[] key;
        final String name;
        final V value;
        final int hash;
        /**
         * The field name that followed this name (or, for a record type, came first) last
         * time; auditd writes the fields of a record type in the same order line after line,
         * so the parser tries this one before hashing. Any entry is a correct guess when its
         * bytes match, evicted or not.
         */
        Entry<FieldKind> next;
        /** For a record type: how many fields its last record had (room to make in the next). */
        int fields = 16;
        /**
         * For a record type: its last record, whose field names the next one shares
         * ({@link dev.laurel.api.Record#Record(dev.laurel.api.RecordType, byte[], dev.laurel.api.Record)}).
         */
        dev.laurel.api.Record last;
        /** Whether the name holds no 0x1D byte, so that it may be a field name of a record's body. */
        final boolean plain;

        Entry(byte[] key, String name, V value) {
            this.key = key;
            this.name = name;
            this.value = value;
            this.hash = NameCache.hash(key, 0, key.length);
            boolean gs = false;
            for (byte b : key) {
                gs |= b == 0x1d;
            }
            this.plain = !gs;
        }
    }

    private final Entry<V>[] slots;
    private final boolean[] pinned;
    private final int mask;
    private final Function<String, V> derive;

    @SuppressWarnings("unchecked")
    NameCache(int capacity, Iterable<String> known, Function<String, V> derive) {
        int n = Integer.highestOneBit(Math.max(capacity, 16) - 1) << 1;
        this.slots = (Entry<V>[]) new Entry<?>[n];
        this.pinned = new boolean[n];
        this.mask = n - 1;
        this.derive = derive;
        for (String name : known) {
            byte[] key = name.getBytes(StandardCharsets.ISO_8859_1);
            int i = find(key, 0, key.length, true);
            if (i >= 0 && slots[i] == null) {
                slots[i] = new Entry<>(key, name, derive.apply(name));
                pinned[i] = true;
            }
        }
    }

    /** The entry for {@code b[off, off+len)}; cached if there is room. */
    Entry<V> get(byte[] b, int off, int len) {
        if (len > MAX_LENGTH) {
            return fresh(b, off, len);
        }
        int i = find(b, off, len, false);
        if (i >= 0 && slots[i] != null) {
            return slots[i];
        }
        Entry<V> e = fresh(b, off, len);
        if (i >= 0) {
            slots[i] = e;
        }
        return e;
    }

    private Entry<V> fresh(byte[] b, int off, int len) {
        String name = new String(b, off, len, StandardCharsets.ISO_8859_1).intern();
        return new Entry<>(Arrays.copyOfRange(b, off, off + len), name, derive.apply(name));
    }

    /**
     * The slot holding the name, else a free slot in its run, else (unless {@code pinnedOnly})
     * the last unpinned slot of the run to be replaced; -1 if the run is all pinned.
     */
    private int find(byte[] b, int off, int len, boolean pinnedOnly) {
        int h = hash(b, off, len);
        int reuse = -1;
        for (int p = 0; p < PROBES; p++) {
            int i = (h + p) & mask;
            Entry<V> e = slots[i];
            if (e == null) {
                return i;
            }
            if (e.hash == h && sameBytes(e.key, b, off, len)) {
                return i;
            }
            if (!pinned[i]) {
                reuse = i;
            }
        }
        if (pinnedOnly || reuse < 0) {
            return -1;
        }
        slots[reuse] = null;
        return reuse;
    }

    // A plain loop: names are short, and C1 (the launcher's compiler) calls Arrays.equals's
    // range checks and intrinsic out of line.
    private static boolean sameBytes(byte[] key, byte[] b, int off, int len) {
        if (key.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (key[i] != b[off + i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code e} is the name {@code b[off, off+len)}; {@code e} may be null. */
    static boolean matches(Entry<?> e, byte[] b, int off, int len) {
        return e != null && sameBytes(e.key, b, off, len);
    }

    static int hash(byte[] b, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }
}
