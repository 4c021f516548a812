package dev.laurel.plugins.parentinfo;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.EventId;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adds what laurel knows of an event's parent process.
 *
 * <p>{@code parent-info} style: a top-level
 * {@code "PARENT_INFO": {"ID": "<event id of the parent's last execve>", "comm": ..., "exe": ...,
 * "ppid": ...}}; for a parent known only from /proc, {@code START_TIME} (clock ticks after boot)
 * replaces {@code ID}. {@code laurel} style: LAUREL 0.5.1's {@code SYSCALL.PPID}
 * ({@code EVENT_ID}, comm, exe, ppid), {@code SYSCALL.PID} ({@code EVENT_ID} of the process's own
 * last exec), and
 * later LAUREL's {@code SYSCALL.SPAWNED_BY} ({@code EVENT_ID} or {@code START_TIME}, pid, comm,
 * exe of the image that spawned the process, {@link ProcessInfo#spawnedBy()}) unless turned off.
 * In every style, {@code OBJ_PID[].OPID} ({@code ID}, exe, ppid) for ptrace and kill targets.
 */
final class ParentInfo implements Enricher {
    private final ProcessTable processes;
    private final boolean topLevel;
    private final boolean laurelStyle;
    private final boolean spawnedBy;
    // What describe and spawner last made of a few processes (see Described).
    private final Described parentInfo = new Described(Described.PARENT_INFO);
    private final Described ppid = new Described(Described.PPID);
    private final Described opid = new Described(Described.OPID);
    private final Described spawners = new Described(Described.SPAWNED_BY);

    ParentInfo(ProcessTable processes, boolean topLevel, boolean laurelStyle) {
        this(processes, topLevel, laurelStyle, laurelStyle);
    }

    ParentInfo(ProcessTable processes, boolean topLevel, boolean laurelStyle, boolean spawnedBy) {
        this.processes = processes;
        this.topLevel = topLevel;
        this.laurelStyle = laurelStyle;
        this.spawnedBy = spawnedBy;
    }

    @Override
    public void enrich(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        if (sc == null) {
            return;
        }
        ProcessInfo parent = processes.get(sc.getLong("ppid", -1));
        if (parent != null) {
            if (topLevel) {
                event.put("PARENT_INFO", parentInfo.get(parent));
            }
            if (laurelStyle) {
                sc.set("PPID", ppid.get(parent));
            }
        }
        if (laurelStyle) {
            ProcessInfo self = processes.get(sc.getLong("pid", -1));
            if (self != null && self.lastExec() != null) {
                sc.set("PID", Value.object(Map.of("EVENT_ID", Value.text(self.lastExec().toString()))));
            }
            ProcessInfo spawner = self == null || !spawnedBy ? null : self.spawnedBy();
            if (spawner != null) {
                sc.set("SPAWNED_BY", spawners.get(spawner));
            }
        }
        // ptrace and kill targets, in every style: LAUREL's OPID is the only form there is
        List<Record> records = event.records();
        for (int i = 0, n = records.size(); i < n; i++) {     // by index: no iterator per event
            Record r = records.get(i);
            if (r.type() == RecordType.OBJ_PID) {
                ProcessInfo target = processes.get(r.getLong("opid", -1));
                if (target != null) {
                    r.set("OPID", opid.get(target));
                }
            }
        }
    }

    /**
     * The last description made of each of a few processes, given again while the process
     * still has what it was made from (pid, parent, last exec, start time, the comm and exe
     * arrays): the events of a busy process tree mostly name the same few parents, and making
     * the object (the event id as text, two maps) cost more than the rest of this enricher.
     * Descriptions are immutable values, so events may share one. Keyed by pid, one per slot;
     * few slots: 32 did as well as 256 on the 200-copy corpus (1,674 and 1,687 M instructions
     * per 20 copies), and 256 kept enough descriptions alive to grow the heap, and peak RSS by
     * 3 MiB.
     */
    private static final class Described {
        static final int PARENT_INFO = 0;
        static final int PPID = 1;
        static final int OPID = 2;
        static final int SPAWNED_BY = 3;
        private static final int SLOTS = 32;
        private final Made[] slots = new Made[SLOTS];
        private final int kind;

        Described(int kind) {
            this.kind = kind;
        }

        private record Made(long pid, long ppid, EventId lastExec, long startTime,
                            byte[] comm, byte[] exe, Value value) {
        }

        Value get(ProcessInfo p) {
            long pid = p.pid();
            int slot = (int) (pid ^ (pid >>> 32)) & (SLOTS - 1);
            Made m = slots[slot];
            EventId lastExec = p.lastExec();
            byte[] comm = p.comm();
            byte[] exe = p.exe();
            if (m != null && m.pid == pid && m.ppid == p.ppid() && Objects.equals(m.lastExec, lastExec)
                    && m.startTime == p.startTime() && m.comm == comm && m.exe == exe) {
                return m.value;
            }
            Value v = switch (kind) {
                case PARENT_INFO -> describe(p, "ID", true);
                case PPID -> describe(p, "EVENT_ID", true);
                case OPID -> describe(p, "ID", false);
                default -> spawner(p);
            };
            slots[slot] = new Made(pid, p.ppid(), lastExec, p.startTime(), comm, exe, v);
            return v;
        }
    }

    /** LAUREL's SPAWNED_BY: the spawning image's EVENT_ID (or START_TIME), pid, comm, exe. */
    private static Value spawner(ProcessInfo p) {
        Map<String, Value> m = new LinkedHashMap<>();
        if (p.lastExec() != null) {
            m.put("EVENT_ID", Value.text(p.lastExec().toString()));
        } else if (p.startTime() >= 0) {
            m.put("START_TIME", Value.number(p.startTime()));
        }
        m.put("pid", Value.number(p.pid()));
        if (p.comm() != null) {
            m.put("comm", Value.text(p.comm()));
        }
        if (p.exe() != null) {
            m.put("exe", Value.text(p.exe()));
        }
        return Value.object(m);
    }

    private static Value describe(ProcessInfo p, String idKey, boolean withComm) {
        Map<String, Value> m = new LinkedHashMap<>();
        if (p.lastExec() != null) {
            m.put(idKey, Value.text(p.lastExec().toString()));
        } else if (p.startTime() >= 0) {
            m.put("START_TIME", Value.number(p.startTime()));
        }
        if (withComm && p.comm() != null) {
            m.put("comm", Value.text(p.comm()));
        }
        if (p.exe() != null) {
            m.put("exe", Value.text(p.exe()));
        }
        if (p.ppid() >= 0) {
            m.put("ppid", Value.number(p.ppid()));
        }
        return Value.object(m);
    }
}
