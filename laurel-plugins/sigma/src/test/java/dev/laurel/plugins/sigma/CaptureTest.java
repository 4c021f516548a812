package dev.laurel.plugins.sigma;

import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled capture through the process tracker and all 114 rules. */
class CaptureTest {

    /** Rule title -> the ids and command lines of the events it matched. */
    static Map<String, Set<String>> run() {
        ProcessTracker table = new ProcessTracker();
        RuleLoader loader = RuleSetTest.loadAll();
        Sigma sigma = new Sigma(loader.rules, table, Map.of(), Map.of(), Map.of(), Set.of());
        Map<String, Set<String>> fired = new TreeMap<>();
        TestData.events(TestData.capture(), event -> {
            table.observe(event);
            sigma.enrich(event);
            if (event.extra("SIGMA") instanceof Value.ListValue list) {
                Record ex = event.first(RecordType.EXECVE);
                String what = ex == null ? event.records().get(0).type().name() : FieldSource.text(ex.get("ARGV"));
                for (Value v : list.items()) {
                    Map<String, Value> o = ((Value.ObjectValue) v).fields();
                    fired.computeIfAbsent(o.get("level") + " " + o.get("title"), k -> new TreeSet<>())
                            .add(event.id() + " " + what);
                }
            }
        });
        return fired;
    }

    @Test
    void onTheBundledCaptureTheOnlyHighOrCriticalFiringIsThePerlReverseShell() {
        Map<String, Set<String>> fired = run();
        Map<String, Set<String>> severe = new TreeMap<>();
        fired.forEach((rule, events) -> {
            if (rule.startsWith("high ") || rule.startsWith("critical ")) {
                severe.put(rule, events);
            }
        });
        assertThat(severe).containsOnlyKeys("high Potential Perl Reverse Shell Execution");
        assertThat(severe.values().iterator().next()).singleElement().asString()
                .startsWith("1795636827.735:307 perl -e use Socket;$i=\"127.0.0.1\";$p=1234;");
    }

    @Test
    void onTheBundledCaptureTheLowerLevelRulesFireOnWhatTheyDescribe() {
        Map<String, Set<String>> fired = run();
        // documented in docs/plugins/sigma.md: apt-key's temporary directories, the scenario's chmod
        // and id, env LD_PRELOAD (a0 env is "System Information Discovery")
        assertThat(fired.keySet()).containsExactly(
                "high Potential Perl Reverse Shell Execution",
                "informational File Deletion",
                "low File or Folder Permissions Change",
                "low Local System Accounts Discovery - Linux",
                "low System Information Discovery - Auditd",
                "low System Owner or User Discovery - Linux",
                "medium Chmod Targeting Sensitive Directories");
        assertThat(fired.get("medium Chmod Targeting Sensitive Directories"))
                .containsExactly("1795636828.127:784 chmod 600 /tmp/scenario-1/watch/secret");
    }
}
