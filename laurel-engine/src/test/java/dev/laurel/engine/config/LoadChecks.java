package dev.laurel.engine.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every load must give, whatever the file: shared by the property test and the fuzz test. */
final class LoadChecks {
    private LoadChecks() {
    }

    /** The problems are sorted by place, each in {@code file}, at a place, with a message. */
    static void placedProblems(ConfigErrors e, String file) {
        assertThat(e.errors()).isNotEmpty().isSortedAccordingTo(
                Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
        for (ConfigError error : e.errors()) {
            assertThat(error.file()).isEqualTo(file);
            assertThat(error.line()).isNotNegative();
            assertThat(error.column()).isNotNegative();
            assertThat(error.message()).isNotBlank();
        }
    }

    /** Every test plugin {@link ChainRecorder} saw created was closed. */
    static void everyPluginCreatedWasClosed() {
        List<String> created = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        for (String event : ChainRecorder.events()) {
            (event.startsWith("create ") ? created : closed).add(event.substring(event.indexOf(' ') + 1));
        }
        assertThat(closed).containsExactlyInAnyOrderElementsOf(created);
    }
}
