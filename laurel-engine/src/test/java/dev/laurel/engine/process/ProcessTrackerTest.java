package dev.laurel.engine.process;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessTrackerTest {
    private static final String X86_64 = "arch=c000003e ";
    private long serial = 100;

    /** A SYSCALL event from "k=v k=\"quoted\"" text (test-only; no spaces inside values). */
    private AuditEvent event(String fields) {
        AuditEvent e = new AuditEvent(new EventId(1700000000L, 0, serial++), null);
        Record r = new Record(RecordType.SYSCALL, new byte[0]);
        for (String kv : fields.trim().split(" +")) {
            int eq = kv.indexOf('=');
            String v = kv.substring(eq + 1);
            boolean quoted = v.startsWith("\"");
            byte[] b = (quoted ? v.substring(1, v.length() - 1) : v).getBytes(StandardCharsets.UTF_8);
            r.add(kv.substring(0, eq), new Value.Token(b, quoted ? Encoding.DOUBLE_QUOTED : Encoding.BARE));
        }
        e.records().add(r);
        return e;
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void execRecordsTheEventIdCommAndExe() {
        ProcessTracker t = new ProcessTracker();
        AuditEvent exec = event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"bash\" exe=\"/usr/bin/bash\"");
        t.observe(exec);
        ProcessInfo p = t.get(10);
        assertThat(p.lastExec()).isEqualTo(exec.id());
        assertThat(str(p.comm())).isEqualTo("bash");
        assertThat(str(p.exe())).isEqualTo("/usr/bin/bash");
        assertThat(p.ppid()).isEqualTo(1);
    }

    @Test
    void forkCreatesTheChildWithTheParentsImageAndPropagatingLabelsOnly() {
        ProcessTracker t = new ProcessTracker();
        AuditEvent exec = event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"apt-get\" exe=\"/usr/bin/apt-get\"");
        t.observe(exec);
        t.label(10, "software_mgmt", true);
        t.label(10, "local-only", false);
        t.observe(event(X86_64 + "syscall=56 success=yes exit=11 ppid=1 pid=10 comm=\"apt-get\" exe=\"/usr/bin/apt-get\""));
        ProcessInfo child = t.get(11);
        assertThat(child.ppid()).isEqualTo(10);
        assertThat(child.lastExec()).isEqualTo(exec.id());
        assertThat(str(child.exe())).isEqualTo("/usr/bin/apt-get");
        assertThat(child.labels()).containsExactly("software_mgmt");
        assertThat(t.get(10).labels()).containsExactly("local-only", "software_mgmt");
    }

    @Test
    void labelChangesInAChildOrItsParentDoNotReachTheOther() {
        // Forked children share their parent's label set until one of them changes it.
        ProcessTracker t = new ProcessTracker();
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"apt\" exe=\"/usr/bin/apt\""));
        t.label(10, "software_mgmt", true);
        t.observe(event(X86_64 + "syscall=56 success=yes exit=11 ppid=1 pid=10 comm=\"apt\" exe=\"/usr/bin/apt\""));
        t.observe(event(X86_64 + "syscall=56 success=yes exit=12 ppid=1 pid=10 comm=\"apt\" exe=\"/usr/bin/apt\""));
        assertThat(t.unlabel(11, "software_mgmt")).isTrue();
        t.label(12, "child-only", true);
        t.label(10, "parent-only", false);
        assertThat(t.get(11).labels()).isEmpty();
        assertThat(t.get(12).labels()).containsExactly("child-only", "software_mgmt");
        assertThat(t.get(10).labels()).containsExactly("parent-only", "software_mgmt");
        // 11 no longer propagates: its children get nothing; 12's get both of its labels
        t.observe(event(X86_64 + "syscall=56 success=yes exit=13 ppid=10 pid=11 comm=\"apt\" exe=\"/usr/bin/apt\""));
        t.observe(event(X86_64 + "syscall=56 success=yes exit=14 ppid=10 pid=12 comm=\"apt\" exe=\"/usr/bin/apt\""));
        assertThat(t.get(13).labels()).isEmpty();
        assertThat(t.get(14).labels()).containsExactly("child-only", "software_mgmt");
    }

    @Test
    void labelsSurviveExecAndAForkThatNeverExecs() {
        ProcessTracker t = new ProcessTracker();
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"apt-get\" exe=\"/usr/bin/apt-get\""));
        t.label(10, "software_mgmt", true);
        t.observe(event(X86_64 + "syscall=57 success=yes exit=11 ppid=1 pid=10 comm=\"apt-get\" exe=\"/usr/bin/apt-get\""));
        // 11 forks again without exec, then the grandchild execs
        t.observe(event(X86_64 + "syscall=56 success=yes exit=12 ppid=10 pid=11 comm=\"apt-get\" exe=\"/usr/bin/apt-get\""));
        AuditEvent gpgv = event(X86_64 + "syscall=59 success=yes exit=0 ppid=11 pid=12 comm=\"gpgv\" exe=\"/usr/bin/gpgv\"");
        t.observe(gpgv);
        assertThat(t.get(12).labels()).containsExactly("software_mgmt");
        assertThat(t.get(12).lastExec()).isEqualTo(gpgv.id());
        assertThat(str(t.get(12).comm())).isEqualTo("gpgv");
    }

    @Test
    void aProcessFirstSeenWithoutItsForkInheritsFromItsParent() {
        ProcessTracker t = new ProcessTracker();
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"dpkg\" exe=\"/usr/bin/dpkg\""));
        t.label(10, "software_mgmt", true);
        // the child's exec event arrives before (or without) the parent's clone event
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=10 pid=20 comm=\"sh\" exe=\"/usr/bin/dash\""));
        assertThat(t.get(20).labels()).containsExactly("software_mgmt");
    }

    @Test
    void aCloneEventCompletingAfterTheChildsExecKeepsTheChildsImage() {
        ProcessTracker t = new ProcessTracker();
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"apt-get\" exe=\"/usr/bin/apt-get\""));
        t.label(10, "software_mgmt", true);
        AuditEvent childExec = event(X86_64 + "syscall=59 success=yes exit=0 ppid=10 pid=11 comm=\"sh\" exe=\"/usr/bin/dash\"");
        t.observe(childExec);
        t.observe(event(X86_64 + "syscall=56 success=yes exit=11 ppid=1 pid=10 comm=\"apt-get\" exe=\"/usr/bin/apt-get\""));
        assertThat(t.get(11).lastExec()).isEqualTo(childExec.id());
        assertThat(str(t.get(11).exe())).isEqualTo("/usr/bin/dash");
        assertThat(t.get(11).labels()).containsExactly("software_mgmt");
    }

    @Test
    void pidReuseAfterExitReplacesTheEntry() {
        ProcessTracker t = new ProcessTracker();
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=30 comm=\"old\" exe=\"/bin/old\""));
        t.label(30, "x", true);
        t.observe(event(X86_64 + "syscall=231 success=yes exit=0 ppid=1 pid=30 comm=\"old\" exe=\"/bin/old\""));
        AuditEvent reused = event(X86_64 + "syscall=59 success=yes exit=0 ppid=5 pid=30 comm=\"new\" exe=\"/bin/new\"");
        t.observe(reused);
        assertThat(t.get(30).labels()).isEmpty();
        assertThat(t.get(30).lastExec()).isEqualTo(reused.id());
        assertThat(t.get(30).ppid()).isEqualTo(5);
    }

    @Test
    void anOrphanIsReparentedWhenItsRecordsSayso() {
        ProcessTracker t = new ProcessTracker();
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=40 pid=41 comm=\"sleep\" exe=\"/bin/sleep\""));
        t.observe(event(X86_64 + "syscall=1 success=yes exit=1 ppid=1 pid=41 comm=\"sleep\" exe=\"/bin/sleep\""));
        assertThat(t.get(41).ppid()).isEqualTo(1);
    }

    @Test
    void failedExecChangesNothingButFillsInUnknowns() {
        ProcessTracker t = new ProcessTracker();
        AuditEvent ok = event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=50 comm=\"sh\" exe=\"/bin/sh\"");
        t.observe(ok);
        t.observe(event(X86_64 + "syscall=59 success=no exit=-2 ppid=1 pid=50 comm=\"sh\" exe=\"/bin/sh\""));
        assertThat(t.get(50).lastExec()).isEqualTo(ok.id());
    }

    @Test
    void aarch64SyscallNumbersAreUnderstood() {
        ProcessTracker t = new ProcessTracker();
        AuditEvent exec = event("arch=c00000b7 syscall=221 success=yes exit=0 ppid=1 pid=60 comm=\"cron\" exe=\"/usr/sbin/cron\"");
        t.observe(exec);
        t.observe(event("arch=c00000b7 syscall=220 success=yes exit=61 ppid=1 pid=60 comm=\"cron\" exe=\"/usr/sbin/cron\""));
        assertThat(t.get(60).lastExec()).isEqualTo(exec.id());
        assertThat(t.get(61).ppid()).isEqualTo(60);
    }

    @Test
    void memoryStaysBoundedOverAMillionShortLivedProcesses() {
        ProcessTracker t = new ProcessTracker(10_000);
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=2 comm=\"init\" exe=\"/sbin/init\""));
        int maxSize = 0;
        for (long pid = 100; pid < 1_000_100; pid++) {
            t.observe(event(X86_64 + "syscall=57 success=yes exit=" + pid + " ppid=1 pid=2 comm=\"init\" exe=\"/sbin/init\""));
            t.observe(event(X86_64 + "syscall=231 success=yes exit=0 ppid=2 pid=" + pid + " comm=\"init\" exe=\"/sbin/init\""));
            maxSize = Math.max(maxSize, t.size());
        }
        assertThat(maxSize).isLessThanOrEqualTo(10_001);
        assertThat(t.get(2)).as("a live ancestor is never pruned").isNotNull();
        assertThat(t.pruned()).isGreaterThan(900_000);
    }

    @Test
    void seedsFromAFakeProcTree(@org.junit.jupiter.api.io.TempDir Path proc) throws IOException {
        Path p1 = Files.createDirectories(proc.resolve("1"));
        Files.writeString(p1.resolve("stat"), "1 (systemd) S 0 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 7 0 0\n");
        Files.createSymbolicLink(p1.resolve("exe"), Path.of("/usr/lib/systemd/systemd"));
        Path p2 = Files.createDirectories(proc.resolve("4242"));
        Files.writeString(p2.resolve("stat"), "4242 (we ird) name)) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1234 0 0\n");
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("uptime"), "1.0 1.0\n");
        ProcessTracker t = new ProcessTracker();
        assertThat(new ProcSeeder(proc).seed(t)).isEqualTo(2);
        assertThat(str(t.get(1).exe())).isEqualTo("/usr/lib/systemd/systemd");
        assertThat(t.get(1).startTime()).isEqualTo(7);
        assertThat(str(t.get(4242).comm())).isEqualTo("we ird) name)");
        assertThat(t.get(4242).ppid()).isEqualTo(1);
        assertThat(t.get(4242).startTime()).isEqualTo(1234);
        assertThat(t.get(4242).exe()).isNull();
    }

    @Test
    void aTableRestoredFromItsEntriesKeepsImagesLabelsAndLiveness() {
        ProcessTracker t = new ProcessTracker();
        AuditEvent exec = event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"apt-get\" exe=\"/usr/bin/apt-get\"");
        t.observe(exec);
        t.label(10, "software_mgmt", true);
        t.label(10, "local", false);
        t.observe(event(X86_64 + "syscall=231 success=yes exit=0 ppid=10 pid=99 comm=\"x\" exe=\"/x\""));
        t.seed(1, 0, 7, "systemd".getBytes(StandardCharsets.UTF_8), null);

        ProcessTracker back = new ProcessTracker();
        back.restore(t.entries());
        assertThat(back.size()).isEqualTo(3);
        assertThat(back.get(10).lastExec()).isEqualTo(exec.id());
        assertThat(str(back.get(10).exe())).isEqualTo("/usr/bin/apt-get");
        assertThat(back.get(10).labels()).containsExactly("local", "software_mgmt");
        assertThat(back.get(1).startTime()).isEqualTo(7);
        assertThat(back.get(1).exe()).isNull();
        // propagation survives the restart: a fork after it still carries the label
        back.observe(event(X86_64 + "syscall=56 success=yes exit=11 ppid=1 pid=10 comm=\"apt-get\" exe=\"/usr/bin/apt-get\""));
        assertThat(back.get(11).labels()).containsExactly("software_mgmt");
    }

    @Test
    void aSavedTableIsReadOverTheProcessesSeededFromProc() {
        ProcessTracker before = new ProcessTracker();
        before.seed(300, 1, 50, "bash".getBytes(StandardCharsets.UTF_8), "/usr/bin/bash".getBytes(StandardCharsets.UTF_8));
        before.label(300, "software_mgmt", true);
        before.seed(400, 1, 60, "vim".getBytes(StandardCharsets.UTF_8), "/usr/bin/vim".getBytes(StandardCharsets.UTF_8));
        before.label(400, "edit", false);
        before.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=500 comm=\"apt\" exe=\"/usr/bin/apt\""));
        before.label(500, "software_mgmt", true);
        List<ProcessTracker.Entry> saved = before.entries();

        // after the restart /proc shows: 300 still running, 400 reused by another process
        // (another start time), 500 reused by sshd (another executable), 600 new
        ProcessTracker after = new ProcessTracker();
        after.seed(300, 1, 50, "bash".getBytes(StandardCharsets.UTF_8), "/usr/bin/bash".getBytes(StandardCharsets.UTF_8));
        after.seed(400, 1, 99, "vim".getBytes(StandardCharsets.UTF_8), "/usr/bin/vim".getBytes(StandardCharsets.UTF_8));
        after.seed(500, 1, 70, "sshd".getBytes(StandardCharsets.UTF_8), "/usr/sbin/sshd".getBytes(StandardCharsets.UTF_8));
        after.seed(600, 1, 80, "cron".getBytes(StandardCharsets.UTF_8), "/usr/sbin/cron".getBytes(StandardCharsets.UTF_8));
        after.restore(saved);

        assertThat(after.size()).isEqualTo(4);
        assertThat(after.get(300).labels()).containsExactly("software_mgmt");
        assertThat(after.get(400).labels()).isEmpty();
        assertThat(after.get(400).startTime()).isEqualTo(99);
        assertThat(str(after.get(500).exe())).isEqualTo("/usr/sbin/sshd");
        assertThat(after.get(500).labels()).isEmpty();
        assertThat(str(after.get(600).comm())).isEqualTo("cron");
    }

    // SPAWNED_BY (later LAUREL): who started the current image

    private static String spawner(ProcessInfo p) {
        ProcessInfo s = p.spawnedBy();
        return s == null ? "none" : s.pid() + " " + s.lastExec() + " " + s.startTime() + " " + str(s.comm()) + " " + str(s.exe());
    }

    private AuditEvent eventWithId(EventId id, String fields) {
        AuditEvent at = new AuditEvent(id, null);
        at.records().addAll(event(fields).records());
        return at;
    }

    @Test
    void eventIdsComeBackExactlyAsTheyWereAlsoBeyondWhatLinuxWrites() {
        // the table keeps ids packed (epoch ms, 32-bit serial) and whole when they do not pack
        for (EventId id : List.of(new EventId(1700000000L, 7, 4_294_967_295L), new EventId(1700000000L, 999, 0),
                new EventId(1700000000L, 7, 1L << 40), new EventId(Long.MAX_VALUE / 100, 5, 3))) {
            ProcessTracker t = new ProcessTracker();
            t.observe(eventWithId(id, X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"bash\" exe=\"/usr/bin/bash\""));
            t.observe(event(X86_64 + "syscall=56 success=yes exit=11 ppid=1 pid=10 comm=\"bash\" exe=\"/usr/bin/bash\""));
            AuditEvent own = eventWithId(id, X86_64 + "syscall=2 success=yes exit=3 ppid=10 pid=11 comm=\"bash\" exe=\"/usr/bin/bash\"");
            t.observe(own);
            t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=10 pid=11 comm=\"ls\" exe=\"/usr/bin/ls\""));

            assertThat(t.get(10).lastExec()).isEqualTo(id);
            assertThat(t.get(10).firstEvent()).isEqualTo(id);
            assertThat(spawner(t.get(11))).isEqualTo("11 " + id + " -1 bash /usr/bin/bash");
            ProcessTracker back = new ProcessTracker();
            back.restore(t.entries());
            assertThat(back.get(10).lastExec()).isEqualTo(id);
            assertThat(spawner(back.get(11))).isEqualTo(spawner(t.get(11)));
        }
    }

    @Test
    void spawnedByIsTheParentWhenForkAndExecCameInShortSuccession() {
        ProcessTracker t = new ProcessTracker();
        AuditEvent shell = event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"bash\" exe=\"/usr/bin/bash\"");
        t.observe(shell);
        t.observe(event(X86_64 + "syscall=56 success=yes exit=11 ppid=1 pid=10 comm=\"bash\" exe=\"/usr/bin/bash\""));
        assertThat(t.get(11).spawnedBy()).as("no event of its own yet").isNull();
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=10 pid=11 comm=\"ls\" exe=\"/usr/bin/ls\""));

        assertThat(spawner(t.get(11))).isEqualTo("10 " + shell.id() + " -1 bash /usr/bin/bash");
        // later events of the same image keep it
        t.observe(event(X86_64 + "syscall=2 success=yes exit=3 ppid=10 pid=11 comm=\"ls\" exe=\"/usr/bin/ls\""));
        assertThat(spawner(t.get(11))).isEqualTo("10 " + shell.id() + " -1 bash /usr/bin/bash");
    }

    @Test
    void spawnedByIsTheChildsOwnImageWhenItMadeAuditedCallsBetweenForkAndExec() {
        ProcessTracker t = new ProcessTracker();
        AuditEvent shell = event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"bash\" exe=\"/usr/bin/bash\"");
        t.observe(shell);
        t.observe(event(X86_64 + "syscall=56 success=yes exit=11 ppid=1 pid=10 comm=\"bash\" exe=\"/usr/bin/bash\""));
        AuditEvent open = event(X86_64 + "syscall=2 success=yes exit=3 ppid=10 pid=11 comm=\"bash\" exe=\"/usr/bin/bash\"");
        t.observe(open);
        assertThat(spawner(t.get(11))).as("the pre-exec child itself").isEqualTo("10 " + shell.id() + " -1 bash /usr/bin/bash");
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=10 pid=11 comm=\"ls\" exe=\"/usr/bin/ls\""));

        assertThat(spawner(t.get(11))).isEqualTo("11 " + open.id() + " -1 bash /usr/bin/bash");
    }

    @Test
    void anExecWithoutForkIsSpawnedByThePreviousImageAlsoWhenOrphaned() {
        ProcessTracker t = new ProcessTracker();
        AuditEvent dpkg = event(X86_64 + "syscall=59 success=yes exit=0 ppid=5 pid=10 comm=\"dpkg\" exe=\"/usr/bin/dpkg\"");
        t.observe(dpkg);
        // the parent exits meanwhile: the exec names init as parent, the image is still the same process
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"dpkg-query\" exe=\"/usr/bin/dpkg-query\""));

        assertThat(spawner(t.get(10))).isEqualTo("10 " + dpkg.id() + " -1 dpkg /usr/bin/dpkg");
    }

    @Test
    void aReusedPidIsSpawnedByItsNewParentNotTheDeadProcess() {
        ProcessTracker t = new ProcessTracker();
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=5 pid=10 comm=\"old\" exe=\"/usr/bin/old\""));
        t.observe(event(X86_64 + "syscall=231 success=yes exit=0 ppid=5 pid=10 comm=\"old\" exe=\"/usr/bin/old\""));
        AuditEvent cron = event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=7 comm=\"cron\" exe=\"/usr/sbin/cron\"");
        t.observe(cron);
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=7 pid=10 comm=\"new\" exe=\"/usr/bin/new\""));

        assertThat(spawner(t.get(10))).isEqualTo("7 " + cron.id() + " -1 cron /usr/sbin/cron");
    }

    @Test
    void aProcessKnownFromProcIsNamedByItsStartTime() {
        ProcessTracker t = new ProcessTracker();
        t.seed(10, 1, 4242, "sshd".getBytes(StandardCharsets.UTF_8), "/usr/sbin/sshd".getBytes(StandardCharsets.UTF_8));
        t.observe(event(X86_64 + "syscall=56 success=yes exit=11 ppid=1 pid=10 comm=\"sshd\" exe=\"/usr/sbin/sshd\""));
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=10 pid=11 comm=\"bash\" exe=\"/usr/bin/bash\""));
        assertThat(spawner(t.get(11))).isEqualTo("10 null 4242 sshd /usr/sbin/sshd");
        // and the seeded process's own exec replaces an image known from /proc
        t.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"sshd\" exe=\"/usr/sbin/sshd\""));
        assertThat(spawner(t.get(10))).isEqualTo("10 null 4242 sshd /usr/sbin/sshd");
    }

    @Test
    void theSpawnerSurvivesTheStateFile() {
        ProcessTracker t = new ProcessTracker();
        AuditEvent shell = event(X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"bash\" exe=\"/usr/bin/bash\"");
        t.observe(shell);
        t.observe(event(X86_64 + "syscall=56 success=yes exit=11 ppid=1 pid=10 comm=\"bash\" exe=\"/usr/bin/bash\""));
        AuditEvent open = event(X86_64 + "syscall=2 success=yes exit=3 ppid=10 pid=11 comm=\"bash\" exe=\"/usr/bin/bash\"");
        t.observe(open);
        ProcessTracker back = new ProcessTracker();
        back.restore(t.entries());

        assertThat(spawner(back.get(11))).isEqualTo(spawner(t.get(11)));
        back.observe(event(X86_64 + "syscall=59 success=yes exit=0 ppid=10 pid=11 comm=\"ls\" exe=\"/usr/bin/ls\""));
        assertThat(spawner(back.get(11))).isEqualTo("11 " + open.id() + " -1 bash /usr/bin/bash");
    }

    // Forgetting dead processes from a fake /proc: the clock is the events' audit time.
    private static final long T0 = 1_700_000_000L;   // seconds; the fake machine booted at T0 - 1000

    private AuditEvent eventAt(long secondsAfterT0, String fields) {
        AuditEvent e = event(fields);
        AuditEvent at = new AuditEvent(new EventId(T0 + secondsAfterT0, 0, e.id().serial()), null);
        at.records().addAll(e.records());
        return at;
    }

    /** A process in the fake /proc, started {@code startedAfterT0} seconds after T0. */
    private static void running(Path proc, long pid, long ppid, long startedAfterT0) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        long ticks = (1000 + startedAfterT0) * 100;
        Files.writeString(dir.resolve("stat"), pid + " (x) S " + ppid + " 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 " + ticks
                + " 0 0\n");
    }

    private static Path fakeProc(Path proc) throws IOException {
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3 4\nbtime " + (T0 - 1000) + "\nprocesses 9\n");
        return proc;
    }

    /** Events of a live bystander (pid 999) at these times: the clock the sweeps run on. */
    private void tick(ProcessTracker t, long... secondsAfterT0) {
        for (long s : secondsAfterT0) {
            t.observe(eventAt(s, X86_64 + "syscall=2 success=yes exit=3 ppid=1 pid=999 comm=\"tick\" exe=\"/tick\""));
        }
    }

    @Test
    void aDeadProcessIsForgottenAfterTheGracePeriodWhileLiveOnesAndDeadParentsOfLiveOnesStay(
            @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path proc = fakeProc(dir);
        running(proc, 999, 1, -100);
        running(proc, 100, 1, -1);    // alive
        // 200: gone; 250: gone, but its child 300 runs; 400: its pid now names a process started at T0+8
        running(proc, 300, 250, 0);
        running(proc, 400, 1, 8);
        ProcessTracker t = new ProcessTracker();
        t.watch(proc, java.time.Duration.ofSeconds(10));
        for (long pid : new long[] {100, 200, 250, 400}) {
            t.observe(eventAt(0, X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=" + pid + " comm=\"c\" exe=\"/c\""));
        }
        t.observe(eventAt(0, X86_64 + "syscall=56 success=yes exit=300 ppid=1 pid=250 comm=\"c\" exe=\"/c\""));

        tick(t, 5, 12, 21);   // at 12 s, not seen for 10 s: looked up, 200, 250 and 400 found dead
        assertThat(t.get(200)).as("dead, within the grace period").isNotNull();
        assertThat(t.forgotten()).isZero();
        tick(t, 27);           // 10 s after they were found dead
        assertThat(t.get(200)).as("dead").isNull();
        assertThat(t.get(400)).as("pid reused").isNull();
        assertThat(t.get(100)).as("alive").isNotNull();
        assertThat(t.get(300)).as("alive").isNotNull();
        assertThat(t.get(250)).as("dead, but the parent of a live process").isNotNull();
        assertThat(t.get(300).ppid()).isEqualTo(250);
        assertThat(t.forgotten()).isEqualTo(2);

        // once the child is gone too, both go
        Files.delete(proc.resolve("300/stat"));
        Files.delete(proc.resolve("300"));
        tick(t, 33, 38, 43, 48, 53);
        assertThat(t.get(300)).isNull();
        assertThat(t.get(250)).isNull();
        assertThat(t.get(100)).isNotNull();
        assertThat(t.size()).isEqualTo(2);   // 100 and the bystander
    }

    @Test
    void aLateRecordOfADeadProcessWithinTheGracePeriodStillFindsIt(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path proc = fakeProc(dir);
        running(proc, 999, 1, -100);
        ProcessTracker t = new ProcessTracker();
        t.watch(proc, java.time.Duration.ofSeconds(10));
        AuditEvent exec = eventAt(0, X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=200 comm=\"c\" exe=\"/c\"");
        t.observe(exec);
        tick(t, 12);          // found dead
        t.observe(eventAt(20, X86_64 + "syscall=2 success=yes exit=3 ppid=1 pid=200 comm=\"c\" exe=\"/c\""));
        assertThat(t.get(200).lastExec()).isEqualTo(exec.id());
        tick(t, 27);          // seen at 20: not yet 10 s ago
        assertThat(t.get(200)).isNotNull();
        tick(t, 32);
        assertThat(t.get(200)).isNull();
    }

    @Test
    void replayedInputForgetsNoProcessItSawNoExitOf() {
        ProcessTracker t = new ProcessTracker();   // not watching /proc: the pids are not this machine's
        t.observe(eventAt(0, X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=200 comm=\"c\" exe=\"/c\""));
        tick(t, 100, 200, 300);
        assertThat(t.get(200)).isNotNull();
    }

    @Test
    void theStateKeepsNoDeadProcessPastItsGracePeriodThatNothingDescendsFrom() {
        ProcessTracker t = new ProcessTracker();
        t.observe(eventAt(0, X86_64 + "syscall=59 success=yes exit=0 ppid=1 pid=10 comm=\"c\" exe=\"/c\""));
        t.observe(eventAt(0, X86_64 + "syscall=56 success=yes exit=11 ppid=1 pid=10 comm=\"c\" exe=\"/c\""));
        t.observe(eventAt(1, X86_64 + "syscall=231 success=yes exit=0 ppid=1 pid=10 comm=\"c\" exe=\"/c\""));
        t.observe(eventAt(1, X86_64 + "syscall=231 success=yes exit=0 ppid=1 pid=20 comm=\"c\" exe=\"/c\""));
        tick(t, 30);
        List<Long> saved = new java.util.ArrayList<>();
        int n = t.needed();
        t.forEachNeeded(e -> saved.add(e.pid()));
        // 10 exited but its child 11 did not; 20 exited 29 s ago
        assertThat(saved).containsExactlyInAnyOrder(10L, 11L, 999L);
        assertThat(n).isEqualTo(3);
        assertThat(t.entries()).hasSize(4);
    }
}
