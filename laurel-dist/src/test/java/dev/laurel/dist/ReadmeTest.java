package dev.laurel.dist;

import dev.laurel.api.PluginFactory;
import dev.laurel.api.Setting;
import dev.laurel.engine.plugin.PluginRegistry;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README is a short front door listing every built-in plugin with its own page, and
 * docs/reference.md documents every built-in plugin type and every one of its options.
 */
class ReadmeTest {
    private static final Path ROOT = TestData.root();

    /** The built-in plugins (not the engine's test factories, on the class path in some builds). */
    private static Map<String, PluginFactory<?>> builtIns() throws Exception {
        PluginRegistry registry = PluginRegistry.discover(null);
        Map<String, PluginFactory<?>> all = new LinkedHashMap<>(registry.enrichers());
        all.putAll(registry.sinks());
        all.putAll(registry.formats());
        all.values().removeIf(f -> !f.getClass().getName().startsWith("dev.laurel.plugins."));
        assertThat(all).containsKeys("hex-decoder", "json-file", "parent-info", "key-labeler", "ecs");
        return all;
    }

    @Test
    void theReferenceDocumentsEveryBuiltInPluginAndOption() throws Exception {
        String reference = Files.readString(ROOT.resolve("docs/reference.md"));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, PluginFactory<?>> e : builtIns().entrySet()) {
            String heading = "### `" + e.getKey() + "`";
            int at = reference.indexOf(heading);
            if (at < 0) {
                missing.add("no section \"" + heading + "\"");
                continue;
            }
            int end = reference.indexOf("\n### ", at + heading.length());
            String section = reference.substring(at, end < 0 ? reference.length() : end);
            for (Setting<?> s : e.getValue().settings()) {
                if (!section.contains("`" + s.name() + "`")) {
                    missing.add(e.getKey() + ": option `" + s.name() + "` is not documented");
                }
            }
        }
        assertThat(missing).as("regenerate with: laurel plugins | tools/readme-plugins.py").isEmpty();
    }

    @Test
    void theReadmeListsEveryBuiltInPluginLinkingToItsOwnPage() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> missing = new ArrayList<>();
        for (String type : builtIns().keySet()) {
            String page = "docs/plugins/" + type + ".md";
            if (!readme.contains("| [`" + type + "`](" + page + ") |")) {
                missing.add("README.md: no table row for " + type + " linking to " + page);
            }
            if (!Files.isRegularFile(ROOT.resolve(page))) {
                missing.add("no " + page);
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void optionDescriptionsSpeakToUsersNotAboutTests() throws Exception {
        Pattern tests = Pattern.compile("\\b(tests?|fake)\\b", Pattern.CASE_INSENSITIVE);
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, PluginFactory<?>> e : builtIns().entrySet()) {
            for (Setting<?> s : e.getValue().settings()) {
                if (tests.matcher(s.description()).find()) {
                    found.add(e.getKey() + " " + s.name() + ": " + s.description());
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void theReadmeIsAtMost20000BytesAndOpensWithTheTwoCommands() throws Exception {
        byte[] readme = Files.readAllBytes(ROOT.resolve("README.md"));
        String text = new String(readme, java.nio.charset.StandardCharsets.UTF_8);
        String firstBlock = text.substring(text.indexOf("```sh"), text.indexOf("```", text.indexOf("```sh") + 5));

        assertThat(readme.length).isLessThanOrEqualTo(20_000);
        assertThat(firstBlock).contains(
                "\nmvn -B -q -DskipTests package >&2 && laurel-dist/target/laurel/bin/laurel"
                        + " --config examples/configs/stdout.yaml < testdata/real-enriched.log\n",
                "\nmvn -B verify\n");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("\nmvn -B verify\n");
    }
}
