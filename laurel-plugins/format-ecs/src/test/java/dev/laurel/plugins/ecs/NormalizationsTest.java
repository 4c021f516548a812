package dev.laurel.plugins.ecs;

import dev.laurel.api.RecordType;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NormalizationsTest {
    private final Normalizations table = Normalizations.DEFAULT;

    @Test
    void theSyscallsTheIssueNamesGetAuditbeatsCategoriesTypesAndActions() {
        assertRow(table.syscall("execve"), "executed", List.of("process"), List.of("start"));
        assertRow(table.syscall("connect"), "connected-to", List.of("network"), List.of("connection", "start"));
        assertRow(table.syscall("openat"), "opened-file", List.of("file"), List.of("info"));
        assertRow(table.syscall("kill"), "killed-pid", List.of("process"), List.of("end"));
        assertRow(table.syscall("no-such-call"), null, List.of("process"), List.of("info"));
        assertRow(table.record(RecordType.named("USER_START")), "started-session", List.of("session"), List.of("start"));
        assertThat(table.record(RecordType.PATH)).as("an auxiliary record says nothing").isNull();
    }

    private static void assertRow(Normalizations.Row row, String action, List<String> categories, List<String> types) {
        assertThat(row.action()).isEqualTo(action);
        assertThat(row.categories()).containsExactlyElementsOf(categories);
        assertThat(row.types()).containsExactlyElementsOf(types);
    }

    /** The table is go-libaudit's, as tools/ecs-normalizations.py made it: every name in the YAML has its action. */
    @Test
    @SuppressWarnings("unchecked")
    void everyNameOfGoLibauditsNormalizationsHasItsRowWithItsAction() throws Exception {
        List<Map<String, Object>> normalizations;
        try (Reader r = Files.newBufferedReader(TestData.root().resolve("testdata/go-libaudit/normalizations.yaml"))) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(1000);     // the file's macros are anchors used ~150 times
            Map<String, Object> yaml = new Yaml(new SafeConstructor(options)).load(r);
            normalizations = (List<Map<String, Object>>) yaml.get("normalizations");
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map<String, Object> n : normalizations) {
            Object action = n.get("action");
            for (String name : names(n.get("syscalls"))) {
                Normalizations.Row row = table.syscall(name);
                checked++;
                if (!name.equals("*") && !String.valueOf(action).equals(String.valueOf(row.action()))
                        && table.syscall(name) == table.syscall("*")) {
                    wrong.add("syscall " + name);
                }
            }
            for (String name : names(n.get("record_types"))) {
                RecordType type = RecordType.named(name);
                checked++;
                if (type != null && table.record(type) == null) {
                    wrong.add("record " + name);
                }
            }
        }
        assertThat(checked).isGreaterThan(200);
        assertThat(wrong).isEmpty();
    }

    private static List<String> names(Object o) {
        if (o == null) {
            return List.of();
        }
        return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(o));
    }
}
