package dev.laurel.plugins.parentinfo;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** PARENT_INFO is made once per parent as it is, and anew when the parent changes. */
class ParentInfoReuseTest {

    /** A process whose fields the test changes between events. */
    private static class Proc implements ProcessInfo {
        final long pid;
        long ppid = 1;
        EventId lastExec;
        long startTime = -1;
        byte[] comm;
        byte[] exe;

        Proc(long pid, EventId lastExec, String comm, String exe) {
            this.pid = pid;
            this.lastExec = lastExec;
            this.comm = comm.getBytes(StandardCharsets.UTF_8);
            this.exe = exe.getBytes(StandardCharsets.UTF_8);
        }

        public long pid() { return pid; }
        public long ppid() { return ppid; }
        public EventId lastExec() { return lastExec; }
        public long startTime() { return startTime; }
        public byte[] comm() { return comm; }
        public byte[] exe() { return exe; }
        public Set<String> labels() { return Set.of(); }
    }

    private final Map<Long, ProcessInfo> procs = new HashMap<>();
    private final ProcessTable table = new ProcessTable() {
        public ProcessInfo get(long pid) { return procs.get(pid); }
        public boolean label(long pid, String label, boolean propagate) { return false; }
        public boolean unlabel(long pid, String label) { return false; }
    };
    private final ParentInfo enricher = new ParentInfo(table, true, false);

    private Value parentInfoOf(long serial, long ppid) {
        AuditEvent event = new AuditEvent(new EventId(1000, 0, serial), null);
        Record sc = new Record(RecordType.SYSCALL, new byte[0]);
        sc.add("ppid", Value.number(ppid));
        sc.add("pid", Value.number(500 + serial));
        event.records().add(sc);
        enricher.enrich(event);
        return event.extra("PARENT_INFO");
    }

    private static String comm(Value info) {
        return ((Value.Text) ((Value.ObjectValue) info).fields().get("comm")).asString();
    }

    @Test
    void siblingsOfOneParentShareItsDescription() {
        procs.put(100L, new Proc(100, new EventId(999, 0, 1), "bash", "/usr/bin/bash"));
        Value first = parentInfoOf(2, 100);
        assertThat(parentInfoOf(3, 100)).isSameAs(first);
        assertThat(((Value.ObjectValue) first).fields().keySet()).containsExactly("ID", "comm", "exe", "ppid");
    }

    @Test
    void aParentWhoseIdTheTableMakesAnewForEachLookupIsStillDescribedOnce() {
        // laurel's table keeps event ids packed and makes an EventId each time one is asked for
        procs.put(100L, new Proc(100, null, "bash", "/usr/bin/bash") {
            @Override
            public EventId lastExec() {
                return new EventId(999, 0, 1);
            }
        });
        Value first = parentInfoOf(2, 100);
        assertThat(parentInfoOf(3, 100)).isSameAs(first);
    }

    @Test
    void aParentThatExecsOrMovesIsDescribedAnew() {
        Proc parent = new Proc(100, new EventId(999, 0, 1), "bash", "/usr/bin/bash");
        procs.put(100L, parent);
        Value before = parentInfoOf(2, 100);

        parent.lastExec = new EventId(1000, 0, 5);
        parent.comm = "make".getBytes(StandardCharsets.UTF_8);
        parent.exe = "/usr/bin/make".getBytes(StandardCharsets.UTF_8);
        Value afterExec = parentInfoOf(6, 100);
        assertThat(comm(before)).isEqualTo("bash");
        assertThat(comm(afterExec)).isEqualTo("make");
        assertThat(((Value.ObjectValue) afterExec).fields().get("ID")).isEqualTo(Value.text("1000.000:5"));

        parent.ppid = 7;
        Value afterReparent = parentInfoOf(7, 100);
        assertThat(((Value.ObjectValue) afterReparent).fields().get("ppid")).isEqualTo(Value.number(7));

        // another process in the same slot (pid + 256) does not get this one's description
        procs.put(356L, new Proc(356, null, "cron", "/usr/sbin/cron"));
        assertThat(comm(parentInfoOf(8, 356))).isEqualTo("cron");
        assertThat(comm(parentInfoOf(9, 100))).isEqualTo("make");
    }
}
