package dev.laurel.plugins.usergroups;

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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The user-groups enricher over the real capture, parsed and assembled by laurel's engine. */
class UserGroupsCaptureTest {
    @TempDir
    Path tmp;

    @Test
    void eventsOfTheKnownProcessGetItsGroupsAndTheOthersTheReason() throws Exception {
        FakeProc proc = new FakeProc(tmp.resolve("proc"));
        proc.process(3463).status("Name:\tbash\nGroups:\t0 27 \n");
        Enricher enricher = MapConfig.create(new UserGroupsFactory(), Map.of(), proc.root());
        int known = 0;
        for (AuditEvent e : TestData.events(TestData.capture())) {
            enricher.enrich(e);
            Record sc = e.first(RecordType.SYSCALL);
            if (sc == null) {
                continue;
            }
            if (sc.getLong("pid", -1) == 3463) {
                known++;
                assertThat(sc.get("GROUPS")).isEqualTo(Value.list(List.of(Value.number(0), Value.number(27))));
            } else {
                assertThat(sc.get("GROUPS_ERROR")).isEqualTo(Value.text("process gone"));
            }
        }
        assertThat(known).isGreaterThan(10);
    }
}
