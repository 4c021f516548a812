package dev.laurel.engine.process;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Processes by pid: open addressing on an array of the values themselves, each of which knows its
 * pid (a C {@code int}), so that a table of a hundred thousand processes holds no {@code Long}, no
 * map node (56 bytes each with a HashMap) and no key array: 4 bytes a slot, at most 3/4 of the
 * slots used. A pid outside {@code int} is never stored (no process has one). Linear probing with
 * backward-shift deletion; not thread-safe (the tracker's owner is one thread).
 */
final class PidMap<V> {
    private static final int MIN_CAPACITY = 64;

    private final ToIntFunction<V> pidOf;
    private Object[] values;   // null marks a free slot
    private int size;

    /** A map of values whose pid {@code pidOf} gives (it must not change while they are in the map). */
    PidMap(ToIntFunction<V> pidOf) {
        this.pidOf = pidOf;
        values = new Object[MIN_CAPACITY];
    }

    @SuppressWarnings("unchecked")
    private int pidAt(int slot) {
        return pidOf.applyAsInt((V) values[slot]);
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long pid) {
        if (pid != (int) pid) {
            return null;
        }
        int mask = values.length - 1;
        for (int i = slot((int) pid, mask); values[i] != null; i = (i + 1) & mask) {
            if (pidAt(i) == pid) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Maps {@code pid} (an {@code int}, the value's own) to {@code value} (not null), replacing what it had. */
    void put(long pid, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        if (pid != (int) pid) {
            throw new IllegalArgumentException("not a pid: " + pid);
        }
        if (pidOf.applyAsInt(value) != pid) {
            throw new IllegalArgumentException("the value's pid is " + pidOf.applyAsInt(value) + ", not " + pid);
        }
        if ((size + 1) * 4 > values.length * 3) {
            resize(values.length * 2);
        }
        int mask = values.length - 1;
        int i = slot((int) pid, mask);
        while (values[i] != null) {
            if (pidAt(i) == pid) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        values[i] = value;
        size++;
    }

    void remove(long pid) {
        if (pid != (int) pid) {
            return;
        }
        int mask = values.length - 1;
        int i = slot((int) pid, mask);
        while (values[i] != null) {
            if (pidAt(i) == pid) {
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
        for (int i = 0; i < values.length; ) {
            if (values[i] != null && test.test((V) values[i])) {
                delete(i);
            } else {
                i++;
            }
        }
    }

    /** Frees slot {@code i}, moving later entries of its probe run back so lookups still find them. */
    private void delete(int i) {
        int mask = values.length - 1;
        values[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == null) {
                return;
            }
            int home = slot(pidAt(j), mask);
            // move j back to i unless its home lies cyclically in (i, j]
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void resize(int capacity) {
        Object[] oldValues = values;
        values = new Object[capacity];
        int mask = capacity - 1;
        for (Object v : oldValues) {
            if (v != null) {
                int i = slot(pidOf.applyAsInt((V) v), mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                values[i] = v;
            }
        }
    }

    private static int slot(int pid, int mask) {
        long h = pid * 0x9E3779B97F4A7C15L;   // pids are dense: spread them over the table
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
