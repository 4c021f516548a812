package dev.laurel.engine.assemble;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.engine.parse.ParsedRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Groups parsed records into events by (node, event id).
 *
 * <h2>When an event is complete</h2>
 * <ul>
 * <li>A kernel event (any record type that is not user-space) is complete at its EOE record;
 * the EOE itself is not kept in the event.</li>
 * <li>A user-space record ({@link RecordType#isUserSpace()}: 1100-1299, 2100-2999) is an event
 * by itself and is emitted at once, even when it shares its id with a pending kernel event (so
 * an id is not unique in the output, as in LAUREL).</li>
 * <li>Records of different events may interleave arbitrarily; each event keeps its records in
 * input order.</li>
 * </ul>
 *
 * <h2>Bounded waits for events whose EOE never comes</h2>
 * A pending kernel event is emitted without its EOE (and counted in {@link #incompleteEvents()})
 * by the first of these that happens:
 * <ol>
 * <li><b>Event time.</b> Let {@code T} be the pending event's time (its id's
 * {@link EventId#epochMillis()}). When a record whose id's time is {@code >= T +
 * eventTimeWait} is passed to {@link #accept}, the event is emitted before that record is
 * handled. Records with an earlier time (a clock set back) expire nothing.</li>
 * <li><b>Wall-clock time</b>, for live input. The assembler reads no clock: the caller passes
 * one to {@link #expire(long)}. An event is stamped with the {@code nowMillis} of the first
 * {@code expire} call after its latest record, and emitted by the first later {@code expire}
 * call whose {@code nowMillis > stamp + wallClockWait}. So the wait since the latest record
 * is more than {@code wallClockWait} and at most {@code wallClockWait} plus twice the interval
 * between the caller's {@code expire} calls. A {@code nowMillis} before the stamp (the clock
 * went back) restamps the event.</li>
 * <li><b>Pending limit.</b> When a record starts a new event and more than
 * {@code pendingEvents} events are then pending, the oldest pending event (the one whose first
 * record arrived first) is emitted; events are never dropped.</li>
 * <li><b>End of input.</b> {@link #flush()} emits every pending event, oldest first.</li>
 * </ol>
 * Events expired together are emitted oldest first (by arrival of their first record).
 *
 * <h2>Late and stray records</h2>
 * A record for an event that was already emitted (a late record after the EOE, a duplicate
 * line) is not lost: it starts a new event with that id, which the rules above then emit. Such
 * records are counted in {@link #lateRecords()} when the emitted event is among the recently
 * emitted ones (a direct-mapped memory of 4,096 ids; a diagnostic, not a guarantee). An EOE
 * for an event that is not pending is ignored and counted in {@link #orphanEoes()}.
 *
 * <h2>EXECVE</h2>
 * When an event is emitted, its EXECVE records (the kernel splits long argument lists over
 * several, and long arguments into {@code aN_len} plus {@code aN[i]} fragments) become one
 * EXECVE record at the place of the first, with the first {@code argc} token as written, an
 * {@code ARGV} {@link dev.laurel.api.Value.ListValue} of the arguments by index, then any other
 * fields; {@code aN_len} is dropped. An argument written whole keeps its token (quoted or hex);
 * fragments are joined in index order into a hex token if all are hex, a double-quoted token if
 * all are double-quoted, else {@link dev.laurel.api.Value.Text} of the decoded bytes. Missing
 * arguments or fragments are skipped; a repeated one keeps its first value.
 *
 * <pre>{@code
 * EventAssembler assembler = new EventAssembler(chain::accept);
 * for (ParsedRecord r : records) {
 *     assembler.accept(r);
 * }
 * assembler.flush();
 * }</pre>
 *
 * <p>Not thread-safe and not re-entrant (the consumer must not call back into it): owned by
 * the pipeline thread. Input records are not modified.
 */
public final class EventAssembler {

    /** Size of the memory of recently emitted event ids used to count late records. */
    static final int RECENT_SLOTS = 4096;

    /** A pending event's wall-clock stamp before the first {@link #expire} call after its last record. */
    private static final long UNSTAMPED = Long.MIN_VALUE;

    /**
     * How long the assembler waits for missing EOEs and how many events it holds.
     *
     * @param pendingEvents  the most events held waiting for their EOE, at least 1
     * @param eventTimeWait  how far a record's event time must be past a pending event's time to
     *                       emit it, not negative
     * @param wallClockWait  how long, by the caller's clock, a pending event waits after its last
     *                       record, not negative
     */
    public record Limits(int pendingEvents, Duration eventTimeWait, Duration wallClockWait) {
        /** 10,000 pending events, 3 s of event time, 5 s of wall-clock time. */
        public static final Limits DEFAULTS = new Limits(10_000, Duration.ofSeconds(3), Duration.ofSeconds(5));

        public Limits {
            if (pendingEvents < 1) {
                throw new IllegalArgumentException("pendingEvents must be at least 1, got " + pendingEvents);
            }
            Objects.requireNonNull(eventTimeWait, "eventTimeWait");
            Objects.requireNonNull(wallClockWait, "wallClockWait");
            if (eventTimeWait.isNegative() || wallClockWait.isNegative()) {
                throw new IllegalArgumentException("waits must not be negative, got eventTimeWait="
                        + eventTimeWait + " wallClockWait=" + wallClockWait);
            }
        }
    }

    private final Consumer<AuditEvent> out;
    private final int maxPending;
    private final long eventTimeWait;
    private final long wallClockWait;

    private final HashMap<EventKey, Pending> byKey;
    /** Reused for lookups so that a record that joins a pending event allocates nothing here. */
    private final EventKey probe = new EventKey();
    /** Ids of recently emitted kernel events, direct-mapped by hash; only for {@link #lateRecords()}. */
    private final EventKey[] recent = new EventKey[RECENT_SLOTS];
    private final ExecveArgs execveArgs = new ExecveArgs();

    /** Pending events in arrival order of their first record. */
    private Pending oldest;
    private Pending newest;
    /**
     * No pending event expires by event time before a record with this time; may be lower than
     * the true minimum (after an event completes), which only costs one extra scan.
     */
    private long eventTimeDeadline = Long.MAX_VALUE;

    private long lateRecords;
    private long orphanEoes;
    private long incompleteEvents;

    /** Completed events go to {@code out}, in completion order; {@link Limits#DEFAULTS}. */
    public EventAssembler(Consumer<AuditEvent> out) {
        this(out, Limits.DEFAULTS);
    }

    /** Completed events go to {@code out}, in completion order. */
    public EventAssembler(Consumer<AuditEvent> out, Limits limits) {
        this.out = Objects.requireNonNull(out, "out");
        this.maxPending = limits.pendingEvents();
        this.eventTimeWait = toMillis(limits.eventTimeWait());
        this.wallClockWait = toMillis(limits.wallClockWait());
        this.byKey = new HashMap<>(64);
    }

    /** Adds one record; may complete this or older events. */
    public void accept(ParsedRecord parsed) {
        EventId id = parsed.id();
        Record record = parsed.record();
        long time = id.epochMillis();
        if (time >= eventTimeDeadline) {
            expireByEventTime(time);
        }
        RecordType type = record.type();
        if (type.isUserSpace()) {
            AuditEvent lone = new AuditEvent(id, parsed.node());
            lone.records().add(record);
            out.accept(lone);
            return;
        }
        probe.set(parsed.node(), id);
        Pending p = byKey.get(probe);
        if (type == RecordType.EOE) {
            if (p == null) {
                orphanEoes++;
            } else {
                emit(p, true);
            }
            return;
        }
        if (p == null) {
            if (probe.equals(recent[probe.hash & (RECENT_SLOTS - 1)])) {
                lateRecords++;
            }
            p = new Pending(probe.copy(), new AuditEvent(id, parsed.node()), time);
            byKey.put(p.key, p);
            link(p);
            eventTimeDeadline = Math.min(eventTimeDeadline, plus(time, eventTimeWait));
            p.event.records().add(record);
            countExecve(p, type);
            if (byKey.size() > maxPending) {
                emit(oldest, false);
            }
            return;
        }
        p.event.records().add(record);
        p.lastSeen = UNSTAMPED;
        countExecve(p, type);
    }

    /**
     * Emits the events that have waited longer than the wall-clock limit as of
     * {@code nowMillis} (see the class comment for the exact rule). Call it periodically, with
     * a clock that does not jump, such as {@code System.currentTimeMillis()}.
     */
    public void expire(long nowMillis) {
        Pending p = oldest;
        while (p != null) {
            Pending next = p.next;
            if (p.lastSeen == UNSTAMPED || nowMillis < p.lastSeen) {
                p.lastSeen = nowMillis;
            } else if (nowMillis > plus(p.lastSeen, wallClockWait)) {
                emit(p, false);
            }
            p = next;
        }
    }

    /** Emits every pending event, oldest first (end of input). */
    public void flush() {
        while (oldest != null) {
            emit(oldest, false);
        }
    }

    /** The number of events still waiting for records. */
    public int pending() {
        return byKey.size();
    }

    /**
     * The input lines of the pending events' records: oldest event first, each event's records in
     * input order. Parsing them and passing them to {@link #accept} of a fresh assembler restores
     * these pending events exactly (the state file does so across restarts); the line carries
     * the node. Pending records are not modified before their event is emitted.
     */
    public List<byte[]> pendingLines() {
        List<byte[]> lines = new ArrayList<>();
        for (Pending p = oldest; p != null; p = p.next) {
            for (Record r : p.event.records()) {
                lines.add(r.line());
            }
        }
        return lines;
    }

    /** Records that arrived for a recently emitted event and so started a new one. */
    public long lateRecords() {
        return lateRecords;
    }

    /** EOE records for events that were not pending, ignored. */
    public long orphanEoes() {
        return orphanEoes;
    }

    /** Kernel events emitted without their EOE: by a wait, the pending limit or {@link #flush()}. */
    public long incompleteEvents() {
        return incompleteEvents;
    }

    /** EXECVE records folded into another record of their event by the merge. */
    public long foldedExecveRecords() {
        return execveArgs.folded();
    }

    private static void countExecve(Pending p, RecordType type) {
        if (type == RecordType.EXECVE) {
            p.execves++;
        }
    }

    private void expireByEventTime(long time) {
        long deadline = Long.MAX_VALUE;
        Pending p = oldest;
        while (p != null) {
            Pending next = p.next;
            long due = plus(p.time, eventTimeWait);
            if (time >= due) {
                emit(p, false);
            } else if (due < deadline) {
                deadline = due;
            }
            p = next;
        }
        eventTimeDeadline = deadline;
    }

    /** Takes {@code p} out of the pending set and hands its event on. */
    private void emit(Pending p, boolean complete) {
        unlink(p);
        byKey.remove(p.key);
        recent[p.key.hash & (RECENT_SLOTS - 1)] = p.key;
        if (oldest == null) {
            eventTimeDeadline = Long.MAX_VALUE;
        }
        if (!complete) {
            incompleteEvents++;
        }
        if (p.execves > 0) {
            execveArgs.mergeInto(p.event.records());
        }
        for (Record r : p.event.records()) {
            if (r.type() == RecordType.SYSCALL) {
                SyscallArgs.fold(r);
            }
        }
        out.accept(p.event);
    }

    private void link(Pending p) {
        p.prev = newest;
        if (newest == null) {
            oldest = p;
        } else {
            newest.next = p;
        }
        newest = p;
    }

    private void unlink(Pending p) {
        if (p.prev == null) {
            oldest = p.next;
        } else {
            p.prev.next = p.next;
        }
        if (p.next == null) {
            newest = p.prev;
        } else {
            p.next.prev = p.prev;
        }
        p.prev = null;
        p.next = null;
    }

    /** {@code a + b} for {@code b >= 0}, saturating instead of overflowing. */
    private static long plus(long a, long b) {
        long s = a + b;
        return s < a ? Long.MAX_VALUE : s;
    }

    private static long toMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** A kernel event waiting for its EOE. */
    private static final class Pending {
        final EventKey key;
        final AuditEvent event;
        final long time;
        long lastSeen = UNSTAMPED;
        int execves;
        Pending prev;
        Pending next;

        Pending(EventKey key, AuditEvent event, long time) {
            this.key = key;
            this.event = event;
            this.time = time;
        }
    }

    /** (node, id) as a hash key; mutable only as the lookup probe, never while in the map. */
    private static final class EventKey {
        String node;
        long seconds;
        int millis;
        long serial;
        int hash;

        void set(String node, EventId id) {
            this.node = node;
            this.seconds = id.seconds();
            this.millis = id.millis();
            this.serial = id.serial();
            long h = serial * 0x9E3779B97F4A7C15L + seconds * 1000 + millis;
            h ^= h >>> 29;
            h *= 0xBF58476D1CE4E5B9L;
            int x = (int) (h ^ (h >>> 32));
            this.hash = node == null ? x : x ^ node.hashCode() * 31;
        }

        EventKey copy() {
            EventKey k = new EventKey();
            k.node = node;
            k.seconds = seconds;
            k.millis = millis;
            k.serial = serial;
            k.hash = hash;
            return k;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EventKey k && k.serial == serial && k.seconds == seconds
                    && k.millis == millis && (k.node == node || (node != null && node.equals(k.node)));
        }
    }
}
