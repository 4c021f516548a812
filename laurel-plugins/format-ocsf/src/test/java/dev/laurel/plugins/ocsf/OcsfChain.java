package dev.laurel.plugins.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.json.FormatJson;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.testkit.TestData;
import dev.laurel.plugins.hexdecoder.HexDecoderFactory;
import dev.laurel.plugins.parentinfo.ParentInfoFactory;
import dev.laurel.plugins.testkit.MapConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a log through the chain users run (the engine's process table, hex-decoder, parent-info)
 * and writes each event in the laurel format and in the ocsf format, with the engine's own
 * encoders ({@link EventEncoder}, {@link FormatJson}).
 */
final class OcsfChain {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event: its id, the laurel format's JSON and the ocsf format's. */
    record Encoded(String id, JsonNode laurel, JsonNode ocsf, String ocsfText) {
    }

    private OcsfChain() {
    }

    /** The ocsf format as the tests configure it: a fixed host name and product version. */
    static OcsfFormat format(boolean captions) {
        return new OcsfFormat("0.1.0-test", "testhost", captions);
    }

    static List<Encoded> run(Path log) {
        return run(log, "parent-info", false);
    }

    static List<Encoded> run(Path log, String style) {
        return run(log, style, false);
    }

    private static Enricher parentInfo(String style, PluginContext context) {
        try {
            return new ParentInfoFactory().create(MapConfig.of("parent-info", Map.of("style", style)), context);
        } catch (dev.laurel.api.ConfigException e) {
            throw new IllegalArgumentException("parent-info style " + style, e);
        }
    }

    /**
     * {@code style}: parent-info's style (parent-info, laurel or both), or {@code table} for no
     * parent-info enricher and the process table given to the format; {@code captions}: the format's option.
     */
    static List<Encoded> run(Path log, String style, boolean captions) {
        ProcessTracker table = new ProcessTracker();
        PluginContext context = new PluginContext() {
            @Override
            public System.Logger logger() {
                return System.getLogger("laurel.test");
            }

            @Override
            public ProcessTable processes() {
                return table;
            }
        };
        Enricher hex = new HexDecoderFactory().create(MapConfig.of("hex-decoder", Map.of()), context);
            boolean tableOnly = style.equals("table");
        Enricher parents = tableOnly ? e -> { } : parentInfo(style, context);
            EventEncoder laurel = new EventEncoder();
            FormatJson ocsf = new FormatJson(tableOnly
                ? new OcsfFormat("0.1.0-test", "testhost", captions, table) : format(captions), "ocsf");
            List<Encoded> out = new ArrayList<>();
            TestData.events(auditLines(log), event -> {
                table.observe(event);
                hex.enrich(event);
                parents.enrich(event);
                out.add(encode(event, laurel, ocsf));
            });
            return out;
    }

    private static Encoded encode(AuditEvent event, EventEncoder laurel, FormatJson ocsf) {
        try {
            String text = new String(ocsf.encode(event), java.nio.charset.StandardCharsets.UTF_8);
            return new Encoded(event.id().toString(), JSON.readTree(laurel.encode(event)), JSON.readTree(text), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The audit lines of {@code log} (some fixtures start with comments), in a file of their own. */
    private static Path auditLines(Path log) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (lines.stream().allMatch(l -> l.startsWith("type=") || l.startsWith("node=") || l.isEmpty())) {
                return log;
            }
            Path tmp = java.nio.file.Files.createTempFile("ocsf-", ".log");
            tmp.toFile().deleteOnExit();
            java.nio.file.Files.write(tmp, lines.stream()
                    .filter(l -> l.startsWith("type=") || l.startsWith("node=")).toList(),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every log the tests run: the capture and LAUREL's fixtures. */
    static List<Path> logs() {
        List<Path> logs = new ArrayList<>();
        logs.add(TestData.capture());
        try (var files = java.nio.file.Files.list(TestData.file("laurel-fixtures"))) {
            files.filter(p -> p.toString().endsWith(".txt")).sorted().forEach(logs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return logs;
    }
}
