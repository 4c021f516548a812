package dev.laurel.plugins.parentinfo;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code style: laurel-0.8} on the bundled capture, against what laurel.8.md and laurel-about.7.md
 * (LAUREL 0.8.2) say of the process fields: "{@code *PID} fields that contain at least an
 * {@code EVENT_ID} referring to the first audit event observed for that process or
 * {@code START_TIME}"; {@code SYSCALL.PPID} with only that unless {@code ppid-verbose} adds
 * {@code comm}, {@code exe} and {@code ppid}; {@code SYSCALL.SPAWNED_BY} with
 * {@code EVENT_ID}/{@code START_TIME}, {@code comm}, {@code exe} and {@code pid}.
 */
class Laurel08ProcessFieldsTest {

    @TempDir
    Path tmp;

    private static String text(Value v) {
        return v instanceof Value.Text t ? t.asString() : null;
    }

    private static Map<String, Value> object(Record r, String key) {
        return r.get(key) instanceof Value.ObjectValue o ? o.fields() : null;
    }

    /** The capture through the table and the enricher: each SYSCALL record's fields, by event id. */
    private static Map<String, Map<String, Map<String, Value>>> capture(boolean ppidVerbose, Map<String, String> firstEventOfProcess) {
        ProcessTracker table = new ProcessTracker();
        Laurel08ProcessFields enricher = new Laurel08ProcessFields(table, ppidVerbose, true, -1);
        Map<String, Map<String, Map<String, Value>>> out = new HashMap<>();
        Map<Long, String> current = new HashMap<>();   // the model: pid -> its exec, else its first event
        TestData.events(TestData.capture(), event -> {
            table.observe(event);
            enricher.enrich(event);
            Record sc = event.first(RecordType.SYSCALL);
            if (sc == null) {
                return;
            }
            long pid = sc.getLong("pid", -1);
            String syscall = new String(sc.decoded("SYSCALL"), StandardCharsets.UTF_8);
            boolean exec = syscall.startsWith("execve") && "yes".equals(new String(sc.decoded("success"), StandardCharsets.UTF_8));
            if (exec) {
                current.put(pid, event.id().toString());
            } else {
                current.putIfAbsent(pid, event.id().toString());
            }
            firstEventOfProcess.put(event.id().toString(), current.get(pid));
            // the values, not the record: the assembler may reuse it once the event is done
            Map<String, Map<String, Value>> fields = new HashMap<>();
            for (String key : List.of("PID", "PPID", "SPAWNED_BY")) {
                fields.put(key, object(sc, key));
            }
            if (out.put(event.id().toString(), fields) != null) {
                throw new AssertionError("two events with id " + event.id());
            }
        });
        return out;
    }

    @Test
    void pidNamesTheFirstEventOfTheProcessAsItIsNowAndPpidOnlyNamesTheParent() {
        Map<String, String> model = new HashMap<>();
        Map<String, Map<String, Map<String, Value>>> events = capture(false, model);
        int withPid = 0;
        int withPpid = 0;
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Map<String, Map<String, Value>>> e : events.entrySet()) {
            Map<String, Value> pid = e.getValue().get("PID");
            assertThat(pid).as(e.getKey()).isNotNull();
            withPid++;
            // no proc-root: every process was seen in an event, so EVENT_ID, never START_TIME
            assertThat(pid.keySet()).as(e.getKey()).containsExactly("EVENT_ID");
            if (!model.get(e.getKey()).equals(text(pid.get("EVENT_ID")))) {
                wrong.add(e.getKey() + ": " + pid + ", model " + model.get(e.getKey()));
            }
            Map<String, Value> ppid = e.getValue().get("PPID");
            if (ppid != null) {
                withPpid++;
                assertThat(ppid.keySet()).as(e.getKey()).containsExactly("EVENT_ID");
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(withPid).isEqualTo(events.size()).isEqualTo(1070);
        assertThat(withPpid).isEqualTo(1017);
    }

    @Test
    void ppidVerboseAddsCommExeAndPpid() {
        Map<String, Map<String, Map<String, Value>>> events = capture(true, new HashMap<>());
        int verbose = 0;
        for (Map.Entry<String, Map<String, Map<String, Value>>> e : events.entrySet()) {
            Map<String, Value> ppid = e.getValue().get("PPID");
            if (ppid != null) {
                assertThat(ppid.keySet()).as(e.getKey()).startsWith("EVENT_ID").contains("comm", "exe")
                        .isSubsetOf("EVENT_ID", "comm", "exe", "ppid");
                verbose++;
            }
        }
        assertThat(verbose).isEqualTo(1017);
    }

    @Test
    void spawnedByHasItsPidKeyOnceBesideTheSpawnersNameCommAndExe() {
        Map<String, Map<String, Map<String, Value>>> events = capture(false, new HashMap<>());
        int spawned = 0;
        for (Map.Entry<String, Map<String, Map<String, Value>>> e : events.entrySet()) {
            Map<String, Value> by = e.getValue().get("SPAWNED_BY");
            if (by != null) {
                spawned++;
                assertThat(by.keySet()).as(e.getKey()).containsExactly("EVENT_ID", "pid", "comm", "exe");
            }
        }
        // each key once, the pid too (LAUREL 0.8.2 writes it twice)
        assertThat(spawned).isEqualTo(1041);
    }

    @Test
    void aProcessKnownOnlyFromProcIsNamedByItsStartTimeAsUnixSecondsAndMilliseconds() throws IOException {
        Files.writeString(tmp.resolve("stat"), "cpu  1 2 3\nbtime 1700000000\nprocesses 9\n");
        long boot = ParentInfoFactory.bootTime(tmp);
        assertThat(boot).isEqualTo(1700000000L);
        assertThat(ParentInfoFactory.bootTime(tmp.resolve("missing"))).isEqualTo(-1);
        ProcessTracker table = new ProcessTracker();
        table.seed(500, 1, 12345, "bash".getBytes(StandardCharsets.UTF_8), "/usr/bin/bash".getBytes(StandardCharsets.UTF_8));
        Laurel08ProcessFields enricher = new Laurel08ProcessFields(table, true, true, boot);
        AuditEvent event = TestData.events(TestData.capture()).stream()
                .filter(e -> e.first(RecordType.SYSCALL) != null).findFirst().orElseThrow();
        Record sc = event.first(RecordType.SYSCALL);
        table.seed(sc.getLong("ppid", -1), 1, 12345, "bash".getBytes(StandardCharsets.UTF_8),
                "/usr/bin/bash".getBytes(StandardCharsets.UTF_8));
        table.observe(event);
        enricher.enrich(event);
        // 12345 ticks of 10 ms after the boot
        assertThat(object(sc, "PPID")).containsEntry("START_TIME", Value.text("1700000123.450"))
                .containsEntry("comm", Value.text("bash")).containsEntry("ppid", Value.number(1));
        assertThat(Laurel08ProcessFields.startTime(1700000000_000L, 5)).isEqualTo("1700000000.050");
        assertThat(Set.of("EVENT_ID", "START_TIME")).containsAnyElementsOf(object(sc, "PID").keySet());
    }
}
