package dev.laurel.plugins.systemd;

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

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The systemd enricher over the real capture, parsed and assembled by laurel's engine. */
class SystemdCaptureTest {
    @TempDir
    Path tmp;

    @Test
    void eventsOfTheServiceProcessGetItsUnitAndTheOthersTheReason() throws Exception {
        FakeProc proc = new FakeProc(tmp.resolve("proc"));
        proc.process(3463).cgroup("0::/system.slice/ssh.service\n");
        Enricher enricher = MapConfig.create(new SystemdFactory(), Map.of(), proc.root());
        int inUnit = 0;
        for (AuditEvent e : TestData.events(TestData.capture())) {
            enricher.enrich(e);
            Record sc = e.first(RecordType.SYSCALL);
            if (sc == null) {
                continue;
            }
            if (sc.getLong("pid", -1) == 3463) {
                inUnit++;
                assertThat(sc.get("UNIT")).isEqualTo(Value.text("ssh.service"));
                assertThat(sc.get("UNIT_ERROR")).isNull();
            } else {
                assertThat(sc.get("UNIT")).isNull();
                assertThat(sc.get("UNIT_ERROR")).isEqualTo(Value.text("process gone"));
            }
        }
        assertThat(inUnit).isGreaterThan(10);
    }
}
