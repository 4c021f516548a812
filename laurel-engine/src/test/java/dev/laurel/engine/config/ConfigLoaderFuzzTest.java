package dev.laurel.engine.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.laurel.engine.plugin.PluginRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Any bytes as a config file (the YAML reader, SnakeYAML's composer and every check of the
 * loader): a config, or {@link ConfigErrors} whose problems each have a place and a message,
 * never another exception; every plugin the loader created is closed once. Without
 * {@code JAZZER_FUZZ=1} it replays the committed inputs in
 * {@code ConfigLoaderFuzzTestInputs/loadsOrReportsEveryProblemWithItsPlace/} as a regression test
 * (among them {@code cut-hex-escape-at-the-end}, its first finding: SnakeYAML 2.5 throws
 * NumberFormatException there); {@code JAZZER_FUZZ=1 mvn -o -pl laurel-engine -am test
 * -Dtest=ConfigLoaderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false} fuzzes for up to 10 minutes.
 */
class ConfigLoaderFuzzTest {
    private static Path dir;
    private static PluginRegistry registry;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("config-fuzz");
        registry = PluginRegistry.discover(null);
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void loadsOrReportsEveryProblemWithItsPlace(byte[] input) throws IOException {
        Path file = dir.resolve("laurel.yaml");
        Files.write(file, input);
        ChainRecorder.clear();
        try {
            new ConfigLoader(registry).load(file).close();
        } catch (ConfigErrors e) {
            LoadChecks.placedProblems(e, file.toString());
        }
        LoadChecks.everyPluginCreatedWasClosed();
    }
}
