package dev.laurel.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The chain LAUREL 0.5.1's reference outputs correspond to: parse, assemble, {@code hex-decoder},
 * encode; and the comparison of its output with LAUREL's, event by event, as JSON values.
 */
final class ReferenceChain {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ReferenceChain() {
    }

    /** Our JSON lines for an auditd log, in the order the assembler completes events. */
    static List<String> run(byte[] log) throws Exception {
        return run(log, true);
    }

    /** As {@link #run(byte[])}, with or without the hex-decoder in the chain. */
    static List<String> run(byte[] log, boolean decodeHex) throws Exception {
        Enricher hexDecoder = decodeHex ? hexDecoder() : event -> { };
        try {
            return run(log, List.of(hexDecoder));
        } finally {
            hexDecoder.close();
        }
    }

    /** Our JSON lines for an auditd log through the given enrichers, which the caller closes. */
    static List<String> run(byte[] log, List<Enricher> enrichers) throws Exception {
        LineParser parser = new LineParser();
        List<AuditEvent> events = new ArrayList<>();
        EventAssembler assembler = new EventAssembler(events::add);
        int start = 0;
        for (int i = 0; i <= log.length; i++) {
            if (i == log.length || log[i] == '\n') {
                if (i > start) {
                    ParsedRecord r = parser.parse(log, start, i - start);
                    if (r != null) {
                        assembler.accept(r);
                    }
                }
                start = i + 1;
            }
        }
        assembler.flush();
        EventEncoder encoder = new EventEncoder();
        List<String> out = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            for (Enricher enricher : enrichers) {
                enricher.enrich(e);
            }
            out.add(new String(encoder.encode(e), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The hex-decoder as the engine finds it: through ServiceLoader, by its type name. */
    static Enricher hexDecoder() throws Exception {
        for (EnricherFactory f : ServiceLoader.load(EnricherFactory.class)) {
            if (f.type().equals("hex-decoder")) {
                return f.create(new PluginConfig() {
                    public String type() {
                        return "hex-decoder";
                    }

                    public String id() {
                        return "hex-decoder";
                    }

                    public <T> T get(Setting<T> setting) {
                        return setting.defaultValue();
                    }

                    public boolean isSet(Setting<?> setting) {
                        return false;
                    }
                }, () -> System.getLogger("hex-decoder"));
            }
        }
        throw new IllegalStateException("hex-decoder is not registered");
    }

    static List<String> lines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * The differences between our lines and LAUREL's, matched by ID and record types (IDs alone
     * repeat: a user-space record shares its id with a kernel event), in LAUREL's order; empty if
     * every event is equal as a JSON value.
     */
    private static final ObjectMapper STRICT = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /**
     * LAUREL's line as laurel writes it: LAUREL 0.5.1 writes a key twice where a record repeats a
     * field or an object type's records are merged ({@code "cwd":"/x","cwd":"/y"}); laurel writes
     * such a key once, where it came first, with a list of its values ({@code "cwd":["/x","/y"]},
     * docs/format.md §1 and §7). A line without a repeated key is returned as it is.
     */
    static String withRepeatedKeysGrouped(String line) throws IOException {
        try {
            STRICT.readTree(line);
            return line;
        } catch (com.fasterxml.jackson.core.JsonParseException repeated) {
            try (com.fasterxml.jackson.core.JsonParser p = MAPPER.getFactory().createParser(line)) {
                p.nextToken();
                return MAPPER.writeValueAsString(grouped(p));
            }
        }
    }

    private static JsonNode grouped(com.fasterxml.jackson.core.JsonParser p) throws IOException {
        com.fasterxml.jackson.core.JsonToken t = p.currentToken();
        if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
            Map<String, List<JsonNode>> members = new LinkedHashMap<>();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                members.computeIfAbsent(key, k -> new ArrayList<>()).add(grouped(p));
            }
            com.fasterxml.jackson.databind.node.ObjectNode object = MAPPER.createObjectNode();
            members.forEach((key, values) -> object.set(key, values.size() == 1 ? values.get(0)
                    : MAPPER.createArrayNode().addAll(values)));
            return object;
        }
        if (t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
            com.fasterxml.jackson.databind.node.ArrayNode array = MAPPER.createArrayNode();
            while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                array.add(grouped(p));
            }
            return array;
        }
        return MAPPER.readTree(p);
    }

    static List<String> differences(List<String> ours, List<String> reference) throws IOException {
        Map<String, List<JsonNode>> byKey = new LinkedHashMap<>();
        Map<JsonNode, String> text = new java.util.IdentityHashMap<>();
        for (String l : ours) {
            JsonNode n = MAPPER.readTree(l);
            text.put(n, l);
            byKey.computeIfAbsent(key(n), k -> new ArrayList<>()).add(n);
        }
        List<String> problems = new ArrayList<>();
        for (String l : reference) {
            JsonNode expected = MAPPER.readTree(l);
            List<JsonNode> candidates = byKey.get(key(expected));
            if (candidates == null || candidates.isEmpty()) {
                problems.add("missing " + key(expected) + "\n  laurel: " + l);
                continue;
            }
            JsonNode actual = candidates.remove(0);
            if (!actual.equals(expected)) {
                problems.add("differs " + key(expected) + "\n  laurel: " + l + "\n  ours:   " + text.get(actual));
            }
        }
        for (List<JsonNode> left : byKey.values()) {
            for (JsonNode n : left) {
                problems.add("extra " + key(n) + "\n  ours:   " + text.get(n));
            }
        }
        return problems;
    }

    private static String key(JsonNode n) {
        StringBuilder sb = new StringBuilder(n.path("ID").asText());
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("ID")) {
                sb.append(' ').append(f);
            }
        }
        return sb.toString();
    }

    static String report(List<String> problems, int total) {
        StringBuilder sb = new StringBuilder().append(problems.size()).append(" of ").append(total)
                .append(" events differ from LAUREL 0.5.1; the first ones:\n");
        problems.stream().limit(8).forEach(p -> sb.append(p).append('\n'));
        return sb.toString();
    }
}
