package dev.laurel.plugins.testkit;

import dev.laurel.api.AuditEvent;

/**
 * Events copied from {@code testdata/real-enriched.log} (a real auditd 3.0.9 ENRICHED capture),
 * each with its pid replaceable so that tests can point it at a fake {@code /proc} entry.
 */
public final class RealEvents {
    private RealEvents() {
    }

    /** Event 318: dash runs ./maint.sh by its #! line (pid 3695, cwd /tmp/scenario-1). */
    private static final String[] SCRIPT_EXEC = {
            "type=SYSCALL msg=audit(1795636827.767:318): arch=c000003e syscall=59 success=yes exit=0 a0=562bb2637630 a1=562bb26398d0 a2=562bb2634790 a3=ce97335de18d7a04 items=3 ppid=3463 pid=3695 auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"maint.sh\" exe=\"/usr/bin/dash\" key=(null)\u001dARCH=x86_64 SYSCALL=execve AUID=\"audtest\" UID=\"root\" GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\"",
            "type=BPRM_FCAPS msg=audit(1795636827.767:318): fver=0 fp=0 fi=0 fe=0 old_pp=000001fffeffffff old_pi=0 old_pe=000001fffeffffff old_pa=0 pp=000001fffeffffff pi=0 pe=000001fffeffffff pa=0 frootid=0",
            "type=EXECVE msg=audit(1795636827.767:318): argc=2 a0=\"/bin/sh\" a1=\"./maint.sh\"",
            "type=CWD msg=audit(1795636827.767:318): cwd=\"/tmp/scenario-1\"",
            "type=PATH msg=audit(1795636827.767:318): item=0 name=\"./maint.sh\" inode=2146553 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\u001dOUID=\"root\" OGID=\"root\"",
            "type=PATH msg=audit(1795636827.767:318): item=1 name=\"/bin/sh\" inode=260180 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\u001dOUID=\"root\" OGID=\"root\"",
            "type=PATH msg=audit(1795636827.767:318): item=2 name=\"/lib64/ld-linux-x86-64.so.2\" inode=338944 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\u001dOUID=\"root\" OGID=\"root\"",
            "type=PROCTITLE msg=audit(1795636827.767:318): proctitle=2F62696E2F7368002E2F6D61696E742E7368",
    };

    /** Event 59: bash started with the script as its argument (pid 3463, cwd /tmp). */
    private static final String[] BASH_EXEC = {
            "type=SYSCALL msg=audit(1795636823.203:59): arch=c000003e syscall=59 success=yes exit=0 a0=5588bdcb3bb0 a1=5588bdcb3a78 a2=5588bdcb3a90 a3=c72e676f7e5f5cfc items=2 ppid=2783 pid=3463 auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"bash\" exe=\"/usr/bin/bash\" key=(null)\u001dARCH=x86_64 SYSCALL=execve AUID=\"audtest\" UID=\"root\" GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\"",
            "type=BPRM_FCAPS msg=audit(1795636823.203:59): fver=0 fp=0 fi=0 fe=0 old_pp=000001fffeffffff old_pi=0 old_pe=000001fffeffffff old_pa=0 pp=000001fffeffffff pi=0 pe=000001fffeffffff pa=0 frootid=0",
            "type=EXECVE msg=audit(1795636823.203:59): argc=2 a0=\"bash\" a1=\"/tmp/scenario-1/scenario.sh\"",
            "type=CWD msg=audit(1795636823.203:59): cwd=\"/tmp\"",
            "type=PATH msg=audit(1795636823.203:59): item=0 name=\"/usr/bin/bash\" inode=260104 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\u001dOUID=\"root\" OGID=\"root\"",
            "type=PATH msg=audit(1795636823.203:59): item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=338944 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\u001dOUID=\"root\" OGID=\"root\"",
            "type=PROCTITLE msg=audit(1795636823.203:59): proctitle=7368002D63006563686F2031303031203E202F70726F632F73656C662F6C6F67696E7569643B2065786563206261736820272F746D702F7363656E6172696F2D312F7363656E6172696F2E736827",
    };

    /** Event 60: bash (pid 3463) forks; no EXECVE. */
    private static final String[] CLONE = {
            "type=SYSCALL msg=audit(1795636823.207:60): arch=c000003e syscall=56 success=yes exit=3467 a0=1200011 a1=0 a2=0 a3=7f5ba2d88a10 items=0 ppid=2783 pid=3463 auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"bash\" exe=\"/usr/bin/bash\" key=\"fork\"\u001dARCH=x86_64 SYSCALL=clone AUID=\"audtest\" UID=\"root\" GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\"",
            "type=PROCTITLE msg=audit(1795636823.207:60): proctitle=7368002D63006563686F2031303031203E202F70726F632F73656C662F6C6F67696E7569643B2065786563206261736820272F746D702F7363656E6172696F2D312F7363656E6172696F2E736827",
    };

    /** Event 318 ({@code /bin/sh ./maint.sh}, a {@code #!} script run by dash) with SYSCALL pid {@code pid}. */
    public static AuditEvent scriptExec(long pid) {
        return withPid(SCRIPT_EXEC, 3695, pid);
    }

    /** Event 59 ({@code bash /tmp/scenario-1/scenario.sh}) with SYSCALL pid {@code pid}. */
    public static AuditEvent bashExec(long pid) {
        return withPid(BASH_EXEC, 3463, pid);
    }

    /** Event 60 (a clone by bash) with SYSCALL pid {@code pid}. */
    public static AuditEvent clone(long pid) {
        return withPid(CLONE, 3463, pid);
    }

    /** The lines of event 318, to edit before {@link TestRecords#event}. */
    public static String[] scriptExecLines() {
        return SCRIPT_EXEC.clone();
    }

    /** The lines of event 59. */
    public static String[] bashExecLines() {
        return BASH_EXEC.clone();
    }

    private static AuditEvent withPid(String[] lines, long from, long to) {
        String[] copy = lines.clone();
        copy[0] = copy[0].replace(" pid=" + from + " ", " pid=" + to + " ");
        return TestRecords.event(copy);
    }
}
