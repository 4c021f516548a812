package dev.laurel.plugins.container;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.testkit.TestData;
import dev.laurel.plugins.testkit.FakeProc;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The container enricher over the real capture, parsed and assembled by laurel's engine. */
class ContainerCaptureTest {
    private static final String ID = "8d1f4c0e6a3b2d5f7e9c1a0b3d5f7e9c1a0b3d5f7e9c1a0b3d5f7e9c1a0b3d5f";

    @TempDir
    Path tmp;

    @Test
    void eventsOfTheContainedProcessGetItsIdAndTheOthersTheReason() throws Exception {
        FakeProc proc = new FakeProc(tmp.resolve("proc"));
        proc.process(3463).cgroup("0::/system.slice/docker-" + ID + ".scope\n");
        Enricher enricher = MapConfig.create(new ContainerFactory(), Map.of(), proc.root());
        List<AuditEvent> events = TestData.events(TestData.capture());
        int contained = 0;
        for (AuditEvent e : events) {
            enricher.enrich(e);
            if (e.first(RecordType.SYSCALL) == null) {
                assertThat(e.extras()).isEmpty();
            } else if (e.first(RecordType.SYSCALL).getLong("pid", -1) == 3463) {
                contained++;
                assertThat(e.extras()).containsExactly(
                        Map.entry("CONTAINER_INFO", Value.object(Map.of("ID", Value.text(ID)))));
            } else {
                assertThat(e.extras()).containsExactly(Map.entry("CONTAINER_INFO_ERROR", Value.text("process gone")));
            }
        }
        assertThat(contained).isGreaterThan(10);
    }
}
