package dev.laurel.plugins.ecs;

import dev.laurel.api.Record;
import dev.laurel.api.internal.Records;

/**
 * Where a few named fields are in a record, as {@link Record#indexOf} finds them, kept while
 * records come with the very same names (compared by identity: the parser shares a type's names
 * line after line). An event's PATH records are looked up for many names, most of which a record
 * does not have, and an {@code indexOf} of an absent name reads every name twice.
 *
 * <pre>{@code
 * FieldSlots path = new FieldSlots("name", "inode");
 * int[] at = path.of(record);   // at[0]: the index of "name", or -1
 * }</pre>
 *
 * <p>Not thread-safe: one per format instance, used on the chain's thread.
 */
final class FieldSlots {
    private final String[] wanted;
    private final int[] slots;
    private String[] lastNames;

    FieldSlots(String... wanted) {
        this.wanted = wanted;
        this.slots = new int[wanted.length];
    }

    /** The index of each wanted name in {@code r} (-1 where it has none); valid until the next call. */
    int[] of(Record r) {
        if (Records.sameNames(lastNames, r)) {
            return slots;
        }
        for (int w = 0; w < wanted.length; w++) {
            slots[w] = r.indexOf(wanted[w]);
        }
        lastNames = Records.names(r);
        return slots;
    }
}
