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
 * <p>Processes that died are forgotten. Most rule sets audit no exit, so where the input is this
 * machine's live stream the tracker asks {@code /proc} ({@link #watch}): every
 * {@value #SWEEP_MILLIS} ms of audit time it looks up the processes not seen for
 * {@value #CHECK_AFTER_MILLIS} ms (a batch in the pipeline's thread, no thread of its own); one
 * whose {@code /proc/PID} is gone, or belongs to a process started after laurel last saw the pid
 * (pid reuse), is dead from then on. A dead process (found so, or by an audited exit) is forgotten
 * once not seen for the grace period (late records and events still waiting for their EOE find it
 * until then), unless a process that is not forgotten descends from it.
 *
 * <p>Memory is bounded: when more than {@code maxProcesses} are known, dead processes that are
 * no ancestor of a live one are pruned; if that is not enough, the least recently seen go.
 *
 * <p>Not thread-safe: owned by the pipeline thread, like the plugins that read it.
 */
public final class ProcessTracker implements ProcessTable {

    /** The default bound on known processes. */
    public static final int DEFAULT_MAX_PROCESSES = 100_000;
    /** How often (audit time) processes are looked up in /proc, once {@link #watch watched}. */
    static final long SWEEP_MILLIS = 5_000;
    /** How long a process goes unseen before it is looked up. */
    static final long CHECK_AFTER_MILLIS = 10_000;
    /** The shortest grace period: what a dead process is kept for after it was last seen. */
    public static final java.time.Duration MIN_GRACE = java.time.Duration.ofSeconds(10);

    private final PidMap<Proc> procs = new PidMap<>(p -> p.pid);
    /** comm and exe values, shared among the processes that have them. */
    private final SharedBytes names = new SharedBytes(4096);
    /**
     * Label sets, one instance of each: a host has a few combinations of labels, held by tens of
     * thousands of processes (without this, each labelled process had its own TreeSet: 75 bytes
     * and more). Bounded: past {@value #MAX_LABEL_SETS} sets, new ones are used unshared.
     */
    private final Map<Set<String>, TreeSet<String>> labelSets = new HashMap<>();
    private static final int MAX_LABEL_SETS = 4096;
    /** The {@link Rare} parts of labelled processes, one instance of each (bounded as the label sets). */
    private final Map<Rare, Rare> rares = new HashMap<>();
    private int maxProcesses;
    /** The newest audit time seen (epoch ms): when processes were last seen, and the sweeps' clock. */
    private long now;
    private long pruned;
    private long forgotten;
    /** /proc, once watched; {@code null}: processes die only by an audited exit (replayed logs). */
    private ProcLiveness liveness;
    private long graceMillis = MIN_GRACE.toMillis();
    private long nextSweep;

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

    /**
     * Learns from {@code procRoot} (this machine's /proc, for live input) which processes died:
     * from now on, dead processes are forgotten once not seen for {@code grace} (at least
     * {@link #MIN_GRACE}). The engine calls it once, before the first event.
     */
    public void watch(java.nio.file.Path procRoot, java.time.Duration grace) {
        this.liveness = new ProcLiveness(procRoot);
        this.graceMillis = Math.max(MIN_GRACE.toMillis(), grace.toMillis());
    }

    /** Updates the table from one event. */
    public void observe(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        if (sc == null) {
            return;
        }
        long pid = sc.getLong("pid", -1);
        if (pid < 0 || pid > Integer.MAX_VALUE) {
            return;
        }
        EventId id = event.id();
        long time = id.seconds() * 1000 + id.millis();
        if (time > now) {
            now = time;
        }
        long ppid = sc.getLong("ppid", -1);
        if (ppid > Integer.MAX_VALUE) {
            ppid = -1;
        }
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
            p.ppid = (int) ppid;
        }
        p.seen(now);
        if (kind != ProcessSyscalls.Kind.EXEC || !success) {
            firstOwnEvent(p, event.id());
        }
        switch (kind) {
            case EXEC -> {
                if (success) {
                    // An image that had audited events of its own (or is known from /proc) spawned
                    // the new one; otherwise the fork and exec came in short succession, and the
                    // parent did.
                    p.spawnedBy = continues && (p.hasImage() || p.startTime() >= 0)
                            ? Instance.now(p) : instance(p.ppid);
                    p.spawnerKnown = true;
                    p.exec(event.id());
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
                if (success && child > 0 && child <= Integer.MAX_VALUE) {
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
        if (liveness != null && now >= nextSweep) {
            sweep();
            nextSweep = now + SWEEP_MILLIS;
        }
    }

    /** Adds a process found in /proc at start-up. */
    public void seed(long pid, long ppid, long startTime, byte[] comm, byte[] exe) {
        if (pid < 0 || pid > Integer.MAX_VALUE) {
            return;
        }
        Proc p = new Proc(pid);
        p.ppid = pidOrUnknown(ppid);
        p.rare = Rare.startedAt(startTime);
        p.comm = names.share(comm);
        p.exe = names.share(exe);
        p.seen(now);
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
        Rare r = p.rare;
        setLabels(p, with(r.labels(), label), propagate ? with(r.propagating(), label) : r.propagating());
        return true;
    }

    @Override
    public boolean unlabel(long pid, String label) {
        Proc p = procs.get(pid);
        if (p == null || p.rare.labels() == null || !p.rare.labels().contains(label)) {
            return false;
        }
        setLabels(p, without(p.rare.labels(), label), without(p.rare.propagating(), label));
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

    /** Every process known, with its image, labels, liveness and spawner. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(procs.size());
        procs.forEach(p -> entries.add(p.entry()));
        return entries;
    }

    /**
     * The number of processes a state file keeps: all but the dead ones that the next sweep or
     * prune would forget (not seen for the grace period, no kept process descending from them).
     * {@link #forEachNeeded} then gives them, as long as the table does not change in between.
     */
    public int needed() {
        markKept(now - graceMillis);
        int[] n = {0};
        procs.forEach(p -> {
            if (p.kept) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** Each process {@link #needed()} counted, one {@link Entry} at a time (no copy of the table). */
    public void forEachNeeded(java.util.function.Consumer<Entry> action) {
        procs.forEach(p -> {
            if (p.kept) {
                action.accept(p.entry());
            }
        });
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
            if (e.pid() < 0 || e.pid() > Integer.MAX_VALUE) {
                continue;
            }
            Proc p = new Proc(e.pid());
            p.ppid = pidOrUnknown(e.ppid());
            p.rare = Rare.startedAt(e.startTime());
            p.restoreImages(e.instance(), e.lastExec());
            p.comm = names.share(e.comm());
            p.exe = names.share(e.exe());
            p.dead = e.dead();
            setLabels(p, e.labels() == null ? null : shared(new TreeSet<>(e.labels())),
                    e.propagating() == null ? null : shared(new TreeSet<>(e.propagating())));
            p.spawnerKnown = e.spawnerKnown();
            Instance i = e.spawnedBy();
            if (i != null) {
                p.spawnedBy = Instance.of(i.pid(), i.ppid(), i.lastExec(), i.startTime(),
                        names.share(i.comm()), names.share(i.exe()));
            }
            p.seen(now);
            read.put((long) p.pid, p);
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
        if (saved.startTime() >= 0 && now.startTime() >= 0 && saved.startTime() != now.startTime()) {
            return false;
        }
        return saved.exe == null || now.exe == null || java.util.Arrays.equals(saved.exe, now.exe);
    }

    /** The number of processes known. */
    public int size() {
        return procs.size();
    }

    /** The number of entries pruned so far (the table was full). */
    public long pruned() {
        return pruned;
    }

    /** The number of dead processes forgotten so far after their grace period. */
    public long forgotten() {
        return forgotten;
    }

    /** A process's first event of its own since its fork: it names the instance, its parent spawned it. */
    private void firstOwnEvent(Proc p, EventId id) {
        if (p.spawnerKnown) {
            return;
        }
        if (!p.hasImage() && p.startTime() < 0) {
            p.image(id);
        }
        p.spawnedBy = instance(p.ppid);
        p.spawnerKnown = true;
    }

    private Instance instance(long pid) {
        Proc p = pid > 0 ? procs.get(pid) : null;
        return p == null ? null : Instance.now(p);
    }

    private Proc create(long pid, long ppid) {
        Proc p = new Proc(pid);
        p.ppid = (int) ppid;
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
        child.seen(now);
        // A child runs its parent's image until it execs.
        child.lastExecImage = parent.lastExecImage();
        child.comm = parent.comm;
        child.exe = parent.exe;
        inherit(parent, child);
        procs.put(childPid, child);
    }

    private void inherit(Proc parent, Proc child) {
        TreeSet<String> inherited = parent.rare.propagating();
        if (inherited != null && !inherited.isEmpty()) {
            setLabels(child, union(child.rare.labels(), inherited), union(child.rare.propagating(), inherited));
        }
    }

    /** Gives {@code p} these label sets (shared ones), with one {@link Rare} for processes alike. */
    private void setLabels(Proc p, TreeSet<String> labels, TreeSet<String> propagating) {
        Rare r = p.rare;
        if (r.labels() == labels && r.propagating() == propagating) {
            return;
        }
        r = new Rare(r.startTime(), labels, propagating, r.image());
        if (r.equals(Rare.NONE)) {
            r = Rare.NONE;
        } else if (r.startTime() < 0 && r.image() == null) {
            Rare held = rares.get(r);
            if (held != null) {
                r = held;
            } else if (rares.size() < MAX_LABEL_SETS) {
                rares.put(r, r);
            }
        }
        p.rare = r;
    }

    // Label sets are never changed in place, so that processes share them: a forked child its
    // parent's, and every process labelled alike one set (shared).

    private TreeSet<String> with(TreeSet<String> set, String label) {
        if (set != null && set.contains(label)) {
            return set;
        }
        TreeSet<String> out = set == null ? new TreeSet<>() : new TreeSet<>(set);
        out.add(label);
        return shared(out);
    }

    private TreeSet<String> without(TreeSet<String> set, String label) {
        if (set == null || !set.contains(label)) {
            return set;
        }
        TreeSet<String> out = new TreeSet<>(set);
        out.remove(label);
        return shared(out);
    }

    private TreeSet<String> union(TreeSet<String> set, TreeSet<String> more) {
        if (set == null || set == more || set.isEmpty()) {
            return more;
        }
        if (set.containsAll(more)) {
            return set;
        }
        TreeSet<String> out = new TreeSet<>(set);
        out.addAll(more);
        return shared(out);
    }

    /** The instance held of a set equal to {@code set}, else {@code set} (held from now on, if room). */
    private TreeSet<String> shared(TreeSet<String> set) {
        TreeSet<String> held = labelSets.get(set);
        if (held != null) {
            return held;
        }
        if (labelSets.size() < MAX_LABEL_SETS) {
            labelSets.put(set, set);
        }
        return set;
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
     * Looks up in /proc the processes not seen for {@link #CHECK_AFTER_MILLIS}: a live one counts
     * as seen now, one that is gone (or whose pid now names a younger process) is dead from now
     * on. Then forgets the dead ones not seen for the grace period that no kept process descends
     * from. No allocation beyond the lookups: a mark per entry, deletion in place.
     */
    private void sweep() {
        long checkBefore = now - CHECK_AFTER_MILLIS;
        liveness.list();
        procs.forEach(p -> {
            if (!p.dead && p.lastSeen() < checkBefore) {
                if (!liveness.running(p.pid, p.startTime(), p.lastSeen())) {
                    p.dead = true;
                }
                p.seen(now);   // looked up now: the grace period of a dead one starts here
            }
        });
        markKept(now - graceMillis);
        int before = procs.size();
        procs.removeIf(p -> !p.kept);
        forgotten += before - procs.size();
    }

    /**
     * Marks the processes to keep: the live ones, the dead ones seen since {@code seenSince}, and
     * every ancestor of those (a dead parent of a live child still names the child's parent).
     */
    private void markKept(long seenSince) {
        procs.forEach(p -> p.kept = false);
        procs.forEach(p -> {
            if (!p.dead || p.lastSeen() >= seenSince) {
                // walk up the ancestry; stop at a loop or at what is already kept
                Proc q = p;
                for (int depth = 0; depth < 4096 && q != null && !q.kept; depth++) {
                    q.kept = true;
                    q = q.ppid > 0 ? procs.get(q.ppid) : null;
                }
            }
        });
    }

    /**
     * Drops dead processes that no live process descends from; if the table is still over its
     * bound, drops the least recently seen down to 90 % of it.
     */
    private void prune() {
        int before = procs.size();
        markKept(Long.MAX_VALUE);
        procs.removeIf(p -> !p.kept);
        int target = maxProcesses * 9 / 10;
        int excess = procs.size() - target;
        if (excess > 0) {
            // the excess-th oldest time: what is older goes, then as many seen at that time as needed
            long[] seen = new long[procs.size()];
            int[] n = {0};
            procs.forEach(p -> seen[n[0]++] = p.lastSeen());
            java.util.Arrays.sort(seen);
            long threshold = seen[excess - 1];
            int[] ties = {0};
            for (int i = 0; i < excess; i++) {
                if (seen[i] == threshold) {
                    ties[0]++;
                }
            }
            procs.removeIf(p -> p.lastSeen() < threshold || p.lastSeen() == threshold && ties[0]-- > 0);
        }
        pruned += before - procs.size();
    }

    private static int pidOrUnknown(long pid) {
        return pid >= 0 && pid <= Integer.MAX_VALUE ? (int) pid : -1;
    }

    /**
     * A process image as it was when it spawned another: what SPAWNED_BY describes. Immutable;
     * its image id packed as in {@link Proc}: 40 bytes, 56 for the few with a start time (known
     * from /proc) or an id that does not pack.
     */
    public static class Instance implements ProcessInfo {
        private final int pid;
        private final int ppid;
        private final long imageMillis;
        private final int imageSerial;
        private final byte[] comm;
        private final byte[] exe;

        private Instance(long pid, long ppid, EventId lastExec, byte[] comm, byte[] exe) {
            this.pid = pidOrUnknown(pid);
            this.ppid = pidOrUnknown(ppid);
            imageMillis = PackedEventId.millis(lastExec);
            imageSerial = PackedEventId.serial(lastExec);
            this.comm = comm;
            this.exe = exe;
        }

        /** @param lastExec the id of the event that began the image, {@code null} if none */
        public static Instance of(long pid, long ppid, EventId lastExec, long startTime, byte[] comm, byte[] exe) {
            return startTime < 0 && PackedEventId.millis(lastExec) != PackedEventId.UNPACKED
                    ? new Instance(pid, ppid, lastExec, comm, exe)
                    : new RareInstance(pid, ppid, lastExec, startTime, comm, exe);
        }

        /** The process's image now; siblings spawned by one image share one record. */
        private static Instance now(Proc p) {
            long startTime = p.hasImage() ? -1 : p.startTime();
            Instance last = p.asSpawner;
            if (last != null && last.ppid == p.ppid && last.imageMillis == p.imageMillis
                    && last.imageSerial == p.imageSerial && last.unpacked() == p.rare.image()
                    && last.startTime() == startTime && last.comm == p.comm && last.exe == p.exe) {
                return last;
            }
            return p.asSpawner = of(p.pid, p.ppid, p.image(), startTime, p.comm, p.exe);
        }

        /** The image's id if it does not pack, else {@code null}. */
        EventId unpacked() {
            return null;
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
            return PackedEventId.unpack(imageMillis, imageSerial, unpacked());
        }

        @Override
        public long startTime() {
            return -1;
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
            return Collections.emptySortedSet();
        }
    }

    /** A spawner known from /proc (its start time), or whose image id does not pack. */
    private static final class RareInstance extends Instance {
        private final long startTime;
        private final EventId unpacked;

        RareInstance(long pid, long ppid, EventId lastExec, long startTime, byte[] comm, byte[] exe) {
            super(pid, ppid, lastExec, comm, exe);
            this.startTime = startTime;
            this.unpacked = PackedEventId.millis(lastExec) == PackedEventId.UNPACKED ? lastExec : null;
        }

        @Override
        EventId unpacked() {
            return unpacked;
        }

        @Override
        public long startTime() {
            return startTime;
        }
    }

    /**
     * What most processes do not have, in one object shared by the processes that have the same:
     * a start time (processes known from /proc), labels, an image id that does not pack
     * ({@link PackedEventId}). The label sets are shared too, and never changed in place.
     */
    private record Rare(long startTime, TreeSet<String> labels, TreeSet<String> propagating, EventId image) {
        static final Rare NONE = new Rare(-1, null, null, null);

        static Rare startedAt(long startTime) {
            return startTime < 0 ? NONE : new Rare(startTime, null, null, null);
        }
    }

    /**
     * One process. Mutable, but only through the tracker; plugins see {@link ProcessInfo}.
     * 64 bytes (compressed references) and no object of its own: pids as {@code int} (a C
     * {@code pid_t}), the id of the event that began its image packed ({@link PackedEventId}) and
     * made into an {@link EventId} only when asked for, when it was last seen in whole seconds,
     * what most processes lack in a shared {@link Rare}, every other value that repeats (comm, exe,
     * spawners, the image a forked child's last exec began) a reference to one shared object.
     */
    private static final class Proc implements ProcessInfo {
        final int pid;
        int ppid = -1;
        /**
         * Audit time of the last event of this process, or of its last lookup in /proc: epoch
         * seconds, unsigned, rounded up (a process counts as seen until the end of that second).
         */
        private int lastSeen;
        /** The event that began this image as laurel saw it, its exec, else its first own event: packed. */
        private long imageMillis = PackedEventId.NONE;
        private int imageSerial;
        /**
         * The image the last exec began, if not this one: a forked child's is its parent's, as the
         * parent's spawner record (which the child mostly gets as its spawner too), shared with its
         * siblings; {@code null} if no exec is known.
         */
        Instance lastExecImage;
        byte[] comm;
        byte[] exe;
        Instance spawnedBy;
        /** The record last made of this process as a spawner, reused while it still describes it. */
        Instance asSpawner;
        Rare rare = Rare.NONE;
        boolean dead;
        boolean spawnerKnown;
        /** Set by {@link #markKept} for the sweep, the prune and the state file. */
        boolean kept;
        /** Whether the last exec began this image: then {@link #lastExec()} is the image's id. */
        private boolean execedImage;

        Proc(long pid) {
            this.pid = (int) pid;
        }

        /** When this process was last seen, epoch ms (a whole second). */
        long lastSeen() {
            return Integer.toUnsignedLong(lastSeen) * 1000;
        }

        void seen(long millis) {
            lastSeen = (int) Math.min(Math.max(0, (millis + 999) / 1000), 0xFFFF_FFFFL);
        }

        boolean hasImage() {
            return imageMillis != PackedEventId.NONE;
        }

        /** The id of the event that began this image, or {@code null}. */
        EventId image() {
            return PackedEventId.unpack(imageMillis, imageSerial, rare.image());
        }

        /** Sets the id of the event that began this image. */
        void image(EventId image) {
            imageMillis = PackedEventId.millis(image);
            imageSerial = PackedEventId.serial(image);
            EventId unpacked = imageMillis == PackedEventId.UNPACKED ? image : null;
            if (rare.image() != unpacked) {
                rare = new Rare(rare.startTime(), rare.labels(), rare.propagating(), unpacked);
            }
        }

        /** A successful exec: it begins the image. */
        void exec(EventId id) {
            image(id);
            execedImage = true;
            lastExecImage = null;
        }

        /** The image the last exec began, for a child forked now; {@code null} if none is known. */
        Instance lastExecImage() {
            return execedImage ? Instance.now(this) : lastExecImage;
        }

        /** The image and last exec of a process read from the state file. */
        void restoreImages(EventId image, EventId lastExec) {
            image(image);
            execedImage = lastExec != null && lastExec.equals(image);
            // an image known by its exec's id only
            lastExecImage = lastExec == null || execedImage ? null : Instance.of(-1, -1, lastExec, -1, null, null);
        }

        Entry entry() {
            return new Entry(pid, ppid, startTime(), lastExec(), comm, exe, dead, rare.labels(), rare.propagating(),
                    image(), spawnerKnown, spawnedBy);
        }

        @Override
        public ProcessInfo spawnedBy() {
            return spawnedBy;
        }

        @Override
        public EventId firstEvent() {
            return image();
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
            if (execedImage) {
                return image();
            }
            return lastExecImage == null ? null : lastExecImage.lastExec();
        }

        @Override
        public long startTime() {
            return rare.startTime();
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
            TreeSet<String> labels = rare.labels();
            return labels == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(labels);
        }
    }
}
