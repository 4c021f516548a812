package dev.laurel.dist;

import dev.laurel.api.Enricher;
import dev.laurel.engine.config.ConfigLoader;
import dev.laurel.engine.config.LaurelConfig;
import dev.laurel.engine.plugin.PluginRegistry;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LAUREL 0.8's layout on LAUREL's own fixtures: its golden {@code .json} files come from LAUREL
 * after 0.8.2 (testdata/laurel-fixtures/SOURCE), made with its enrichment of processes off. Of
 * the 14, record-uringop shows a field LAUREL 0.8 writes differently from 0.5.1 ({@code uring_op}
 * as the number 18, where 0.5.1 writes {@code "%18"}); every golden must match the 0.8 chain field
 * by field (as JSON values, LAUREL's repeated keys grouped as laurel writes them).
 */
class Laurel08FixturesTest {
    private static final Path FIXTURES = TestData.root().resolve("testdata/laurel-fixtures");

    @TempDir
    static Path tmp;

    /** The enrichers of a YAML chain, created as laurel creates them. */
    private static List<String> run(Path input, String enrichers) throws Exception {
        Path yaml = Files.createTempFile(tmp, "chain", ".yaml");
        Files.writeString(yaml, "proc-root: none\nenrichers:\n" + enrichers);
        try (LaurelConfig config = new ConfigLoader(PluginRegistry.discover(null), new ProcessTracker()).load(yaml)) {
            List<Enricher> chain = config.enrichers();
            return ReferenceChain.run(Files.readAllBytes(input), chain);
        }
    }

    private static final String LAUREL_08 = "  - type: hex-decoder\n    style: laurel-0.8\n";

    static List<Path> goldenInputs() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".txt"))
                    .filter(p -> Files.exists(golden(p)))
                    .sorted()
                    .toList();
        }
    }

    private static Path golden(Path input) {
        return input.resolveSibling(input.getFileName().toString().replace(".txt", ".json"));
    }

    private static List<String> grouped(Path golden) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : ReferenceChain.lines(golden)) {
            out.add(ReferenceChain.withRepeatedKeysGrouped(line));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenMatchesTheLaurel08ChainFieldByField() throws IOException {
        List<Path> inputs = goldenInputs();
        assertThat(inputs).hasSize(14);
        return inputs.stream().map(input -> DynamicTest.dynamicTest(input.getFileName().toString(), () -> {
            List<String> expected = grouped(golden(input));
            List<String> problems = ReferenceChain.differences(run(input, LAUREL_08), expected);
            assertThat(problems).as(ReferenceChain.report(problems, expected.size())).isEmpty();
        }));
    }

    @Test
    void onlyRecordUringopShowsA08FieldAndThe051LayoutStillWritesItAs051Did() throws Exception {
        List<String> differing = new ArrayList<>();
        for (Path input : goldenInputs()) {
            List<String> layout051 = run(input, "  - type: hex-decoder\n");
            if (!ReferenceChain.differences(layout051, grouped(golden(input))).isEmpty()) {
                differing.add(input.getFileName().toString());
            }
        }
        assertThat(differing).containsExactly("record-uringop.txt");
        assertThat(run(FIXTURES.resolve("record-uringop.txt"), "  - type: hex-decoder\n").get(0))
                .contains("\"uring_op\":\"%18\"");
    }

    @Test
    void ioUringOperationsAreNamedAsLaurel08NamesThem() throws Exception {
        String line = run(FIXTURES.resolve("record-uringop.txt"), LAUREL_08
                + "  - type: translate\n    universal: false\n    user-db: false\n    uring-op: true\n").get(0);
        assertThat(line).contains("\"uring_op\":18,").contains("\"URING_OP\":\"openat\"");
    }
}
