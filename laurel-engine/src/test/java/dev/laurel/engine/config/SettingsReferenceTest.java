package dev.laurel.engine.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsReferenceTest {
    /** From laurel-engine/, where Maven runs the tests. */
    private static final Path REFERENCE = Path.of("..", "docs", "reference-settings.md");

    @Test
    void theCheckedInReferenceIsTheOneTheDeclarationsMake() throws IOException {
        String made = SettingsReference.markdown();
        if (Boolean.getBoolean("laurel.update-reference")) {
            Files.writeString(REFERENCE, made, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(REFERENCE)).as(REFERENCE.toAbsolutePath().normalize() + " exists").isTrue();
        assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
                .as("docs/reference-settings.md is stale: an EngineSettings declaration changed. Regenerate it with "
                        + "mvn -B -o -pl laurel-engine -am verify -Dtest=SettingsReferenceTest"
                        + " -Dlaurel.update-reference=true -Dsurefire.failIfNoSpecifiedTests=false, and commit it")
                .isEqualTo(made);
    }

    @Test
    void theReferenceHasARowForEveryEngineSetting() {
        String md = SettingsReference.markdown();
        for (EngineSettings.Section section : EngineSettings.SECTIONS) {
            for (var setting : section.settings()) {
                assertThat(md).contains("| `" + section.key(setting) + "` |");
            }
        }
        assertThat(md).contains("| `limits.pending-bytes` | byte-size | `16MiB` |")
                .contains("| `limits.flush-interval` | duration | `100ms` |")
                .contains("| `diagnostics.log` | choice: auto, stderr, syslog | `auto` |");
    }

    @Test
    void listsTheEngineSettingsAsPluginOptionsAreListed() {
        StringWriter text = new StringWriter();
        SettingsReference.print(new PrintWriter(text));
        assertThat(text.toString())
                .contains("Top level:\n  input (string, default -)\n")
                .contains("  proc-root (string, default /proc)\n")
                .contains("limits: (How much laurel holds and how long it waits)\n  limits.pending-events (integer, default 10000)\n")
                .contains("  limits.read-window (duration, default 40ms)\n")
                .contains("  diagnostics.parse-error-log-size (byte-size, default 10MiB)\n")
                .contains("  diagnostics.log-level (choice of error|warn|info|debug|trace, default info)\n");
    }
}
