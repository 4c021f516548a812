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
import java.util.Locale;
import java.util.Map;

/**
 * LAUREL 0.8's process fields ({@code style: laurel-0.8}). A process is named as LAUREL 0.8 names
 * it, by {@code EVENT_ID}, the event at which laurel first saw it as it is now
 * ({@link ProcessInfo#firstEvent()}), or, for a process known only from {@code /proc},
 * {@code START_TIME}, its start as {@code "<unix seconds>.<milliseconds>"}:
 * <ul>
 *   <li>{@code SYSCALL.PID}: the event's process ({@code container} and {@code systemd_service}
 *       are added there by the container and systemd enrichers in this style);</li>
 *   <li>{@code SYSCALL.PPID}: its parent, with {@code comm}, {@code exe} and {@code ppid} only
 *       with {@code ppid-verbose};</li>
 *   <li>{@code SYSCALL.SPAWNED_BY}: name, {@code pid}, {@code comm}, {@code exe} of the image
 *       that spawned the process (its {@code pid} key once, as LAUREL after 0.8.2);</li>
 *   <li>every other record's {@code *pid} field (OBJ_PID's {@code opid}, a LOGIN's {@code pid}),
 *       under the upper-cased name: {@code OPID} with {@code comm}, {@code exe}, {@code ppid};
 *       {@code PID} with the name only; {@code PPID} as above.</li>
 * </ul>
 */
final class Laurel08ProcessFields implements Enricher {
    private final ProcessTable processes;
    private final boolean verbose;
    private final boolean spawnedBy;
    private final long bootMillis;       // the kernel's boot time, for START_TIME; -1 if unknown

    /**
     * @param bootSeconds the boot time ({@code btime} of /proc/stat), or -1: START_TIME is left out
     */
    Laurel08ProcessFields(ProcessTable processes, boolean ppidVerbose, boolean spawnedBy, long bootSeconds) {
        this.processes = processes;
        this.verbose = ppidVerbose;
        this.spawnedBy = spawnedBy;
        this.bootMillis = bootSeconds < 0 ? -1 : bootSeconds * 1000;
    }

    @Override
    public void enrich(AuditEvent event) {
        List<Record> records = event.records();
        for (int k = 0, n = records.size(); k < n; k++) {
            Record r = records.get(k);
            if (r.type() == RecordType.SYSCALL) {
                syscall(r);
            } else {
                otherPids(r);
            }
        }
    }

    private void syscall(Record sc) {
        ProcessInfo self = processes.get(sc.getLong("pid", -1));
        if (named(self)) {
            Map<String, Value> m = name(self);
            // what the container and systemd enrichers put there if they ran first
            if (sc.get("PID") instanceof Value.ObjectValue earlier) {
                earlier.fields().forEach(m::putIfAbsent);
            }
            sc.set("PID", Value.object(m));
        }
        ProcessInfo parent = processes.get(sc.getLong("ppid", -1));
        if (named(parent)) {
            sc.set("PPID", Value.object(describe(parent, verbose)));
        }
        ProcessInfo spawner = self == null || !spawnedBy ? null : self.spawnedBy();
        if (named(spawner)) {
            Map<String, Value> m = name(spawner);
            m.put("pid", Value.number(spawner.pid()));
            if (spawner.comm() != null) {
                m.put("comm", Value.text(spawner.comm()));
            }
            if (spawner.exe() != null) {
                m.put("exe", Value.text(spawner.exe()));
            }
            sc.set("SPAWNED_BY", Value.object(m));
        }
    }

    private void otherPids(Record r) {
        for (int i = 0, n = r.enrichedFrom(); i < n; i++) {
            String field = r.name(i);
            if (!field.endsWith("pid")) {
                continue;
            }
            ProcessInfo p = processes.get(r.getLong(field, -1));
            if (named(p) && r.indexOf(field) == i) {
                boolean full = !field.equals("pid") && (!field.equals("ppid") || verbose);
                r.add(field.toUpperCase(Locale.ROOT), Value.object(describe(p, full)));
            }
        }
    }

    /**
     * Whether LAUREL 0.8 could name the process: it writes a {@code *PID} only for a process it
     * has a key for (a forked child whose own events laurel has not seen yet has none).
     */
    private boolean named(ProcessInfo p) {
        return p != null && (p.firstEvent() != null || (p.startTime() >= 0 && bootMillis >= 0));
    }

    private Map<String, Value> describe(ProcessInfo p, boolean full) {
        Map<String, Value> m = name(p);
        if (full) {
            if (p.comm() != null) {
                m.put("comm", Value.text(p.comm()));
            }
            if (p.exe() != null) {
                m.put("exe", Value.text(p.exe()));
            }
            if (p.ppid() > 0) {
                m.put("ppid", Value.number(p.ppid()));
            }
        }
        return m;
    }

    /** {@code EVENT_ID} or {@code START_TIME}, as LAUREL 0.8 names a process. */
    private Map<String, Value> name(ProcessInfo p) {
        Map<String, Value> m = new LinkedHashMap<>();
        EventId first = p.firstEvent();
        if (first != null) {
            m.put("EVENT_ID", Value.text(first.toString()));
        } else if (p.startTime() >= 0 && bootMillis >= 0) {
            m.put("START_TIME", Value.text(startTime(bootMillis, p.startTime())));
        }
        return m;
    }

    /** A start time in clock ticks after boot (USER_HZ, 100 on Linux) as LAUREL 0.8 writes it. */
    static String startTime(long bootMillis, long ticks) {
        long ms = bootMillis + ticks * 10;
        return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    }
}
