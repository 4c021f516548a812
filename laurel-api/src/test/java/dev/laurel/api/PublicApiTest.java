package dev.laurel.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * laurel-api's public API is what {@code laurel-api/api/laurel-api.api} records: a change to it,
 * above all a removed or changed signature, which breaks plugins compiled against it, fails the
 * build until the dump is updated on purpose with {@link #UPDATE}.
 */
class PublicApiTest {
    /** The command that records the current API as the dump. */
    static final String UPDATE = "mvn -B -pl laurel-api verify -Dtest=PublicApiTest -Dlaurel.api.update=true";

    @Test
    void thePublicApiIsTheCheckedInDump() throws Exception {
        Path dump = Path.of(System.getProperty("laurel.api.dump"));
        Path classes = Path.of(Record.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> current = ApiSignatures.of(classes, PublicApiTest.class.getClassLoader());
        assertThat(current).as("the API of %s", classes).anyMatch(l -> l.contains("dev.laurel.api.Enricher"));

        if (Boolean.getBoolean("laurel.api.update")) {
            List<String> file = new ArrayList<>(List.of(
                    "# The public API of laurel-api: every public type outside packages named internal, and its",
                    "# public and protected members. PublicApiTest compares it with the code on every build;",
                    "# a line that disappears is a break for plugins compiled against laurel-api. Written by",
                    "#     " + UPDATE,
                    ""));
            file.addAll(current);
            Files.write(dump, file, StandardCharsets.UTF_8);
            System.out.println("laurel-api: recorded the public API in " + dump);
            return;
        }
        List<String> recorded = Files.exists(dump) ? Files.readAllLines(dump, StandardCharsets.UTF_8) : List.of();
        Optional<String> changes = ApiSignatures.changes(recorded, current, UPDATE);
        if (changes.isPresent()) {
            fail(changes.get() + "(the dump: " + dump + ")");
        }
    }
}
