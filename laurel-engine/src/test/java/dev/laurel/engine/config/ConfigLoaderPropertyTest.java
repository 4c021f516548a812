package dev.laurel.engine.config;

import dev.laurel.engine.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random configs, well-formed or not: loading gives a config or {@link ConfigErrors}, never
 * another exception; errors come sorted with a position; every plugin created is closed once.
 */
class ConfigLoaderPropertyTest {
    private static final int CASES = 300;

    private static final String[] KEYS = {"input", "user", "state", "limits", "diagnostics", "enrichers", "sinks",
        "inputs", "pending-events", "event-time-wait", "wall-clock-wait", "flush-interval", "read-window", "log", "log-level",
        "parse-error-log", "status-report-period", "type", "id", "tag", "count", "enabled", "tags", "labels", "mode",
        "file", "min", "max", "fail-on-close", "colour"};
    private static final String[] SCALARS = {"-", "\"-\"", "3s", "0", "250ms", "1h", "5m", "abc", "true", "false",
        "yes", "-5", "7", "0x10", "\"\"", "~", "unix:/run/x", "none", "strict", "lenient", "syslog", "debug",
        "test-tag", "test-sink", "test-needs-tag", "test-boom", "hex-decoder", "'single'", "1.5", "[]", "{}"};
    private static final String[] TYPES = {"test-tag", "test-sink", "test-needs-tag", "test-boom", "nope"};

    @TempDir
    Path dir;

    @Test
    void anyTextLoadsOrFailsWithSortedPositionedErrorsAndClosesWhatItCreated() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        PluginRegistry registry = PluginRegistry.discover(null);
        Path file = dir.resolve("random.yaml");
        int loaded = 0;
        int failed = 0;
        for (int i = 0; i < CASES; i++) {
            String yaml = config(random);
            if (random.nextInt(5) == 0) {
                yaml = corrupt(yaml, random);
            }
            Files.writeString(file, yaml);
            ChainRecorder.clear();
            try {
                try {
                    new ConfigLoader(registry).load(file).close();
                    loaded++;
                } catch (ConfigErrors e) {
                    failed++;
                    LoadChecks.placedProblems(e, file.toString());
                }
                LoadChecks.everyPluginCreatedWasClosed();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ", case " + i + ", config:\n" + yaml, e);
            }
        }
        assertThat(loaded).as("seed " + seed + ": some random configs are valid").isPositive();
        assertThat(failed).as("seed " + seed + ": some random configs are invalid").isPositive();
    }

    private static String config(Random random) {
        StringBuilder sb = new StringBuilder();
        int keys = random.nextInt(4);
        for (int i = 0; i < keys; i++) {
            sb.append(pick(random, KEYS)).append(": ").append(value(random, 2)).append('\n');
        }
        for (String chain : new String[] {"enrichers", "sinks"}) {
            if (random.nextBoolean()) {
                sb.append(chain).append(":\n");
                int entries = random.nextInt(4);
                for (int i = 0; i < entries; i++) {
                    sb.append("  - type: ").append(pick(random, TYPES)).append('\n');
                    int options = random.nextInt(4);
                    for (int j = 0; j < options; j++) {
                        String key = pick(random, KEYS);
                        sb.append("    ").append(key).append(": ").append(value(random, 1)).append('\n');
                    }
                    if (random.nextInt(3) == 0) {
                        sb.append("    tag: t\n");
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String value(Random random, int depth) {
        int kind = depth == 0 ? 0 : random.nextInt(4);
        switch (kind) {
            case 1: {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    items.add(value(random, depth - 1));
                }
                return "[" + String.join(", ", items) + "]";
            }
            case 2: {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    items.add(pick(random, KEYS) + ": " + value(random, depth - 1));
                }
                return "{" + String.join(", ", items) + "}";
            }
            default:
                return pick(random, SCALARS);
        }
    }

    private static String corrupt(String yaml, Random random) {
        if (yaml.isEmpty()) {
            return "\t";
        }
        StringBuilder sb = new StringBuilder(yaml);
        int at = random.nextInt(sb.length());
        String[] noise = {"\t", ":", "[", "{", "\"", "'", "&a ", "*a", "- ", "\n  ", "#", "!!", "%"};
        if (random.nextBoolean()) {
            sb.deleteCharAt(at);
        } else {
            sb.insert(at, pick(random, noise));
        }
        return sb.toString();
    }

    private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
    }
}
