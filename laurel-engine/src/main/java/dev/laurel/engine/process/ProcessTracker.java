package dev.laurel.engine.process;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The engine's process table: the single owner of what laurel knows about processes.
 *
 * <p>{@link #observe(AuditEvent)} is called for every event, kept or dropped, before the
 * enrichers: a successful execve/execveat records the event id, comm and exe; a successful
 * fork/vfork/clone/clone3 creates the child (its pid is the syscall's {@code exit}) with the
 * parent's image and propagating labels; exit/exit_group marks the process dead; every SYSCALL
 * record refreshes pid/ppid (so an orphan shows up under its new parent) and fills in comm/exe
 * where unknown. A new fork or exec for a pid that had died replaces the old entry (pid reuse).
 * A process first seen in a SYSCALL record (its fork was not audited, or its event came first)
 * inherits the propagating labels of its parent.
 *
 * <p>Each process also records who spawned its current image ({@link ProcessInfo#spawnedBy()},
 * LAUREL's SPAWNED_BY): at a successful exec, the process's own previous image if that image had
 * audited events of its own (calls between fork and exec, or an exec without fork) or is known
 * from /proc, else its parent; at a process's first own event without exec, its parent. The
 * image is named by the event that began it (its exec, or its first own event).
 *
 * <p>Memory is bounded: when more than {@code maxProcesses} are known, dead processes that are
 * no ancestor of a live one are pruned; if that is not enough, the least recently seen go.
 *
 * <p>Not thread-safe: owned by the pipeline thread, like the plugins that read it.
 */
public final class ProcessTracker implements ProcessTable {

    /** The default bound on known processes. */
    public static final int DEFAULT_MAX_PROCESSES = 100_000;

    private final PidMap<Proc> procs = new PidMap<>();
    /** comm and exe values, shared among the processes that have them. */
    private final SharedBytes names = new SharedBytes(4096);
    private int maxProcesses;
    private long clock;           // increases with every observation, for least-recently-seen
    private long pruned;

    public ProcessTracker() {
        this(DEFAULT_MAX_PROCESSES);
    }

    public ProcessTracker(int maxProcesses) {
        if (maxProcesses < 16) {
            throw new IllegalArgumentException("maxProcesses must be at least 16: " + maxProcesses);
        }
        this.maxProcesses = maxProcesses;
    }

    /**
     * Sets the bound on known processes; the engine calls it once the config is read (plugins
     * were given the table before).
     */
    public void limit(int maxProcesses) {
        if (maxProcesses < 16) {
            throw new IllegalArgumentException("maxProcesses must be at least 16: " + maxProcesses);
        }
        this.maxProcesses = maxProcesses;
        if (procs.size() > maxProcesses) {
            prune();
        }
    }

    /** Updates the table from one event. */
    public void observe(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        if (sc == null) {
            return;
        }
        long pid = sc.getLong("pid", -1);
        if (pid < 0) {
            return;
        }
        clock++;
        long ppid = sc.getLong("ppid", -1);
        long arch = hexField(sc, "arch");
        long nr = sc.getLong("syscall", -1);
        int successAt = sc.indexOf("success");
        boolean success = successAt >= 0 && Records.tokenIs(sc, successAt, "yes");
        ProcessSyscalls.Kind kind = ProcessSyscalls.kind(arch, nr);

        Proc p = procs.get(pid);
        // Whether the entry is this process before the syscall (not a reused pid): for SPAWNED_BY
        boolean continues = p != null && !p.dead && (ppid < 0 || p.ppid == ppid || p.ppid < 0 || ppid == 1);
        if (p == null || (p.dead && kind == ProcessSyscalls.Kind.EXEC)) {
            p = create(pid, ppid);
        } else if (ppid >= 0 && p.ppid != ppid) {
            p.ppid = ppid;
        }
        p.lastSeen = clock;
        if (kind != ProcessSyscalls.Kind.EXEC || !success) {
            firstOwnEvent(p, event.id());
        }
        switch (kind) {
            case EXEC -> {
                if (success) {
                    // An image that had audited events of its own (or is known from /proc) spawned
                    // the new one; otherwise the fork and exec came in short succession, and the
                    // parent did.
                    p.spawnedBy = continues && (p.instance != null || p.startTime >= 0)
                            ? Instance.of(p) : instance(p.ppid);
                    p.spawnerKnown = true;
                    p.instance = event.id();
                    p.lastExec = event.id();
                    p.comm = names.share(sc.decoded("comm"));
                    p.exe = names.share(sc.decoded("exe"));
                    p.dead = false;
                } else {
                    fillIn(p, sc);
                }
            }
            case FORK -> {
                fillIn(p, sc);
                long child = sc.getLong("exit", -1);
                if (success && child > 0) {
                    fork(p, child);
                }
            }
            case EXIT -> {
                fillIn(p, sc);
                p.dead = true;
            }
            default -> fillIn(p, sc);
        }
        if (procs.size() > maxProcesses) {
            prune();
        }
    }

    /** Adds a process found in /proc at start-up. */
    public void seed(long pid, long ppid, long startTime, byte[] comm, byte[] exe) {
        Proc p = new Proc(pid);
        p.ppid = ppid;
        p.startTime = startTime;
        p.comm = names.share(comm);
        p.exe = names.share(exe);
        p.lastSeen = ++clock;
        procs.put(pid, p);
    }

    @Override
    public ProcessInfo get(long pid) {
        return procs.get(pid);
    }

    @Override
    public boolean label(long pid, String label, boolean propagate) {
        Proc p = procs.get(pid);
        if (p == null) {
            return false;
        }
        p.labels = with(p.labels, label);
        if (propagate) {
            p.propagating = with(p.propagating, label);
        }
        return true;
    }

    @Override
    public boolean unlabel(long pid, String label) {
        Proc p = procs.get(pid);
        if (p == null || p.labels == null || !p.labels.contains(label)) {
            return false;
        }
        p.labels = without(p.labels, label);
        p.propagating = without(p.propagating, label);
        return true;
    }

    /**
     * What the table knows of one process, for the state file ({@code state.ProcessTableCodec}):
     * {@link #entries()} gives them, {@link #restore} takes them back. {@code labels} and
     * {@code propagating} are {@code null} when the process has none, and are not to be changed.
     */
    public record Entry(long pid, long ppid, long startTime, EventId lastExec, byte[] comm, byte[] exe,
                        boolean dead, Set<String> labels, Set<String> propagating, EventId instance,
                        boolean spawnerKnown, Instance spawnedBy) {
    }

    /** Every process known, with its image, labels, liveness and spawner; for the state file. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(procs.size());
        for (Proc p : procs.values()) {
            entries.add(new Entry(p.pid, p.ppid, p.startTime, p.lastExec, p.comm, p.exe, p.dead, p.labels,
                    p.propagating, p.instance, p.spawnerKnown, p.spawnedBy));
        }
        return entries;
    }

    /**
     * Takes back what {@link #entries()} gave (the table saved at the last exit) over what the
     * table knows now (the processes just seeded from /proc): a saved process replaces the
     * current one with its pid, unless the two are clearly not the same process (both know a
     * start time and they differ, or both know an executable and it differs: the pid was reused,
     * or it exec'd, while laurel was down); current processes the saved table does not know stay.
     */
    public void restore(List<Entry> entries) {
        Map<Long, Proc> read = new HashMap<>(Math.min(entries.size(), maxProcesses) * 2);
        for (Entry e : entries) {
            Proc p = new Proc(e.pid());
            p.ppid = e.ppid();
            p.startTime = e.startTime();
            p.lastExec = e.lastExec();
            p.comm = names.share(e.comm());
            p.exe = names.share(e.exe());
            p.dead = e.dead();
            if (e.labels() != null) {
                p.labels = new TreeSet<>(e.labels());
            }
            if (e.propagating() != null) {
                p.propagating = new TreeSet<>(e.propagating());
            }
            p.instance = e.instance();
            p.spawnerKnown = e.spawnerKnown();
            Instance i = e.spawnedBy();
            if (i != null) {
                p.spawnedBy = new Instance(i.pid(), i.ppid(), i.lastExec(), i.startTime(),
                        names.share(i.comm()), names.share(i.exe()));
            }
            p.lastSeen = ++clock;
            read.put(p.pid, p);
        }
        for (Proc saved : read.values()) {
            Proc now = procs.get(saved.pid);
            if (now == null || sameProcess(saved, now)) {
                procs.put(saved.pid, saved);
            }
        }
        if (procs.size() > maxProcesses) {
            prune();
        }
    }

    private static boolean sameProcess(Proc saved, Proc now) {
        if (saved.startTime >= 0 && now.startTime >= 0 && saved.startTime != now.startTime) {
            return false;
        }
        return saved.exe == null || now.exe == null || java.util.Arrays.equals(saved.exe, now.exe);
    }

    /** The number of processes known. */
    public int size() {
        return procs.size();
    }

    /** The number of entries pruned so far. */
    public long pruned() {
        return pruned;
    }

    /** A process's first event of its own since its fork: it names the instance, its parent spawned it. */
    private void firstOwnEvent(Proc p, EventId id) {
        if (p.spawnerKnown) {
            return;
        }
        if (p.instance == null && p.startTime < 0) {
            p.instance = id;
        }
        p.spawnedBy = instance(p.ppid);
        p.spawnerKnown = true;
    }

    private Instance instance(long pid) {
        Proc p = pid > 0 ? procs.get(pid) : null;
        return p == null ? null : Instance.of(p);
    }

    private Proc create(long pid, long ppid) {
        Proc p = new Proc(pid);
        p.ppid = ppid;
        Proc parent = ppid > 0 ? procs.get(ppid) : null;
        if (parent != null) {
            inherit(parent, p);
        }
        procs.put(pid, p);
        return p;
    }

    private void fork(Proc parent, long childPid) {
        Proc known = procs.get(childPid);
        if (known != null && !known.dead && known.ppid == parent.pid) {
            // The child's own events completed before its parent's clone event (events are
            // emitted at their EOE, not in syscall order): keep what the child already told us.
            inherit(parent, known);
            return;
        }
        Proc child = new Proc(childPid);
        child.ppid = parent.pid;
        child.lastSeen = clock;
        // A child runs its parent's image until it execs.
        child.lastExec = parent.lastExec;
        child.startTime = -1;
        child.comm = parent.comm;
        child.exe = parent.exe;
        inherit(parent, child);
        procs.put(childPid, child);
    }

    private static void inherit(Proc parent, Proc child) {
        if (parent.propagating != null && !parent.propagating.isEmpty()) {
            child.propagating = union(child.propagating, parent.propagating);
            child.labels = union(child.labels, parent.propagating);
        }
    }

    // Label sets are never changed in place, so that a forked child shares its parent's set:
    // with a propagating label on a busy tree, tens of thousands of processes hold the same one.

    private static TreeSet<String> with(TreeSet<String> set, String label) {
        if (set != null && set.contains(label)) {
            return set;
        }
        TreeSet<String> out = set == null ? new TreeSet<>() : new TreeSet<>(set);
        out.add(label);
        return out;
    }

    private static TreeSet<String> without(TreeSet<String> set, String label) {
        if (set == null || !set.contains(label)) {
            return set;
        }
        TreeSet<String> out = new TreeSet<>(set);
        out.remove(label);
        return out;
    }

    private static TreeSet<String> union(TreeSet<String> set, TreeSet<String> more) {
        if (set == null || set == more || set.isEmpty()) {
            return more;
        }
        if (set.containsAll(more)) {
            return set;
        }
        TreeSet<String> out = new TreeSet<>(set);
        out.addAll(more);
        return out;
    }

    private void fillIn(Proc p, Record sc) {
        if (p.comm == null) {
            p.comm = names.share(sc.decoded("comm"));
        }
        if (p.exe == null) {
            p.exe = names.share(sc.decoded("exe"));
        }
    }

    /** Field {@code name} as a BARE token of 1 to 16 hex digits, or -1; a token as parsed is read in the line. */
    private static long hexField(Record r, String name) {
        int i = r.indexOf(name);
        if (i < 0) {
            return -1;
        }
        Encoding parsed = Records.tokenEncoding(r, i);
        if (parsed != null) {
            return parsed == Encoding.BARE ? hexDigits(r.line(), Records.tokenOffset(r, i), Records.tokenLength(r, i)) : -1;
        }
        if (r.value(i) instanceof Value.Token t && t.encoding() == Encoding.BARE) {
            return hexDigits(t.bytes(), t.offset(), t.length());
        }
        return -1;
    }

    private static long hexDigits(byte[] b, int off, int len) {
        if (len == 0 || len > 16) {
            return -1;
        }
        long n = 0;
        for (int i = off; i < off + len; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                return -1;
            }
            n = n << 4 | d;
        }
        return n;
    }

    /**
     * Drops dead processes that no live process descends from; if the table is still over its
     * bound, drops the least recently seen down to 90 % of it.
     */
    private void prune() {
        Set<Long> keep = new HashSet<>();
        for (Proc p : procs.values()) {
            if (!p.dead) {
                // walk up the ancestry; stop at a loop or at what is already kept
                long pid = p.pid;
                for (int depth = 0; depth < 4096 && keep.add(pid); depth++) {
                    Proc parent = procs.get(procs.get(pid).ppid);
                    if (parent == null) {
                        break;
                    }
                    pid = parent.pid;
                }
            }
        }
        int before = procs.size();
        procs.removeIf(p -> !keep.contains(p.pid));
        int target = maxProcesses * 9 / 10;
        if (procs.size() > target) {
            List<Proc> byAge = new ArrayList<>(procs.values());
            byAge.sort((a, b) -> Long.compare(a.lastSeen, b.lastSeen));
            for (int i = 0; i < byAge.size() - target; i++) {
                procs.remove(byAge.get(i).pid);
            }
        }
        pruned += before - procs.size();
    }

    /** A process image as it was when it spawned another: what SPAWNED_BY describes. Immutable. */
    public record Instance(long pid, long ppid, EventId lastExec, long startTime, byte[] comm, byte[] exe)
            implements ProcessInfo {
        /** The process's image now; siblings spawned by one image share one record. */
        private static Instance of(Proc p) {
            long startTime = p.instance == null ? p.startTime : -1;
            Instance last = p.asSpawner;
            if (last != null && last.ppid == p.ppid && last.lastExec == p.instance && last.startTime == startTime
                    && last.comm == p.comm && last.exe == p.exe) {
                return last;
            }
            return p.asSpawner = new Instance(p.pid, p.ppid, p.instance, startTime, p.comm, p.exe);
        }

        @Override
        public Set<String> labels() {
            return Collections.emptySortedSet();
        }
    }

    /** One process. Mutable, but only through the tracker; plugins see {@link ProcessInfo}. */
    private static final class Proc implements ProcessInfo {
        final long pid;
        long ppid = -1;
        long startTime = -1;
        EventId lastExec;
        byte[] comm;
        byte[] exe;
        boolean dead;
        long lastSeen;
        TreeSet<String> labels;        // shared, never changed in place
        TreeSet<String> propagating;   // shared, never changed in place
        /** The event that began this image as laurel saw it: its exec, else its first own event. */
        EventId instance;
        Instance spawnedBy;
        boolean spawnerKnown;
        /** The record last made of this process as a spawner, reused while it still describes it. */
        Instance asSpawner;

        Proc(long pid) {
            this.pid = pid;
        }

        @Override
        public ProcessInfo spawnedBy() {
            return spawnedBy;
        }

        @Override
        public EventId firstEvent() {
            return instance;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public long ppid() {
            return ppid;
        }

        @Override
        public EventId lastExec() {
            return lastExec;
        }

        @Override
        public long startTime() {
            return startTime;
        }

        @Override
        public byte[] comm() {
            return comm;
        }

        @Override
        public byte[] exe() {
            return exe;
        }

        @Override
        public Set<String> labels() {
            return labels == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(labels);
        }
    }
}
