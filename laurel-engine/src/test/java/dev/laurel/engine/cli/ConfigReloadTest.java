package dev.laurel.engine.cli;

import dev.laurel.engine.config.ConfigLoader;
import dev.laurel.engine.config.LaurelConfig;
import dev.laurel.engine.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigReloadTest {
    @TempDir
    Path tmp;

    private LaurelConfig load(String name, String yaml) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, yaml);
        return new ConfigLoader(PluginRegistry.discover(null)).load(file);
    }

    @Test
    void namesEverySettingOutsideTheChainThatOnlyARestartChanges() throws Exception {
        try (LaurelConfig running = load("a.yaml", """
                input: /var/log/audit/audit.log
                limits:
                  flush-interval: 100ms
                diagnostics:
                  log-level: info
                """);
             LaurelConfig next = load("b.yaml", """
                input: "-"
                limits:
                  flush-interval: 250ms
                  pending-events: 500
                diagnostics:
                  log-level: debug
                """)) {
            assertThat(ConfigReload.needRestart(running, next))
                    .as("log-level applies at once; the others wait for a restart")
                    .containsExactly("input", "limits.pending-events", "limits.flush-interval");
        }
    }

    @Test
    void theSameSettingsNeedNoRestart() throws Exception {
        String yaml = """
                state: %s
                limits:
                  processes: 5000
                """.formatted(Files.createDirectory(tmp.resolve("state")));
        try (LaurelConfig running = load("a.yaml", yaml); LaurelConfig next = load("b.yaml", yaml)) {
            assertThat(ConfigReload.needRestart(running, next)).isEmpty();
        }
    }
}
