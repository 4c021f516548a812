package dev.laurel.engine.migrate;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any text given as a LAUREL config either migrates to YAML that SnakeYAML reads back as a
 * chain starting with hex-decoder and at least one sink, or is refused with problems that have
 * lines; nothing else is thrown. Without {@code JAZZER_FUZZ=1} it replays the committed inputs in
 * {@code LaurelConfigMigrationFuzzTestInputs/} (TOML files) as a regression test.
 */
class LaurelConfigMigrationFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void migratesOrReportsProblems(byte[] input) {
        String toml = new String(input, StandardCharsets.UTF_8);
        Migration m;
        try {
            m = LaurelConfigMigration.migrate(toml, "fuzz.toml");
        } catch (LaurelConfigException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.line()).isNotNegative());
            return;
        }
        Object loaded = new Yaml().load(m.yaml());
        assertThat(loaded).isInstanceOf(Map.class);
        Map<?, ?> config = (Map<?, ?>) loaded;
        assertThat(config.get("enrichers")).isInstanceOf(List.class);
        assertThat(((Map<?, ?>) ((List<?>) config.get("enrichers")).get(0)).get("type")).isEqualTo("hex-decoder");
        assertThat((List<?>) config.get("sinks")).isNotEmpty();
        for (MigrationNotice n : m.notices()) {
            assertThat(n.line()).isPositive();
            assertThat(m.yaml()).contains(n.option() + " (line " + n.line() + ")");
        }
    }
}
