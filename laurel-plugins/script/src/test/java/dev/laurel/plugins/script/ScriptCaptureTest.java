package dev.laurel.plugins.script;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.testkit.TestData;
import dev.laurel.plugins.testkit.FakeProc;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The script enricher over the real capture, parsed and assembled by laurel's engine. */
class ScriptCaptureTest {
    @TempDir
    Path tmp;

    private static Map<String, Value> field(List<AuditEvent> events, String name) {
        Map<String, Value> out = new TreeMap<>();
        for (AuditEvent e : events) {
            Record sc = e.first(RecordType.SYSCALL);
            if (sc != null && sc.get(name) != null) {
                out.put(e.id().toString(), sc.get(name));
            }
        }
        return out;
    }

    @Test
    void findsLaurelsScriptWhenTheInterpretersFileIsInTheProcessRoot() throws Exception {
        FakeProc proc = new FakeProc(tmp.resolve("proc"));
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/usr/bin")).getParent().getParent();
        Files.writeString(rootfs.resolve("usr/bin/dash"), "not the captured inode");
        proc.process(3695).root(rootfs);
        Enricher enricher = MapConfig.create(new ScriptFactory(), Map.of(), proc.root());
        List<AuditEvent> events = TestData.events(TestData.capture());
        events.forEach(enricher::enrich);
        // LAUREL 0.5.1 with script = true gave this for event 318 while pid 3695 was alive
        assertThat(field(events, "SCRIPT")).containsEntry("1795636827.767:318", Value.text("/tmp/scenario-1/maint.sh"));
        assertThat(field(events, "SCRIPT").values())
                .allSatisfy(v -> assertThat(((Value.Text) v).asString()).startsWith("/"));
    }

    @Test
    void withEveryProcessGoneTheArgumentsOfKnownInterpretersStillGiveTheScripts() throws Exception {
        FakeProc proc = new FakeProc(tmp.resolve("proc"));
        Enricher enricher = MapConfig.create(new ScriptFactory(), Map.of(), proc.root());
        List<AuditEvent> events = TestData.events(TestData.capture());
        assertThat(events).hasSize(1076);
        events.forEach(enricher::enrich);
        Map<String, Value> scripts = field(events, "SCRIPT");
        assertThat(scripts).containsEntry("1795636823.203:59", Value.text("/tmp/scenario-1/scenario.sh"))
                // "#!/usr/bin/env bash" scripts: env runs bash with the script as its argument
                .containsEntry("1795636827.783:343", Value.text("/opt/pyenv/shims/python3"))
                .containsEntry("1795636827.811:392", Value.text("/opt/pyenv/libexec/pyenv-version-name"))
                .hasSize(70);
        // 32 of them are the execs of env itself, found from the kernel's #! argv as LAUREL finds them
        // (its live run set SCRIPT there; laurel did not before): exe env, PATH item 1 /usr/bin/env
        assertThat(events.stream().filter(e -> scripts.containsKey(e.id().toString()))
                .map(e -> new String(e.first(RecordType.SYSCALL).decoded("exe"), java.nio.charset.StandardCharsets.UTF_8))
                .filter(exe -> exe.equals("/usr/bin/env")).count()).isEqualTo(32);
        assertThat(scripts).containsEntry("1795636827.767:318", Value.text("/tmp/scenario-1/maint.sh"))
                .containsEntry("1795636823.447:102", Value.text("/usr/bin/apt-key"))     // #!/bin/sh, run by apt
                .containsEntry("1795636827.775:326", Value.text("/tmp/scenario-1/maint.sh"));   // sh ./maint.sh
        assertThat(field(events, "SCRIPT_ERROR"))
                .allSatisfy((id, v) -> assertThat(v).isEqualTo(Value.text("process gone")));
        for (AuditEvent e : events) {
            Record sc = e.first(RecordType.SYSCALL);
            if (e.first(RecordType.EXECVE) == null && sc != null) {
                assertThat(sc.get("SCRIPT")).isNull();
                assertThat(sc.get("SCRIPT_ERROR")).isNull();
            }
        }
    }
}
