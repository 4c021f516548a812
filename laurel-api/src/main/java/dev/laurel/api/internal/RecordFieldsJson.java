package dev.laurel.api.internal;

import dev.laurel.api.EventJson;
import dev.laurel.api.Record;

/**
 * An {@link EventJson} that writes many of a record's fields in one call: what the {@code ecs}
 * and {@code ocsf} formats do for the fields they keep as they are ({@code auditd.*},
 * {@code unmapped}). One call per record instead of {@link EventJson#key} and
 * {@link EventJson#fieldValue} per field: laurel's compiler (C1) inlines little, so the calls per
 * field were a good part of those formats' cost. The engine's writer implements it;
 * {@link #write} takes any writer.
 *
 * <pre>{@code
 * // every field of the SYSCALL but fields 0 and 3, under keys spelled by the format
 * RecordFieldsJson.write(out, syscall, keys, 1L << 0 | 1L << 3);
 * }</pre>
 */
public interface RecordFieldsJson {

    /**
     * Writes, for every field {@code k} of {@code record} but those in {@code skip} (bit
     * {@code k} for field {@code k}; fields from 64 on are always written), the key
     * {@code keys[k]} (the field's name when {@code keys} is null) and the field's value as
     * {@link EventJson#fieldValue} writes it. A {@code keys} array is made for one list of
     * field names: it must be given only with records of those very names (as the ecs format
     * makes its keys per record layout), so that a writer may keep what it found for the
     * record's names by the array, without comparing them again.
     */
    void fields(Record record, String[] keys, long skip);

    /** {@link #fields} on {@code out}, or the same field by field if {@code out} has no such call. */
    static void write(EventJson out, Record record, String[] keys, long skip) {
        if (out instanceof RecordFieldsJson fields) {
            fields.fields(record, keys, skip);
            return;
        }
        for (int k = 0, n = record.size(); k < n; k++) {
            if (k >= 64 || (skip & 1L << k) == 0) {
                out.key(keys == null ? record.name(k) : keys[k]);
                out.fieldValue(record, k);
            }
        }
    }
}
