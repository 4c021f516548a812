package dev.laurel.plugins.syslog;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.OutputEvent;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.testkit.TestData;
import dev.laurel.plugins.testkit.MapConfig;
import dev.laurel.plugins.testkit.TestOutputs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The real capture ({@code testdata/real-enriched.log}) through the production parser,
 * assembler, hex-decoder and encoder, as the sinks get it.
 */
final class Capture {
    private static List<OutputEvent> events;

    private Capture() {
    }

    static synchronized List<OutputEvent> events() throws Exception {
        if (events == null) {
            List<AuditEvent> audit = TestData.events(TestData.capture());
            EventEncoder encoder = new EventEncoder();
            List<OutputEvent> out = new ArrayList<>(audit.size());
            try (Enricher hex = MapConfig.create(factory(EnricherFactory.class, "hex-decoder"), Map.of())) {
                for (AuditEvent e : audit) {
                    hex.enrich(e);
                    out.add(output(e, encoder.encode(e)));
                }
            }
            events = List.copyOf(out);
        }
        return events;
    }

    /** What the json-file sink writes for {@code events}, one string per line. */
    static List<String> jsonFileLines(List<OutputEvent> events, Path file) throws Exception {
        try (Sink sink = jsonFile(file)) {
            for (OutputEvent e : events) {
                sink.write(e);
            }
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    static Sink jsonFile(Path file) throws Exception {
        return MapConfig.create(factory(SinkFactory.class, "json-file"), Map.of("file", file.toString()));
    }

    static <F extends dev.laurel.api.PluginFactory<?>> F factory(Class<F> kind, String type) {
        for (F f : ServiceLoader.load(kind)) {
            if (f.type().equals(type)) {
                return f;
            }
        }
        throw new IllegalStateException(type + " is not on the test class path");
    }

    static OutputEvent output(AuditEvent event, byte[] json) {
        return TestOutputs.of(event, json);
    }
}
