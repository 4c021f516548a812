package dev.laurel.plugins.parentinfo;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.RecordType;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code SYSCALL.SPAWNED_BY} (style laurel) on LAUREL's process fixtures, as JSON. */
class ParentInfoSpawnedByTest {

    /** Each SYSCALL event's JSON by id, through the table and the enricher. */
    private static Map<String, String> run(String fixture, ParentInfo enricher, ProcessTracker table) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        EventEncoder encoder = new EventEncoder();
        EventAssembler assembler = new EventAssembler(event -> {
            table.observe(event);
            enricher.enrich(event);
            if (event.first(RecordType.SYSCALL) != null) {
                out.put(event.id().toString(), new String(encoder.encode(event), StandardCharsets.UTF_8));
            }
        });
        LineParser parser = new LineParser();
        for (String line : Files.readAllLines(TestData.fixture(fixture), StandardCharsets.ISO_8859_1)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
                ParsedRecord r = parser.parse(b, 0, b.length);
                assembler.accept(r);
            }
        }
        assembler.flush();
        return out;
    }

    private static Map<String, String> laurelStyle(String fixture) throws IOException {
        ProcessTracker table = new ProcessTracker();
        return run(fixture, new ParentInfo(table, false, true, true), table);
    }

    @Test
    void aChildThatExecsRightAfterItsForkIsSpawnedByItsParent() throws IOException {
        Map<String, String> events = laurelStyle("shell-proc-trace");
        // grep: forked by the script (dash, exec'd at 29238), exec'd with nothing audited between
        assertThat(events.get("1682609045.530:29242")).contains("\"SPAWNED_BY\":{\"EVENT_ID\":\"1682609045.526:29238\","
                + "\"pid\":71505,\"comm\":\"test-script.sh\",\"exe\":\"/usr/bin/dash\"}");
        // echo: its parent is a subshell that forked without exec; that subshell is named by its
        // first own event (a fork), not by the script's exec whose image it runs
        assertThat(events.get("1682609045.530:29244")).contains("\"SPAWNED_BY\":{\"EVENT_ID\":\"1682609045.530:29241\","
                + "\"pid\":71506,\"comm\":\"test-script.sh\",\"exe\":\"/usr/bin/dash\"}");
    }

    @Test
    void anOrphanThatExecsIsSpawnedByItsOwnImageBeforeExecNotByInit() throws IOException {
        Map<String, String> events = laurelStyle("fork-sleep-exec");
        // the child forked (an audited event of its own), its parent exited, then it exec'd with ppid=1
        assertThat(events.get("1783860945.368:6104008")).contains("\"SPAWNED_BY\":{\"EVENT_ID\":\"1783860945.368:6104007\","
                + "\"pid\":1578540,\"comm\":\"uncaring-parent\",\"exe\":\"/home/user/bin/uncaring-parent\"}");
        // and that pre-exec child was spawned by the demo program
        assertThat(events.get("1783860945.368:6104007")).contains("\"SPAWNED_BY\":{\"EVENT_ID\":\"1783860945.368:6104005\","
                + "\"pid\":1578539,");
    }

    @Test
    void anExecWithoutForkIsSpawnedByThePreviousProgram() throws IOException {
        Map<String, String> events = laurelStyle("proc-trace-dpkg-l");
        assertThat(events.get("1778355636.728:2322553")).contains("\"SPAWNED_BY\":{\"EVENT_ID\":\"1778355636.725:2322552\","
                + "\"pid\":1140462,\"comm\":\"dpkg\",\"exe\":\"/usr/bin/dpkg\"}");
    }

    @Test
    void spawnedByCanBeTurnedOffAndIsNotPartOfTheDefaultStyle() throws IOException {
        ProcessTracker table = new ProcessTracker();
        Map<String, String> off = run("shell-proc-trace", new ParentInfo(table, false, true, false), table);
        assertThat(off.get("1682609045.530:29242")).contains("\"PPID\":{").doesNotContain("SPAWNED_BY");
        ProcessTracker table2 = new ProcessTracker();
        Map<String, String> seed = run("shell-proc-trace", new ParentInfo(table2, true, false), table2);
        assertThat(seed.get("1682609045.530:29242")).contains("\"PARENT_INFO\":{").doesNotContain("SPAWNED_BY");
    }
}
