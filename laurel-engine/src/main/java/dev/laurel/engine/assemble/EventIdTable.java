package dev.laurel.engine.assemble;

import dev.laurel.api.EventId;

/**
 * Entries by event id and node: open addressing on an array, looked up with the id's parts, so
 * that finding the event a record joins allocates no key object and calls no {@code equals}
 * through a map. Linear probing with backward-shift deletion; the table doubles when half full.
 * Not thread-safe (the assembler's owner is one thread).
 *
 * @param <E> the entries, which carry their own key
 */
final class EventIdTable<E extends EventIdTable.Entry> {
    private static final int MIN_CAPACITY = 1024;

    /**
     * A key: (node, seconds, millis, serial), set when the entry is made; an entry out of the
     * table may be {@linkplain #rekey given another} and added again.
     */
    static class Entry {
        String node;
        long seconds;
        int millis;
        long serial;
        int hash;

        Entry(String node, EventId id, int hash) {
            rekey(node, id, hash);
        }

        /** Gives this entry, which is in no table, the key (node, id) whose hash is {@code hash}. */
        final void rekey(String node, EventId id, int hash) {
            this.node = node;
            this.seconds = id.seconds();
            this.millis = id.millis();
            this.serial = id.serial();
            this.hash = hash;
        }
    }

    private Entry[] slots = new Entry[MIN_CAPACITY];
    private int size;

    /** The hash of (node, id) that {@link #get} and the entries use. */
    static int hash(String node, EventId id) {
        long h = id.serial() * 0x9E3779B97F4A7C15L + id.seconds() * 1000 + id.millis();
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        int x = (int) (h ^ (h >>> 32));
        return node == null ? x : x ^ node.hashCode() * 31;
    }

    int size() {
        return size;
    }

    /** The entry for (node, id), whose {@link #hash} is {@code hash}, or {@code null}. */
    @SuppressWarnings("unchecked")
    E get(String node, EventId id, int hash) {
        Entry[] s = slots;
        int mask = s.length - 1;
        long serial = id.serial();
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Entry e = s[i];
            if (e == null) {
                return null;
            }
            if (e.hash == hash && e.serial == serial && e.seconds == id.seconds() && e.millis == id.millis()
                    && (e.node == node || (node != null && node.equals(e.node)))) {
                return (E) e;
            }
        }
    }

    /** Adds an entry whose key is not in the table. */
    void add(E entry) {
        if ((size + 1) * 2 > slots.length) {
            resize(slots.length * 2);
        }
        int mask = slots.length - 1;
        int i = entry.hash & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = entry;
        size++;
    }

    /** Removes this entry (the very object) if it is in the table. */
    void remove(E entry) {
        Entry[] s = slots;
        int mask = s.length - 1;
        for (int i = entry.hash & mask; s[i] != null; i = (i + 1) & mask) {
            if (s[i] == entry) {
                delete(i);
                return;
            }
        }
    }

    /** Frees slot {@code i}, moving later entries of its probe run back so lookups still find them. */
    private void delete(int i) {
        Entry[] s = slots;
        int mask = s.length - 1;
        s[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Entry e = s[j];
            if (e == null) {
                return;
            }
            int home = e.hash & mask;
            // move j back to i unless its home lies cyclically in (i, j]
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                s[i] = e;
                s[j] = null;
                i = j;
            }
        }
    }

    private void resize(int capacity) {
        Entry[] old = slots;
        Entry[] s = new Entry[capacity];
        int mask = capacity - 1;
        for (Entry e : old) {
            if (e != null) {
                int i = e.hash & mask;
                while (s[i] != null) {
                    i = (i + 1) & mask;
                }
                s[i] = e;
            }
        }
        slots = s;
    }
}
