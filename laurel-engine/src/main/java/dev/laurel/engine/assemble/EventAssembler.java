package dev.laurel.engine.assemble;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.engine.parse.ParsedRecord;

import java.time.Duration;
import java.util.ArrayList;
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
 * <li>A record of a type LAUREL 0.5.1 writes as an event by itself ({@link #isEventByItself}:
 * every type but 1300-1405, 1420-1999, 2001-2099 and LOGIN 1006; so all user-space records, and
 * also {@code USER} 1005, {@code KERNEL} 2000, 3000 and up) is emitted at once, even when it
 * shares its id with a pending kernel event (so an id is not unique in the output, as in
 * LAUREL).</li>
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
 * <li><b>Pending limits.</b> When a record starts a new event and more than
 * {@code pendingEvents} events are then pending, or when a record brings the pending events'
 * input lines to more than {@code pendingBytes} bytes, the oldest pending events (those whose
 * first record arrived first) are emitted until both limits hold again; events are never
 * dropped. An event larger than {@code pendingBytes} by itself is so emitted in parts, each
 * part a valid event with the same id.</li>
 * <li><b>End of input.</b> {@link #flush()} emits every pending event, oldest first.</li>
 * </ol>
 * Events expired together are emitted oldest first (by arrival of their first record).
 *
 * <h2>Late, duplicate and stray records</h2>
 * The assembler remembers the ids of the last {@value #RECENT_SLOTS} events it emitted. Records
 * the kernel never writes are not used: each goes to the {@link Rejects} with the reason, and
 * is counted in {@link #rejectedRecords()}, so that damaged input cannot change other events:
 * <ul>
 * <li>a record whose line is byte for byte one already in its pending event (a duplicate);</li>
 * <li>a user-space record whose line is byte for byte one recently emitted with that id;</li>
 * <li>an EOE for an event that is neither pending nor recently emitted incomplete.</li>
 * </ul>
 * A record for an event already emitted (completed by its EOE, or incomplete by a wait or a
 * limit) is not lost: it starts a new event with that id, which the rules above then emit, and
 * is counted in {@link #lateRecords()}. LAUREL 0.5.1 writes such a record so too, as a second
 * event with the same id (a replayed event is written twice). Its EOE then only ends that event,
 * or, if none is pending, is counted in {@link #orphanEoes()}, which counts every EOE not used.
 * Older ids than the memory holds are not recognised: their records start new events.
 *
 * <p>The duplicate check costs time linear in the event's records: a small event's few lines are
 * compared, a large one's are kept in a hash set ({@value #SCAN_LIMIT} records and more).
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
public final class EventAssembler implements Assembler {

    /** How many emitted events' ids are remembered to tell late and duplicate records. */
    static final int RECENT_SLOTS = 4096;

    /** From this many records on, an event's lines are kept in a set for the duplicate check. */
    static final int SCAN_LIMIT = 16;

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
     * @param pendingBytes   the most bytes of input lines held in pending events, at least 1
     */
    public record Limits(int pendingEvents, Duration eventTimeWait, Duration wallClockWait, long pendingBytes) {
        /** The default for {@link #pendingBytes}: 16 MiB, room for a few 3.5 MB command lines. */
        public static final long DEFAULT_PENDING_BYTES = 16L << 20;

        /** 10,000 pending events, 3 s of event time, 5 s of wall-clock time, 16 MiB of lines. */
        public static final Limits DEFAULTS = new Limits(10_000, Duration.ofSeconds(3), Duration.ofSeconds(5));

        public Limits {
            if (pendingEvents < 1) {
                throw new IllegalArgumentException("pendingEvents must be at least 1, got " + pendingEvents);
            }
            if (pendingBytes < 1) {
                throw new IllegalArgumentException("pendingBytes must be at least 1, got " + pendingBytes);
            }
            Objects.requireNonNull(eventTimeWait, "eventTimeWait");
            Objects.requireNonNull(wallClockWait, "wallClockWait");
            if (eventTimeWait.isNegative() || wallClockWait.isNegative()) {
                throw new IllegalArgumentException("waits must not be negative, got eventTimeWait="
                        + eventTimeWait + " wallClockWait=" + wallClockWait);
            }
        }

        /** These limits with {@link #DEFAULT_PENDING_BYTES}. */
        public Limits(int pendingEvents, Duration eventTimeWait, Duration wallClockWait) {
            this(pendingEvents, eventTimeWait, wallClockWait, DEFAULT_PENDING_BYTES);
        }
    }

    private final Consumer<AuditEvent> out;
    private final Rejects rejects;
    private final int maxPending;
    private final long maxPendingBytes;
    private final long eventTimeWait;
    private final long wallClockWait;

    /**
     * What the assembler knows of each (node, id): its pending kernel event, its memory of the
     * id's recent emission, or both; one entry and one lookup for both questions. An entry
     * leaves when it is neither pending nor remembered.
     */
    private final EventIdTable<Known> known = new EventIdTable<>();
    private int pendingEvents;
    /** The last {@value #RECENT_SLOTS} ids emitted, oldest overwritten first. */
    private final Known[] recent = new Known[RECENT_SLOTS];
    private int recentNext;
    private final ExecveArgs execveArgs = new ExecveArgs();
    /**
     * The entry a kernel record last found or made, in {@link #known} under ({@link #lastNode},
     * {@link #lastId}) as long as it is not {@code null} (cleared when it leaves the table).
     */
    private Known lastKnown;
    private EventId lastId;
    private String lastNode;

    /** Pending events in arrival order of their first record. */
    private Known oldest;
    private Known newest;
    /**
     * Entries forgotten by the memory, linked by {@code next}, for the next new ids: an entry
     * lives for {@value #RECENT_SLOTS} events, long enough for the young collections to move it
     * to the old generation, where one per event would fill it with garbage (full collections).
     */
    private Known spare;
    /**
     * No pending event expires by event time before a record with this time; may be lower than
     * the true minimum (after an event completes), which only costs one extra scan.
     */
    private long eventTimeDeadline = Long.MAX_VALUE;

    private long pendingBytes;
    private long lateRecords;
    private long orphanEoes;
    private long rejectedRecords;
    private long incompleteEvents;
    private long duplicateComparisons;

    /** Completed events go to {@code out}, in completion order; {@link Limits#DEFAULTS}. */
    public EventAssembler(Consumer<AuditEvent> out) {
        this(out, Limits.DEFAULTS);
    }

    /** Completed events go to {@code out}, in completion order; rejected records are only counted. */
    public EventAssembler(Consumer<AuditEvent> out, Limits limits) {
        this(out, limits, (record, reason) -> { });
    }

    /** Completed events go to {@code out}, in completion order; records not used to {@code rejects}. */
    public EventAssembler(Consumer<AuditEvent> out, Limits limits, Rejects rejects) {
        this.out = Objects.requireNonNull(out, "out");
        this.rejects = Objects.requireNonNull(rejects, "rejects");
        this.maxPending = limits.pendingEvents();
        this.maxPendingBytes = limits.pendingBytes();
        this.eventTimeWait = toMillis(limits.eventTimeWait());
        this.wallClockWait = toMillis(limits.wallClockWait());
    }

    /** Assemblers with {@code limits}, for the pipeline. */
    public static Assembler.Factory factory(Limits limits) {
        Objects.requireNonNull(limits, "limits");
        return (events, rejects) -> new EventAssembler(events, limits, rejects);
    }

    /** Adds one record; may complete this or older events. */
    @Override
    public void accept(ParsedRecord parsed) {
        EventId id = parsed.id();
        Record record = parsed.record();
        long time = id.epochMillis();
        RecordType type = record.type();
        String node = parsed.node();
        if (isEventByItself(type)) {
            if (time >= eventTimeDeadline) {
                expireByEventTime(time);
            }
            acceptUserSpace(parsed, EventIdTable.hash(node, id));
            return;
        }
        // The lines of an event come one after another and the parser gives them one EventId
        // object: the entry the last record found is this one's, with no hashing or probing.
        Known k = lastKnown;
        int hash;
        if (k != null && id == lastId && node == lastNode) {
            hash = k.hash;
        } else {
            hash = EventIdTable.hash(node, id);
            k = known.get(node, id, hash);
        }
        Known p = k != null && k.event != null ? k : null;
        Known e = p == null && k != null && k.remembered ? k : null;
        // Records not used are turned away before they can move the event-time clock.
        if (type == RecordType.EOE) {
            if (p != null) {
                emit(p, true);
                return;
            }
            orphanEoes++;
            if (e == null || !e.kernel) {
                reject(parsed, "EOE for an event that is not pending");
            } else if (e.complete) {
                reject(parsed, "EOE for an event already completed by its EOE");
            }
            return;
        }
        if (time >= eventTimeDeadline) {
            expireByEventTime(time);
            // it may have expired just now, and its entry been forgotten since
            k = known.get(node, id, hash);
            p = k != null && k.event != null ? k : null;
        }
        if (p == null) {
            if (k == null) {
                k = known(node, id, hash);
            } else if (k.remembered && k.kernel) {
                lateRecords++;
            }
            lastKnown = k;
            lastId = id;
            lastNode = node;
            k.start(new AuditEvent(id, node), time);
            pendingEvents++;
            link(k);
            eventTimeDeadline = Math.min(eventTimeDeadline, plus(time, eventTimeWait));
            add(k, record);
            if (pendingEvents > maxPending) {
                emit(oldest, false);
            }
            keepBytesLimit();
            return;
        }
        lastKnown = p;
        lastId = id;
        lastNode = node;
        String duplicate = duplicate(p, record);
        if (duplicate != null) {
            reject(parsed, duplicate);
            return;
        }
        add(p, record);
        p.lastSeen = UNSTAMPED;
        keepBytesLimit();
    }

    /**
     * Whether LAUREL 0.5.1 writes a record of {@code type} as an event by itself, at once: every
     * type but those it collects into kernel events until their EOE, 1300-1405, 1420-1999,
     * 2001-2099 and {@code LOGIN} (1006). This is wider than {@link RecordType#isUserSpace()}.
     */
    public static boolean isEventByItself(RecordType type) {
        int c = type.code();
        return !((c >= 1300 && c < 1406) || (c >= 1420 && c < 2000) || (c >= 2001 && c < 2100) || c == 1006);
    }

    /** A record LAUREL writes by itself is an event by itself, unless it repeats one just emitted. */
    private void acceptUserSpace(ParsedRecord parsed, int hash) {
        Record record = parsed.record();
        Known k = known.get(parsed.node(), parsed.id(), hash);
        Known e = k != null && k.remembered ? k : null;
        if (e != null && e.userLine != null && java.util.Arrays.equals(e.userLine, record.line())) {
            reject(parsed, "duplicate of a user-space record");
            return;
        }
        AuditEvent lone = new AuditEvent(parsed.id(), parsed.node());
        lone.records().add(record);
        if (e != null) {
            e.userLine = record.line();
        } else {
            if (k == null) {
                k = known(parsed.node(), parsed.id(), hash);
            }
            remember(k, record.line());
        }
        out.accept(lone);
    }

    /**
     * Why {@code record} must not join {@code p}, or {@code null} if it may. Only a line byte for
     * byte the same is a duplicate: a second SYSCALL with other values is kept, as LAUREL keeps it.
     * Below {@value #SCAN_LIMIT} records the lines of the record's type are compared; from then
     * on the event's lines are in a hash set, so that an event of many records costs time linear
     * in their number, not quadratic.
     */
    private String duplicate(Known p, Record record) {
        byte[] line = record.line();
        List<Record> records = p.event.records();
        int n = records.size();
        if (p.lines == null && n >= SCAN_LIMIT) {
            p.lines = new java.util.HashSet<>(2 * n);
            for (int i = 0; i < n; i++) {
                p.lines.add(java.nio.ByteBuffer.wrap(records.get(i).line()));
            }
        }
        if (p.lines != null) {
            duplicateComparisons++;
            return p.lines.add(java.nio.ByteBuffer.wrap(line)) ? null : "duplicate of a record of its event";
        }
        RecordType type = record.type();
        for (int i = 0; i < n; i++) {
            Record r = records.get(i);
            if (r.type() == type && ++duplicateComparisons > 0 && java.util.Arrays.equals(r.line(), line)) {
                return "duplicate of a record of its event";
            }
        }
        return null;
    }

    private void add(Known p, Record record) {
        p.event.records().add(record);
        int bytes = record.line().length;
        p.bytes += bytes;
        pendingBytes += bytes;
        countExecve(p, record.type());
    }

    /** Emits the oldest events while the pending lines are over the byte limit. */
    private void keepBytesLimit() {
        while (pendingBytes > maxPendingBytes && oldest != null) {
            emit(oldest, false);
        }
    }

    private void reject(ParsedRecord parsed, String reason) {
        rejectedRecords++;
        rejects.reject(parsed, reason);
    }

    /**
     * Emits the events that have waited longer than the wall-clock limit as of
     * {@code nowMillis} (see the class comment for the exact rule). Call it periodically, with
     * a clock that does not jump, such as {@code System.currentTimeMillis()}.
     */
    @Override
    public void expire(long nowMillis) {
        Known p = oldest;
        while (p != null) {
            Known next = p.next;
            if (p.lastSeen == UNSTAMPED || nowMillis < p.lastSeen) {
                p.lastSeen = nowMillis;
            } else if (nowMillis > plus(p.lastSeen, wallClockWait)) {
                emit(p, false);
            }
            p = next;
        }
    }

    /** Emits every pending event, oldest first (end of input). */
    @Override
    public void flush() {
        while (oldest != null) {
            emit(oldest, false);
        }
    }

    /** The number of events still waiting for records. */
    public int pending() {
        return pendingEvents;
    }

    @Override
    public boolean isEmpty() {
        return pendingEvents == 0;
    }

    /**
     * The input lines of the pending events' records: oldest event first, each event's records in
     * input order. Parsing them and passing them to {@link #accept} of a fresh assembler restores
     * these pending events exactly (the state file does so across restarts); the line carries
     * the node. Pending records are not modified before their event is emitted.
     */
    @Override
    public List<byte[]> pendingLines() {
        List<byte[]> lines = new ArrayList<>();
        for (Known p = oldest; p != null; p = p.next) {
            for (Record r : p.event.records()) {
                lines.add(r.line());
            }
        }
        return lines;
    }

    /** The bytes of input lines held in pending events. */
    public long pendingBytes() {
        return pendingBytes;
    }

    /** Records that arrived for an event recently emitted (complete or not) and so started a new one. */
    public long lateRecords() {
        return lateRecords;
    }

    /** EOE records for events that were not pending, not used (some also rejected). */
    public long orphanEoes() {
        return orphanEoes;
    }

    /** Records not used and given to the {@link Rejects}: duplicates, stray EOEs. */
    public long rejectedRecords() {
        return rejectedRecords;
    }

    /** How many lines the duplicate check compared (a test's measure of its cost). */
    long duplicateComparisons() {
        return duplicateComparisons;
    }

    /** Kernel events emitted without their EOE: by a wait, the pending limit or {@link #flush()}. */
    public long incompleteEvents() {
        return incompleteEvents;
    }

    /** The counts of incomplete, late, orphan and rejected records, for the pipeline's summary. */
    @Override
    public String summary() {
        return incompleteEvents + " events without EOE, "
                + lateRecords + " records after their event was emitted, "
                + orphanEoes + " EOEs without an event, "
                + rejectedRecords + " records rejected";
    }

    /** EXECVE records folded into another record of their event by the merge. */
    public long foldedExecveRecords() {
        return execveArgs.folded();
    }

    private static void countExecve(Known p, RecordType type) {
        if (type == RecordType.EXECVE) {
            p.execves++;
        }
    }

    private void expireByEventTime(long time) {
        long deadline = Long.MAX_VALUE;
        Known p = oldest;
        while (p != null) {
            Known next = p.next;
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
    private void emit(Known p, boolean complete) {
        unlink(p);
        AuditEvent event = p.event;
        p.event = null;
        p.lines = null;
        pendingEvents--;
        pendingBytes -= p.bytes;
        if (!p.remembered) {
            remember(p, null);
        }
        p.kernel = true;
        p.complete = complete;   // for the same id emitted again, as a continuation, the last word
        if (oldest == null) {
            eventTimeDeadline = Long.MAX_VALUE;
        }
        if (!complete) {
            incompleteEvents++;
        }
        if (p.execves > 0) {
            execveArgs.mergeInto(event.records());
        }
        List<Record> records = event.records();
        for (int i = 0, n = records.size(); i < n; i++) {     // by index: no iterator per event
            Record r = records.get(i);
            if (r.type() == RecordType.SYSCALL) {
                SyscallArgs.fold(r);
            }
        }
        out.accept(event);
    }

    /** A new entry for (node, id), added to {@link #known}: a forgotten one reused if there is one. */
    private Known known(String node, EventId id, int hash) {
        Known k = spare;
        if (k == null) {
            k = new Known(node, id, hash);
        } else {
            spare = k.next;
            k.next = null;
            k.rekey(node, id, hash);
        }
        known.add(k);
        return k;
    }

    /** Adds an emitted id to the memory, forgetting the oldest one. */
    private void remember(Known k, byte[] userLine) {
        Known old = recent[recentNext];
        if (old != null) {
            old.forget();
            if (old.event == null) {
                known.remove(old);
                if (old == lastKnown) {
                    lastKnown = null;   // it leaves the table and will get another key
                }
                old.next = spare;
                spare = old;
            }
        }
        k.remembered = true;
        k.userLine = userLine;
        recent[recentNext] = k;
        recentNext = (recentNext + 1) % RECENT_SLOTS;
    }

    private void link(Known p) {
        p.prev = newest;
        if (newest == null) {
            oldest = p;
        } else {
            newest.next = p;
        }
        newest = p;
    }

    private void unlink(Known p) {
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

    /**
     * What the assembler knows of one (node, id): the kernel event waiting for its EOE, if any
     * ({@link #event} not null), and, while the id is among the last {@value #RECENT_SLOTS}
     * emitted ({@link #remembered}), whether a kernel event had it and was completed by its EOE,
     * and the line of the last user-space record with it.
     */
    private static final class Known extends EventIdTable.Entry {
        AuditEvent event;
        long time;
        long lastSeen;
        int execves;
        long bytes;
        Known prev;
        Known next;

        boolean remembered;
        boolean kernel;
        boolean complete;
        byte[] userLine;
        /** The lines of the pending event's records once it has {@link #SCAN_LIMIT}, else null. */
        java.util.Set<java.nio.ByteBuffer> lines;

        Known(String node, EventId id, int hash) {
            super(node, id, hash);
        }

        /** Makes this id's pending event {@code event}, begun at {@code time}. */
        void start(AuditEvent event, long time) {
            this.event = event;
            this.time = time;
            this.lastSeen = UNSTAMPED;
            this.execves = 0;
            this.bytes = 0;
            this.lines = null;
        }

        /** Drops the memory of this id's emission. */
        void forget() {
            remembered = false;
            kernel = false;
            complete = false;
            userLine = null;
        }
    }
}
