package dev.laurel.plugins.sigma;

import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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
    void print() {
        run().forEach((k, v) -> System.out.println(k + " " + v));
    }
}
