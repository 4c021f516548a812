package dev.laurel.dist;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.engine.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real capture through the CLI with the real {@code filter} dropping {@code key=fork} events and
 * three json-file sinks routed {@code kept}, {@code filtered} and {@code all}: the filtered-events
 * log holds exactly the dropped events, the kept log exactly the others, in input order.
 */
class FilteredEventsSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFilteredEventsSinkGetsExactlyTheEventsTheFilterDropped(@TempDir Path dir) throws Exception {
        Path root = dev.laurel.engine.testkit.TestData.root();
        Path config = dir.resolve("laurel.yaml");
        Files.writeString(config, """
                input: %s
                proc-root: none
                diagnostics:
                  log: stderr
                  log-level: warn
                enrichers:
                  - type: hex-decoder
                  - type: filter
                    keys: [fork]
                    keep-first-per-process: false
                sinks:
                  - type: json-file
                    file: %s
                  - type: json-file
                    id: filtered-log
                    file: %s
                    events: filtered
                  - type: json-file
                    id: everything
                    file: %s
                    events: all
                """.formatted(root.resolve("testdata/real-enriched.log"), dir.resolve("kept.jsonl"),
                dir.resolve("filtered.jsonl"), dir.resolve("all.jsonl")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"-c", config.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> kept = Files.readAllLines(dir.resolve("kept.jsonl"));
        List<String> filtered = Files.readAllLines(dir.resolve("filtered.jsonl"));
        List<String> all = Files.readAllLines(dir.resolve("all.jsonl"));
        List<String> reference = ReferenceChain.lines(root.resolve("testdata/real-enriched.laurel-0.5.1.jsonl"));

        assertThat(all.size()).isEqualTo(reference.size());
        assertThat(all).as("every event, as LAUREL writes it").isEqualTo(reference);
        List<String> forks = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String line : reference) {
            String key = JSON.readTree(line).path("SYSCALL").path("key").asText("");
            (key.equals("fork") ? forks : others).add(line);
        }
        assertThat(forks).as("events with SYSCALL key fork in the capture").hasSize(229);
        assertThat(filtered.size()).isEqualTo(forks.size());
        assertThat(filtered).isEqualTo(forks);
        assertThat(kept.size()).isEqualTo(others.size());
        assertThat(kept).isEqualTo(others);
    }
}
