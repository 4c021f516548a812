package dev.laurel.engine.assemble;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.engine.parse.ParsedRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Hands completed events to the process table and the enrichers in the kernel's order, and to
 * the sinks in the order they completed.
 *
 * <p>Events complete at their EOE, and EOEs need not come in serial order: a parent's clone event
 * can still be waiting for its EOE when the exec of the child it made completes (LAUREL's
 * {@code shell-proc-trace-reordered} fixture, and twice in the real capture). Handled in
 * completion order, the child's event would be enriched before laurel knows its parent. So an
 * event that completes while an event with a lower serial from the same node is still pending
 * <em>and has its SYSCALL record</em> (such an event always ends with an EOE) waits; once no such
 * event is left, the waiting events are processed in serial order. Events without a pending
 * predecessor (nearly all of them) pass straight through, allocating nothing.
 *
 * <p>The output order does not change: an event is written once it and every event that
 * completed before it have been processed, so the sinks see completion order, as without this
 * stage (and as LAUREL writes).
 *
 * <p>Waits are bounded: when more than {@code maxHeld} events wait, or the first waiting event has
 * waited longer than {@code maxHoldMillis} by the caller's clock ({@link #expire}), the
 * predecessors it waits for are given up on (processed whenever they complete, as without this
 * stage). {@link #flush()} processes and writes everything.
 *
 * <pre>{@code
 * SerialOrder order = new SerialOrder(this::process, this::write, SerialOrder.Limits.DEFAULTS);
 * EventAssembler assembler = new EventAssembler(order::complete);
 * order.record(parsed);       // for every record, before
 * assembler.accept(parsed);
 * }</pre>
 *
 * <p>Not thread-safe: owned by the pipeline thread, like the assembler.
 */
public final class SerialOrder {

    /**
     * How long events wait for their predecessors.
     *
     * @param maxHeld       the most events held back, at least 1
     * @param maxHoldMillis how long, by the caller's clock, the first held event may wait
     */
    public record Limits(int maxHeld, long maxHoldMillis) {
        /** 1,000 events, 1 s. */
        public static final Limits DEFAULTS = new Limits(1_000, 1_000);

        public Limits {
            if (maxHeld < 1 || maxHoldMillis < 0) {
                throw new IllegalArgumentException("maxHeld must be at least 1 and maxHoldMillis not negative: "
                        + maxHeld + ", " + maxHoldMillis);
            }
        }
    }

    private static final long UNSTAMPED = Long.MIN_VALUE;
    /** Past this many nodes, a node's entry goes when it has nothing pending. */
    static final int MANY_NODES = 64;

    private final Consumer<AuditEvent> process;
    private final Consumer<AuditEvent> write;
    private final int maxHeld;
    private final long maxHoldMillis;

    /** Serials of pending events that have their SYSCALL record, for the node-less stream. */
    private final Serials local = new Serials();
    private final Map<String, Serials> byNode = new HashMap<>();
    /** Completed events not written yet, in completion order. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final List<Held> ready = new ArrayList<>();
    private long heldEvents;
    private long givenUp;

    /**
     * @param process called once per event, in serial order where the input allows (the process
     *                table, then the enrichers)
     * @param write   called once per event after {@code process}, in completion order
     */
    public SerialOrder(Consumer<AuditEvent> process, Consumer<AuditEvent> write, Limits limits) {
        this.process = Objects.requireNonNull(process, "process");
        this.write = Objects.requireNonNull(write, "write");
        this.maxHeld = limits.maxHeld();
        this.maxHoldMillis = limits.maxHoldMillis();
    }

    /** Notes a record about to be passed to the assembler. */
    public void record(ParsedRecord r) {
        if (r.record().type() == RecordType.SYSCALL) {
            serials(r.node(), true).add(r.id().serial());
        }
    }

    /** Takes back {@link #record(ParsedRecord)} for a record the assembler rejected. */
    public void forget(ParsedRecord r) {
        if (r.record().type() == RecordType.SYSCALL) {
            Serials s = serials(r.node(), false);
            if (s != null) {
                s.remove(r.id().serial());
            }
        }
    }

    /** Takes an event the assembler completed (its consumer). */
    public void complete(AuditEvent event) {
        Serials s = serials(event.node(), false);
        if (s != null) {
            List<Record> records = event.records();
            for (int i = 0, n = records.size(); i < n; i++) {     // by index: no iterator per event
                if (records.get(i).type() == RecordType.SYSCALL) {
                    s.remove(event.id().serial());
                }
            }
            // a stream naming many nodes must not grow the map without bound
            if (s.size == 0 && event.node() != null && byNode.size() > MANY_NODES) {
                byNode.remove(event.node());
            }
        }
        if (held.isEmpty() && !waits(event)) {
            process.accept(event);
            write.accept(event);
            return;
        }
        if (waits(event)) {
            heldEvents++;
        }
        held.addLast(new Held(event));
        release();
        while (held.size() > maxHeld) {
            giveUp();
        }
    }

    /** Gives up on the predecessors of an event held longer than the limit as of {@code nowMillis}. */
    public void expire(long nowMillis) {
        for (Held h : held) {
            if (h.since == UNSTAMPED || nowMillis < h.since) {
                h.since = nowMillis;
            }
        }
        while (!held.isEmpty() && nowMillis - held.peekFirst().since > maxHoldMillis) {
            giveUp();
        }
    }

    /** Processes and writes every held event (end of input, or before the state is saved). */
    public void flush() {
        local.clear();
        byNode.clear();
        release();
    }

    /** The number of nodes with an entry (for tests). */
    int nodes() {
        return byNode.size();
    }

    /** The number of events waiting. */
    public int held() {
        return held.size();
    }

    /** What this stage did, for the summary at the end. */
    public String summary() {
        return heldEvents + " events waited for an earlier serial, " + givenUp + " waits given up";
    }

    private boolean waits(AuditEvent event) {
        Serials s = serials(event.node(), false);
        return s != null && s.size > 0 && s.values[0] < event.id().serial();
    }

    /** Processes the held events that no longer wait, in serial order, then writes what it can. */
    private void release() {
        for (Held h : held) {
            if (!h.processed && !waits(h.event)) {
                ready.add(h);
            }
        }
        if (ready.size() > 1) {
            ready.sort((a, b) -> Long.compare(a.event.id().serial(), b.event.id().serial()));
        }
        for (Held h : ready) {
            h.processed = true;
            process.accept(h.event);
        }
        ready.clear();
        while (!held.isEmpty() && held.peekFirst().processed) {
            write.accept(held.removeFirst().event);
        }
    }

    /** Stops waiting for the pending events the first held event waits for. */
    private void giveUp() {
        AuditEvent first = held.peekFirst().event;
        Serials s = serials(first.node(), false);
        if (s != null) {
            givenUp += s.removeBelow(first.id().serial());
        }
        release();
    }

    private Serials serials(String node, boolean create) {
        if (node == null) {
            return local;
        }
        Serials s = byNode.get(node);
        if (s == null && create) {
            s = new Serials();
            byNode.put(node, s);
        }
        return s;
    }

    private static final class Held {
        final AuditEvent event;
        boolean processed;
        long since = UNSTAMPED;

        Held(AuditEvent event) {
            this.event = event;
        }
    }

    /**
     * A sorted multiset of serials. Serials arrive nearly in order and leave nearly in order, so
     * adding appends and removing takes from the front; both shift at most a few entries.
     */
    static final class Serials {
        long[] values = new long[16];
        int size;

        void add(long serial) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            int i = size;
            while (i > 0 && values[i - 1] > serial) {
                i--;
            }
            System.arraycopy(values, i, values, i + 1, size - i);
            values[i] = serial;
            size++;
        }

        void remove(long serial) {
            for (int i = 0; i < size; i++) {
                if (values[i] == serial) {
                    System.arraycopy(values, i + 1, values, i, size - i - 1);
                    size--;
                    return;
                }
                if (values[i] > serial) {
                    return;
                }
            }
        }

        /** Removes every serial below {@code serial}; returns how many. */
        int removeBelow(long serial) {
            int n = 0;
            while (n < size && values[n] < serial) {
                n++;
            }
            System.arraycopy(values, n, values, 0, size - n);
            size -= n;
            return n;
        }

        void clear() {
            size = 0;
        }
    }
}
