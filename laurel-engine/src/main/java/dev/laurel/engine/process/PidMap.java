package dev.laurel.engine.process;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Processes by pid: open addressing on an {@code int[]} (a pid is a C {@code int}), so that a table
 * of a hundred thousand processes holds no {@code Long} and no map node per entry (56 bytes each
 * with a HashMap): 8 bytes a slot, at most 3/4 of the slots used. A pid outside {@code int} is never
 * stored (no process has one). Linear probing with backward-shift deletion; not thread-safe (the
 * tracker's owner is one thread).
 */
final class PidMap<V> {
    private static final int MIN_CAPACITY = 64;

    private int[] keys;
    private Object[] values;   // null marks a free slot
    private int size;

    PidMap() {
        keys = new int[MIN_CAPACITY];
        values = new Object[MIN_CAPACITY];
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long pid) {
        if (pid != (int) pid) {
            return null;
        }
        int mask = keys.length - 1;
        for (int i = slot((int) pid, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == pid) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Maps {@code pid} (an {@code int}) to {@code value} (not null), replacing what it had. */
    void put(long pid, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        if (pid != (int) pid) {
            throw new IllegalArgumentException("not a pid: " + pid);
        }
        if ((size + 1) * 4 > keys.length * 3) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        int i = slot((int) pid, mask);
        while (values[i] != null) {
            if (keys[i] == pid) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = (int) pid;
        values[i] = value;
        size++;
    }

    void remove(long pid) {
        if (pid != (int) pid) {
            return;
        }
        int mask = keys.length - 1;
        int i = slot((int) pid, mask);
        while (values[i] != null) {
            if (keys[i] == pid) {
                delete(i);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** The values, in no particular order: a copy, so the map may change while it is read. */
    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> out = new ArrayList<>(size);
        for (Object v : values) {
            if (v != null) {
                out.add((V) v);
            }
        }
        return out;
    }

    /** Calls {@code action} with every value, in no particular order; the map must not change meanwhile. */
    @SuppressWarnings("unchecked")
    void forEach(Consumer<V> action) {
        for (Object v : values) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }

    /** Removes every entry whose value matches, in place (no copy of a table of 100,000). */
    @SuppressWarnings("unchecked")
    void removeIf(Predicate<V> test) {
        // A deletion moves later entries of the probe run back, possibly into slot i: look at i
        // again. An entry wrapped round from the start may move behind i and be tested twice;
        // it matched not the first time, so it does not the second.
        for (int i = 0; i < keys.length; ) {
            if (values[i] != null && test.test((V) values[i])) {
                delete(i);
            } else {
                i++;
            }
        }
    }

    /** Frees slot {@code i}, moving later entries of its probe run back so lookups still find them. */
    private void delete(int i) {
        int mask = keys.length - 1;
        values[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == null) {
                return;
            }
            int home = slot(keys[j], mask);
            // move j back to i unless its home lies cyclically in (i, j]
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }

    private void resize(int capacity) {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[capacity];
        values = new Object[capacity];
        int mask = capacity - 1;
        for (int k = 0; k < oldKeys.length; k++) {
            if (oldValues[k] != null) {
                int i = slot(oldKeys[k], mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[k];
                values[i] = oldValues[k];
            }
        }
    }

    private static int slot(int pid, int mask) {
        long h = pid * 0x9E3779B97F4A7C15L;   // pids are dense: spread them over the table
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
