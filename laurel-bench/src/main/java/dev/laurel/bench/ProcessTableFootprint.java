package dev.laurel.bench;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.process.ProcessTracker;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Fills a process table with {@code N} processes (default 100,000) made as bench/soak-stream.py's
 * stream makes them, a fork by a random known process, then an exec or an audited call of the
 * child's own, and waits, so that {@code jcmd PID GC.class_histogram} shows what an entry costs:
 *
 * <pre>
 * java -cp laurel-api.jar:laurel-engine.jar:laurel-bench.jar dev.laurel.bench.ProcessTableFootprint 100000 &amp;
 * jcmd $! GC.class_histogram
 * </pre>
 *
 * The table's bound is raised above {@code N}, so nothing is pruned.
 */
public final class ProcessTableFootprint {
    private static final byte[] BASH = "bash".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BASH_EXE = "/usr/bin/bash".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CAT = "cat".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CAT_EXE = "/usr/bin/cat".getBytes(StandardCharsets.US_ASCII);

    private ProcessTableFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        ProcessTracker table = new ProcessTracker(10_000_000);
        Random rng = new Random(7);
        long serial = 1;
        long ms = 1_795_600_000_000L;
        int[] pids = new int[n + 1];
        pids[0] = 1000;
        table.observe(syscall(new EventId(ms / 1000, (int) (ms % 1000), serial++), 59, 0, 1, 1000, BASH, BASH_EXE));
        for (int k = 1; k <= n; k++) {
            ms++;
            int parent = pids[rng.nextInt(k)];
            int child = 1000 + k;
            pids[k] = child;
            table.observe(syscall(new EventId(ms / 1000, (int) (ms % 1000), serial++), 56, child, 1, parent, BASH, BASH_EXE));
            ms++;
            // as the soak stream: execve and openat equally likely
            int nr = rng.nextBoolean() ? 59 : 257;
            table.observe(syscall(new EventId(ms / 1000, (int) (ms % 1000), serial++), nr, nr == 59 ? 0 : 3, parent, child,
                    CAT, CAT_EXE));
        }
        System.out.println("processes " + table.size() + "; pid " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.parseLong(System.getProperty("wait.ms", "600000")));
        System.out.println(table.size());
    }

    private static AuditEvent syscall(EventId id, int nr, long exit, long ppid, long pid, byte[] comm, byte[] exe) {
        AuditEvent e = new AuditEvent(id, null);
        Record r = new Record(RecordType.SYSCALL, new byte[0]);
        bare(r, "arch", "c000003e");
        bare(r, "syscall", Integer.toString(nr));
        bare(r, "success", "yes");
        bare(r, "exit", Long.toString(exit));
        bare(r, "ppid", Long.toString(ppid));
        bare(r, "pid", Long.toString(pid));
        r.add("comm", new Value.Token(comm, Encoding.DOUBLE_QUOTED));
        r.add("exe", new Value.Token(exe, Encoding.DOUBLE_QUOTED));
        e.records().add(r);
        return e;
    }

    private static void bare(Record r, String name, String value) {
        r.add(name, new Value.Token(value.getBytes(StandardCharsets.US_ASCII), Encoding.BARE));
    }
}
