package dev.laurel.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

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
    /**
     * The top-level fields in the order first put, in two arrays: most events get one or two,
     * and a LinkedHashMap cost a map, a table and an entry per event. {@code null} until the first.
     */
    private String[] extraKeys;
    private Value[] extraValues;
    private int extraCount;
    private Map<String, Value> extrasView;
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

    /**
     * The {@code node=} name of the lines, or {@code null}. Parsed names hold one char per byte of
     * the line (ISO-8859-1, as field names do), so a name that is not UTF-8 keeps its bytes: the
     * JSON encoder writes {@code node=\xff} as {@code "NODE":"%ff"}.
     */
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
        int i = extraIndex(key);
        if (i >= 0) {
            extraValues[i] = value;
            return;
        }
        if (extraKeys == null) {
            extraKeys = new String[2];
            extraValues = new Value[2];
        } else if (extraCount == extraKeys.length) {
            String[] keys = new String[2 * extraCount];
            Value[] values = new Value[2 * extraCount];
            System.arraycopy(extraKeys, 0, keys, 0, extraCount);
            System.arraycopy(extraValues, 0, values, 0, extraCount);
            extraKeys = keys;
            extraValues = values;
        }
        extraKeys[extraCount] = key;
        extraValues[extraCount] = value;
        extraCount++;
    }

    private int extraIndex(Object key) {
        // by identity first: enrichers' names are constants, as are their readers' (the keys are
        // distinct, so the first found is the only one); then by value, the lengths first, as a
        // call of equals per key is the slow part under C1 (laurel's compiler) and most keys asked
        // for are absent (a format asks for SIGMA and CONTAINER_INFO in every event)
        for (int i = 0; i < extraCount; i++) {
            if (extraKeys[i] == key) {
                return i;
            }
        }
        int length = key instanceof String s ? s.length() : -1;
        for (int i = 0; i < extraCount; i++) {
            String k = extraKeys[i];
            if ((length < 0 || k == null || k.length() == length) && Objects.equals(k, key)) {
                return i;
            }
        }
        return -1;
    }

    /** A top-level field added by an enricher, or {@code null}. */
    public Value extra(String key) {
        int i = extraIndex(key);
        return i < 0 ? null : extraValues[i];
    }

    /**
     * The top-level fields added by enrichers, in the order they were first put: an
     * unmodifiable view, which later {@link #put}s show.
     */
    public Map<String, Value> extras() {
        if (extraCount == 0) {
            return Collections.emptyMap();
        }
        if (extrasView == null) {
            extrasView = new Extras();
        }
        return extrasView;
    }

    /** The view {@link #extras()} gives; {@link #forEach} walks the arrays without an iterator. */
    private final class Extras extends AbstractMap<String, Value> {
        @Override
        public int size() {
            return extraCount;
        }

        @Override
        public boolean containsKey(Object key) {
            return extraIndex(key) >= 0;
        }

        @Override
        public Value get(Object key) {
            int i = extraIndex(key);
            return i < 0 ? null : extraValues[i];
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super Value> action) {
            for (int i = 0; i < extraCount; i++) {
                action.accept(extraKeys[i], extraValues[i]);
            }
        }

        @Override
        public Set<Entry<String, Value>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return extraCount;
                }

                @Override
                public Iterator<Entry<String, Value>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < extraCount;
                        }

                        @Override
                        public Entry<String, Value> next() {
                            if (next >= extraCount) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(extraKeys[i], extraValues[i]);
                        }
                    };
                }
            };
        }
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
