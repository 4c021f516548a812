package dev.laurel.dist;

import dev.laurel.api.PluginFactory;
import dev.laurel.api.Setting;
import dev.laurel.engine.plugin.PluginRegistry;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README documents every built-in plugin type and every one of its options. */
class ReadmeTest {

    @Test
    void documentsEveryBuiltInPluginAndOption() throws Exception {
        String readme = Files.readString(TestData.root().resolve("README.md"));
        PluginRegistry registry = PluginRegistry.discover(null);
        Map<String, PluginFactory<?>> all = new LinkedHashMap<>(registry.enrichers());
        all.putAll(registry.sinks());
        assertThat(all).containsKeys("hex-decoder", "json-file", "parent-info", "key-labeler");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, PluginFactory<?>> e : all.entrySet()) {
            if (!e.getValue().getClass().getName().startsWith("dev.laurel.plugins.")) {
                continue;   // the engine's test factories, on the class path in some builds
            }
            String heading = "### `" + e.getKey() + "`";
            int at = readme.indexOf(heading);
            if (at < 0) {
                missing.add("no section \"" + heading + "\"");
                continue;
            }
            int end = readme.indexOf("\n### ", at + heading.length());
            String section = readme.substring(at, end < 0 ? readme.length() : end);
            for (Setting<?> s : e.getValue().settings()) {
                if (!section.contains("`" + s.name() + "`")) {
                    missing.add(e.getKey() + ": option `" + s.name() + "` is not documented");
                }
            }
        }
        assertThat(missing).isEmpty();
    }
}
