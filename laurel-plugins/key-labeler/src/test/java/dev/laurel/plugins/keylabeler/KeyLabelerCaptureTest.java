package dev.laurel.plugins.keylabeler;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed's example: everything apt-get update starts is labelled software_mgmt. */
class KeyLabelerCaptureTest {

    private static final class Run {
        final Set<String> labelled = new TreeSet<>();
        final Set<String> labelledComms = new TreeSet<>();
        final Set<String> oracle = new TreeSet<>();
    }

    /**
     * Runs the capture through the process tracker and the key-labeler, and beside it a naive
     * oracle: a process is labelled from the first event carrying the key on, and so is every
     * process it forks or that names it as parent when first seen.
     */
    private static Run run() {
        ProcessTracker table = new ProcessTracker();
        KeyLabeler labeler = new KeyLabeler(table, List.of("software_mgmt"), List.of("software_mgmt"),
                List.of(), List.of(), List.of(), 32, 4096);
        Run run = new Run();
        Set<Long> oracleLabelled = new HashSet<>();
        Set<Long> seen = new HashSet<>();
        TestData.events(TestData.capture(), event -> {
            table.observe(event);
            labeler.enrich(event);
            Record sc = event.first(RecordType.SYSCALL);
            if (sc == null) {
                return;
            }
            long pid = sc.getLong("pid", -1);
            long ppid = sc.getLong("ppid", -1);
            if (seen.add(pid) && oracleLabelled.contains(ppid)) {
                oracleLabelled.add(pid);
            }
            if ("software_mgmt".equals(string(sc.decoded("key")))) {
                oracleLabelled.add(pid);
            }
            long nr = sc.getLong("syscall", -1);
            long child = sc.getLong("exit", -1);
            if ((nr == 56 || nr == 57 || nr == 58 || nr == 435) && child > 0 && oracleLabelled.contains(pid)) {
                oracleLabelled.add(child);
                seen.add(child);
            }
            if (oracleLabelled.contains(pid)) {
                run.oracle.add(event.id().toString());
            }
            if (sc.get("LABELS") instanceof Value.ListValue labels) {
                assertThat(labels.items()).containsExactly(Value.text("software_mgmt"));
                run.labelled.add(event.id().toString());
                run.labelledComms.add(string(sc.decoded("comm")));
            }
        });
        return run;
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void labelsExactlyTheProcessesThatCarriedTheKeyAndTheirDescendants() {
        Run run = run();
        assertThat(run.labelled).isEqualTo(run.oracle);
        assertThat(run.labelledComms).contains("apt-get", "dpkg", "http", "gpgv", "apt-key", "apt-config", "gpgconf")
                .doesNotContain("bash", "perl", "sleep", "python3", "auditctl");
    }

    @Test
    void labelsEveryEventLaurelLabelsAndMore() throws IOException {
        Set<String> laurels = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(TestData.file("real-enriched.laurel-0.5.1-labels.jsonl"))) {
            JsonNode e = json.readTree(line);
            if (e.path("SYSCALL").has("LABELS")) {
                laurels.add(e.get("ID").asText());
            }
        }
        assertThat(laurels).hasSize(61);
        Run run = run();
        assertThat(run.labelled).containsAll(laurels);
        assertThat(run.labelled.size()).isGreaterThan(laurels.size());
    }
}
