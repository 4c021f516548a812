package dev.laurel.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One audit event: the records auditd wrote under one id on one node, in input order, plus
 * top-level fields that enrichers add (such as {@code PARENT_INFO}).
 *
 * <p>Kernel events end with their EOE record (not kept); a user-space record (types 1100-1299
 * and 2100-2999) is an event by itself, even when it shares an id with a kernel event. So
 * {@code (node, id)} is not unique across events, exactly as in LAUREL's output.
 *
 * <p>The engine creates events; enrichers read and change them in chain order on one thread;
 * sinks then receive them read-only. An enricher may {@link #drop()} an event: sinks for kept
 * events no longer see it, but the engine's process tracking already has.
 *
 * <pre>{@code
 * Record exec = event.first(RecordType.EXECVE);
 * if (exec != null && isReverseShell(exec.get("ARGV"))) {
 *     event.put("ATTACK", Value.text("T1059"));
 * }
 * }</pre>
 */
public final class AuditEvent {
    private final EventId id;
    private final String node;
    private final List<Record> records;
    private Map<String, Value> extra;
    private boolean dropped;

    /** An event with no records yet; {@code node} is {@code null} when the lines had none. */
    public AuditEvent(EventId id, String node) {
        this.id = id;
        this.node = node;
        this.records = new ArrayList<>(6);
    }

    public EventId id() {
        return id;
    }

    /** The {@code node=} name of the lines, or {@code null}. */
    public String node() {
        return node;
    }

    /** The records in input order; the list may be changed by enrichers. */
    public List<Record> records() {
        return records;
    }

    /** The first record of this type, or {@code null}. */
    public Record first(RecordType type) {
        // by index: C1, the launcher's compiler, would allocate an iterator per call
        List<Record> rs = records;
        for (int i = 0, n = rs.size(); i < n; i++) {
            Record r = rs.get(i);
            if (r.type() == type) {
                return r;
            }
        }
        return null;
    }

    /** Adds or replaces a top-level field, written after the records. */
    public void put(String key, Value value) {
        if (extra == null) {
            extra = new LinkedHashMap<>(4);
        }
        extra.put(key, value);
    }

    /** A top-level field added by an enricher, or {@code null}. */
    public Value extra(String key) {
        return extra == null ? null : extra.get(key);
    }

    /** The top-level fields added by enrichers, in the order they were first put. */
    public Map<String, Value> extras() {
        return extra == null ? Collections.emptyMap() : Collections.unmodifiableMap(extra);
    }

    /** Marks this event as dropped: sinks for kept events will not receive it. */
    public void drop() {
        dropped = true;
    }

    public boolean isDropped() {
        return dropped;
    }

    @Override
    public String toString() {
        return "AuditEvent{" + (node == null ? "" : node + " ") + id + " " + records + "}";
    }
}
