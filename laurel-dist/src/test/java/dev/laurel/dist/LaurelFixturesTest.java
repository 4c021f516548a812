package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LAUREL's own test inputs ({@code testdata/laurel-fixtures/*.txt}) through parse, assemble,
 * hex-decoder and encode give LAUREL 0.5.1's output, compared as JSON values and then byte for
 * byte, one case per file.
 *
 * <p>The expected output is LAUREL's golden {@code .json} beside the input; where LAUREL 0.5.1
 * itself writes something else (record-uringop), or where the fixture has no golden file, it is
 * the output of running LAUREL 0.5.1, kept in {@code src/test/resources/dev/laurel/dist/laurel-0.5.1}.
 * The same holds for inputs crafted for the format's corner cases ({@code .../dist/crafted}).
 * Where LAUREL writes a key twice in one object, laurel writes it once with a list of its values
 * (docs/format.md §1): the expected line is LAUREL's with that one change
 * ({@link ReferenceChain#withRepeatedKeysGrouped}).
 */
class LaurelFixturesTest {
    private static final Path FIXTURES = TestData.root().resolve("testdata/laurel-fixtures");
    private static final Path LAUREL_051 = TestData.root()
            .resolve("laurel-dist/src/test/resources/dev/laurel/dist/laurel-0.5.1");
    private static final Path CRAFTED = TestData.root()
            .resolve("laurel-dist/src/test/resources/dev/laurel/dist/crafted");

    static Path expected(Path input) {
        String name = input.getFileName().toString().replace(".txt", ".json");
        Path own = LAUREL_051.resolve(name);
        return Files.exists(own) ? own : input.resolveSibling(name);
    }

    static List<Path> inputs() throws IOException {
        return inputs(FIXTURES);
    }

    static List<Path> inputs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".txt"))
                    .filter(p -> Files.exists(expected(p)))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void everyFixtureHasAnExpectedOutput() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".txt")).count())
                    .isEqualTo(inputs().size()).isEqualTo(22);
        }
    }

    @TestFactory
    Stream<DynamicTest> givesLaurelsOutputForEachFixture() throws IOException {
        return givesLaurelsOutput(inputs());
    }

    /** Inputs crafted for the format's corner cases, with LAUREL 0.5.1's output for them. */
    @TestFactory
    Stream<DynamicTest> givesLaurelsOutputForCraftedCornerCases() throws IOException {
        List<Path> crafted = inputs(CRAFTED);
        assertThat(crafted).isNotEmpty();
        return givesLaurelsOutput(crafted);
    }

    private static Stream<DynamicTest> givesLaurelsOutput(List<Path> inputs) {
        return inputs.stream().map(input -> DynamicTest.dynamicTest(input.getFileName().toString(), () -> {
            List<String> ours = ReferenceChain.run(Files.readAllBytes(input));
            List<String> laurel = new java.util.ArrayList<>();
            for (String line : ReferenceChain.lines(expected(input))) {
                laurel.add(ReferenceChain.withRepeatedKeysGrouped(line));   // the one deliberate difference
            }
            List<String> problems = ReferenceChain.differences(ours, laurel);
            assertThat(problems).as(ReferenceChain.report(problems, laurel.size())).isEmpty();
            // Equal values are not enough for LAUREL's format: also its key order, duplicate
            // keys and number spelling, so the very bytes, in LAUREL's order.
            assertThat(ours).containsExactlyElementsOf(laurel);
        }));
    }
}
