package dev.laurel.plugins.stream;

import dev.laurel.api.OutputEvent;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.plugins.testkit.MapConfig;
import dev.laurel.plugins.testkit.RecordingLogger;
import dev.laurel.plugins.testkit.TestOutputs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Real events, configs and a recording logger for the stream sinks' tests. */
final class StreamTesting {
    private StreamTesting() {
    }

    /** LAUREL 0.5.1's 1,076 lines for the real capture. */
    static List<String> realLines() throws IOException {
        return Files.readAllLines(Path.of(System.getProperty("laurel.root"),
                "testdata/real-enriched.laurel-0.5.1.jsonl"), StandardCharsets.UTF_8);
    }

    static OutputEvent event(String line) {
        return TestOutputs.of(line);
    }

    static PluginConfig config(String type, Object... pairs) {
        Map<String, Object> options = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            options.put((String) pairs[i], pairs[i + 1]);
        }
        return MapConfig.of(type, options);
    }

    /** Waits up to 10 s for {@code condition}; returns whether it came true. */
    static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** A plugin context whose logger keeps every message. */
    static final class RecordingContext implements PluginContext {
        private final RecordingLogger logger = new RecordingLogger();
        final List<String> messages = logger.lines();

        @Override
        public System.Logger logger() {
            return logger;
        }

        boolean logged(String part) {
            synchronized (messages) {
                return messages.stream().anyMatch(m -> m.contains(part));
            }
        }
    }
}
