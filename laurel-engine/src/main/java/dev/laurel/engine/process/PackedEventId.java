package dev.laurel.engine.process;

import dev.laurel.api.EventId;

/**
 * An event id as a {@code long} and an {@code int}, 12 bytes in the entry that holds it, instead
 * of a reference to an {@link EventId} object (4 + 32 bytes): the process table keeps one for each
 * of up to 100,000 processes. {@code SECONDS.MILLIS} is kept as epoch milliseconds, the serial as
 * an unsigned 32-bit number (the kernel's and auditd's counters are {@code unsigned int}). An id
 * that does not pack so (possible in a hand-made log) is kept as an object by its holder, which
 * marks it with {@link #UNPACKED}.
 */
final class PackedEventId {
    /** The millisecond part of no id. */
    static final long NONE = Long.MIN_VALUE;
    /** The millisecond part of an id kept as an object elsewhere. */
    static final long UNPACKED = Long.MIN_VALUE + 1;
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1000 - 1;

    private PackedEventId() {
    }

    /** The millisecond part of {@code id}: {@link #NONE} for {@code null}, {@link #UNPACKED} if it does not pack. */
    static long millis(EventId id) {
        if (id == null) {
            return NONE;
        }
        boolean packs = id.seconds() >= 0 && id.seconds() <= MAX_SECONDS && id.millis() >= 0 && id.millis() <= 999
                && id.serial() >= 0 && id.serial() <= 0xFFFF_FFFFL;
        return packs ? id.seconds() * 1000 + id.millis() : UNPACKED;
    }

    /** The serial part of {@code id} (0 if {@link #millis} is not a time). */
    static int serial(EventId id) {
        return id == null ? 0 : (int) id.serial();
    }

    /** The id packed as {@code millis} and {@code serial}; {@code unpacked} if {@code millis} is {@link #UNPACKED}. */
    static EventId unpack(long millis, int serial, EventId unpacked) {
        if (millis == NONE) {
            return null;
        }
        return millis == UNPACKED ? unpacked
                : new EventId(millis / 1000, (int) (millis % 1000), Integer.toUnsignedLong(serial));
    }
}
