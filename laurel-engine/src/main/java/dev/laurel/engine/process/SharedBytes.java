package dev.laurel.engine.process;

import java.util.Arrays;

/**
 * One array for equal values: a host runs the same few programs thousands of times, so the
 * process table would otherwise hold thousands of copies of {@code "/usr/bin/true"} and
 * {@code "true"}. A bounded cache, not a complete intern table: a value whose few slots are
 * taken by others replaces one of them, so the table never grows and a missed share only costs
 * memory. Arrays passed in must never be modified afterwards (comm and exe never are).
 *
 * <p>Not thread-safe: owned by the {@link ProcessTracker}.
 */
final class SharedBytes {
    private static final int PROBES = 4;

    private final byte[][] table;

    /** A table of {@code slots} entries, a power of two. */
    SharedBytes(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, got " + slots);
        }
        this.table = new byte[slots][];
    }

    /** The array already held for a value equal to {@code value}, else {@code value} (now held). */
    byte[] share(byte[] value) {
        if (value == null) {
            return null;
        }
        int h = Arrays.hashCode(value);
        h ^= h >>> 16;
        int mask = table.length - 1;
        for (int i = 0; i < PROBES; i++) {
            int slot = (h + i) & mask;
            byte[] held = table[slot];
            if (held == null) {
                table[slot] = value;
                return value;
            }
            if (Arrays.equals(held, value)) {
                return held;
            }
        }
        table[h & mask] = value;
        return value;
    }
}
