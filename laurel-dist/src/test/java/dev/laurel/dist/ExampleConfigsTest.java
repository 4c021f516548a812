package dev.laurel.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.engine.cli.Main;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample configs in examples/configs/ pass {@code --dry-run} through the real loader with
 * every built-in plugin, and the ones that route or label events do so on the real capture.
 * Their log and state paths are moved into a temporary directory first, so that the test
 * creates nothing under /var, and the syslog server is this machine's loopback address.
 */
class ExampleConfigsTest {
    private static final Path CONFIGS = TestData.root().resolve("examples/configs");
    private static final Path CAPTURE = TestData.root().resolve("testdata/real-enriched.log");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Result(int status, String out, String err) {
    }

    private Path relocated(Path example) throws Exception {
        return relocated(example, null);
    }

    /** The example with its paths under {@link #tmp}, reading {@code input} if given. */
    private Path relocated(Path example, Path input) throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("log"));
        Path state = Files.createDirectories(tmp.resolve("state"));
        String yaml = Files.readString(example)
                .replace("/var/log/laurel-java/", logs + "/")
                .replace("/var/lib/laurel-java", state.toString())
                // The syslog sink connects as soon as it is created: only ever to this machine.
                .replace("host: logs.example.org", "host: 127.0.0.1");
        assertThat(yaml).doesNotContain("/var/log", "/var/lib", "example.org");
        if (input != null) {
            yaml = "input: \"" + input + "\"\n" + yaml;
        }
        return Files.writeString(tmp.resolve(example.getFileName()), yaml);
    }

    private static Result laurel(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everySampleConfigPassesDryRun() throws Exception {
        List<Path> examples;
        try (Stream<Path> files = Files.list(CONFIGS)) {
            examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(examples).extracting(p -> p.getFileName().toString())
                .contains("stdout.yaml", "syslog-forwarding.yaml", "filtered-events.yaml", "labels.yaml");
        for (Path example : examples) {
            Path config = relocated(example);

            Result r = laurel("--config", config.toString(), "--dry-run");

            assertThat(r.status()).as(example + ": " + r.err()).isZero();
            assertThat(r.err()).as(example.toString()).contains(config + " is valid");
        }
    }

    @Test
    void filteredEventsGoToTheirOwnLogAndNowhereElse() throws Exception {
        Path config = relocated(CONFIGS.resolve("filtered-events.yaml"), CAPTURE);

        Result r = laurel("--config", config.toString());

        assertThat(r.status()).as(r.err()).isZero();
        List<String> kept = ids(tmp.resolve("log/audit.log"));
        List<String> filtered = ids(tmp.resolve("log/filtered.log"));
        assertThat(filtered).as("fork events of processes seen before are filtered").isNotEmpty();
        assertThat(kept).doesNotContainAnyElementsOf(filtered);
        assertThat(kept.size() + filtered.size()).as("every event in one of the two logs").isEqualTo(1076);
    }

    @Test
    void packageManagersAndTheirChildrenAreLabelled() throws Exception {
        Path config = relocated(CONFIGS.resolve("labels.yaml"), CAPTURE);

        Result r = laurel("--config", config.toString());

        assertThat(r.status()).as(r.err()).isZero();
        List<JsonNode> labelled = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("log/audit.log"), StandardCharsets.UTF_8)) {
            JsonNode event = JSON.readTree(line);
            if (event.path("SYSCALL").path("LABELS").toString().contains("software_mgmt")) {
                labelled.add(event);
            }
        }
        assertThat(labelled).as("events of processes labelled software_mgmt").isNotEmpty();
        assertThat(labelled).anySatisfy(e -> assertThat(e.path("SYSCALL").path("key").asText()).isNotEqualTo("software_mgmt"));
    }

    private static List<String> ids(Path jsonLines) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(jsonLines, StandardCharsets.UTF_8)) {
            ids.add(JSON.readTree(line).path("ID").asText());
        }
        return ids;
    }
}
