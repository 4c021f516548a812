package dev.laurel.plugins.parentinfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ParentInfoCaptureTest {

    private static String text(Value v) {
        return v instanceof Value.Text t ? t.asString() : null;
    }

    /** LAUREL 0.5.1's SYSCALL.PPID for every event whose parent it saw exec (it has EVENT_ID). */
    private static Map<String, JsonNode> laurelParents() throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(TestData.file("real-enriched.laurel-0.5.1-labels.jsonl"))) {
            JsonNode e = json.readTree(line);
            JsonNode ppid = e.path("SYSCALL").path("PPID");
            if (ppid.has("EVENT_ID")) {
                out.put(e.get("ID").asText(), ppid);
            }
        }
        return out;
    }

    @Test
    void parentCommAndExeEqualLaurelsWhereverLaurelSawTheParentExec() throws IOException {
        Map<String, JsonNode> reference = laurelParents();
        assertThat(reference).hasSize(542);
        ProcessTracker table = new ProcessTracker();
        ParentInfo enricher = new ParentInfo(table, true, true);
        List<String> mismatches = new ArrayList<>();
        int[] compared = {0};
        TestData.events(TestData.capture(), event -> {
            table.observe(event);
            enricher.enrich(event);
            JsonNode ref = reference.get(event.id().toString());
            if (ref == null || event.first(RecordType.SYSCALL) == null) {
                return;
            }
            compared[0]++;
            Value.ObjectValue ours = (Value.ObjectValue) event.extra("PARENT_INFO");
            if (ours == null
                    || !ref.get("comm").asText().equals(text(ours.fields().get("comm")))
                    || !ref.get("exe").asText().equals(text(ours.fields().get("exe")))
                    || !ref.get("EVENT_ID").asText().equals(text(ours.fields().get("ID")))) {
                mismatches.add(event.id() + ": ours=" + (ours == null ? null : ours.fields()) + " laurel=" + ref);
            }
            // the LAUREL style carries the same under SYSCALL.PPID
            Record sc = event.first(RecordType.SYSCALL);
            assertThat(sc.get("PPID")).isInstanceOf(Value.ObjectValue.class);
        });
        assertThat(compared[0]).isEqualTo(542);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void ptraceAndKillTargetsGetTheirProcess() {
        ProcessTracker table = new ProcessTracker();
        List<String> targets = opidTargets(table, new ParentInfo(table, false, true));
        assertThat(targets).isNotEmpty().contains("http /usr/lib/apt/methods/http");
    }

    @Test
    void ptraceAndKillTargetsGetTheirProcessInTheDefaultStyleToo() {
        ProcessTracker t1 = new ProcessTracker();
        List<String> laurelStyle = opidTargets(t1, new ParentInfo(t1, false, true));
        ProcessTracker t2 = new ProcessTracker();
        List<String> defaultStyle = opidTargets(t2, new ParentInfo(t2, true, false));
        // all 12 OBJ_PID records of the capture; LAUREL 0.5.1 (enrich pid = true) writes OPID for
        // the 5 apt methods among them, not for the tracees of strace
        assertThat(defaultStyle).hasSize(12).isEqualTo(laurelStyle)
                .contains("http /usr/lib/apt/methods/http", "gpgv /usr/lib/apt/methods/gpgv");
    }

    private static List<String> opidTargets(ProcessTracker table, ParentInfo enricher) {
        List<String> targets = new ArrayList<>();
        TestData.events(TestData.capture(), event -> {
            table.observe(event);
            enricher.enrich(event);
            for (Record r : event.records()) {
                if (r.type() == RecordType.OBJ_PID && r.get("OPID") instanceof Value.ObjectValue o) {
                    targets.add(new String(r.decoded("ocomm"), StandardCharsets.UTF_8) + " " + text(o.fields().get("exe")));
                }
            }
        });
        return targets;
    }
}
