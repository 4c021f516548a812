package dev.laurel.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.laurel.engine.cli.Main;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ecs} format on the bundled capture and LAUREL's fixtures, through a chain with the
 * usual enrichers: every event fits ECS 9.4.0 as {@code ecs_flat.yml} describes it, nothing of the
 * laurel format's output is lost, and the events the issue names match their golden files
 * (reviewed by hand; {@code -Dlaurel.update-golden=true} rewrites them).
 */
class EcsFormatTest {
    private static final Path ROOT = TestData.root();
    private static final Path SCHEMA = ROOT.resolve("testdata/ecs-9.4.0/ecs_flat.yml");
    private static final Path GOLDEN = ROOT.resolve("testdata/ecs");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAIN = """
            enrichers:
              - type: hex-decoder
              - type: translate
                user-db: false        # names as auditd wrote them, not this machine's /etc/passwd
              - type: parent-info
              - type: key-labeler
                label-keys: [software_mgmt]
                propagate-labels: [software_mgmt]
              - type: sigma           # SigmaHQ's Linux rules: SIGMA as rule.*, threat.* and auditd.sigma
                rules: ['%s']
                min-level: informational
            sinks: []
            """.formatted(ROOT.resolve("testdata/sigma/rules/linux"));

    @TempDir
    static Path dir;

    /** ECS's fields by flat name, as ecs_flat.yml gives them. */
    private static Map<String, Map<String, Object>> fields;
    /** Per input, its events in the laurel and the ecs format, in the same order. */
    private static final Map<Path, List<String>> LAUREL = new LinkedHashMap<>();
    private static final Map<Path, List<String>> ECS = new LinkedHashMap<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void convertEveryInput() throws Exception {
        try (Reader r = Files.newBufferedReader(SCHEMA)) {
            fields = (Map<String, Map<String, Object>>) new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        }
        Path config = Files.writeString(dir.resolve("chain.yaml"), CHAIN);
        List<Path> inputs = new ArrayList<>();
        inputs.add(ROOT.resolve("testdata/real-enriched.log"));
        try (Stream<Path> s = Files.list(ROOT.resolve("testdata/laurel-fixtures"))) {
            s.filter(p -> p.toString().endsWith(".txt")).sorted().forEach(inputs::add);
        }
        for (Path input : inputs) {
            LAUREL.put(input, convert(config, input, "laurel"));
            ECS.put(input, convert(config, input, "ecs"));
        }
    }

    private static List<String> convert(Path config, Path input, String format) throws IOException {
        Path out = dir.resolve(input.getFileName() + "." + format + ".jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"convert", "--config", config.toString(), "--format", format,
                "-o", out.toString(), input.toString()}, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).as("no encoding errors").contains(" 0 encoding");
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    @Test
    void everyEventFitsEcs940() throws Exception {
        List<String> problems = new ArrayList<>();
        int events = 0;
        for (Map.Entry<Path, List<String>> input : ECS.entrySet()) {
            for (String line : input.getValue()) {
                JsonNode event = JSON.readTree(line);
                String where = input.getKey().getFileName() + " " + event.path("event").path("id").asText();
                check(event, "", where, problems);
                checkCategories(event.path("event"), where, problems);
                events++;
            }
        }
        assertThat(events).isGreaterThan(1200);
        assertThat(problems).as("%d problems, the first: %s", problems.size(),
                problems.subList(0, Math.min(20, problems.size()))).isEmpty();
    }

    @Test
    void anEventASigmaRuleMatchedIsAnAlertWithItsRuleAndAttackTechniques() throws Exception {
        List<JsonNode> alerts = new ArrayList<>();
        int withoutRule = 0;
        for (String line : ECS.get(ROOT.resolve("testdata/real-enriched.log"))) {
            JsonNode event = JSON.readTree(line);
            boolean matched = event.path("auditd").has("sigma");
            assertThat(event.path("event").path("kind").asText()).isEqualTo(matched ? "alert" : "event");
            if (matched) {
                alerts.add(event);
            } else {
                withoutRule += event.has("rule") ? 1 : 0;
            }
        }
        assertThat(withoutRule).as("rule.* without a match").isZero();
        assertThat(alerts).isNotEmpty();
        for (JsonNode alert : alerts) {
            JsonNode rule = alert.path("rule");
            assertThat(rule.path("ruleset").asText()).isEqualTo("sigma");
            JsonNode first = alert.path("auditd").path("sigma").get(0);
            assertThat(rule.path("id").asText()).as("a matched rule's id")
                    .isIn(alert.path("auditd").path("sigma").findValuesAsText("id"));
            assertThat(first.path("id").asText()).isNotEmpty();
        }
        // the perl reverse shell: the capture's one high-level match, tagged attack.execution
        JsonNode perl = alerts.stream()
                .filter(a -> a.path("process").path("executable").asText().endsWith("/perl"))
                .filter(a -> a.path("auditd").path("sigma").findValuesAsText("level").contains("high"))
                .findFirst().orElseThrow();
        assertThat(perl.path("threat").path("framework").asText()).isEqualTo("MITRE ATT&CK");
        assertThat(perl.path("threat").path("tactic").path("name").toString()).isEqualTo("[\"Execution\"]");
        // attack.t1222.002 (File or Folder Permissions Change): the technique and its sub-technique
        JsonNode chmod = alerts.stream()
                .filter(a -> a.path("auditd").path("sigma").findValuesAsText("id").contains("74c01ace-0152-4094-8ae2-6fd776dd43e5"))
                .findFirst().orElseThrow();
        assertThat(chmod.path("threat").path("technique").path("id").toString()).isEqualTo("[\"T1222\"]");
        assertThat(chmod.path("threat").path("technique").path("subtechnique").path("id").toString()).isEqualTo("[\"T1222.002\"]");
        assertThat(chmod.path("threat").path("tactic").path("name").toString()).isEqualTo("[\"Defense Impairment\"]");
        JsonNode high = null;
        for (JsonNode m : perl.path("auditd").path("sigma")) {
            if (high == null && m.path("level").asText().equals("high")) {
                high = m;
            }
        }
        assertThat(perl.path("rule").path("id").asText()).as("the most severe match").isEqualTo(high.path("id").asText());
        assertThat(perl.path("rule").path("name").asText()).isEqualTo(high.path("title").asText());
    }

    /** The members of {@code node} (at {@code path}) against ECS: known fields, ECS types, allowed values. */
    private static void check(JsonNode node, String path, String where, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String name = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
            JsonNode value = member.getValue();
            if (name.equals("auditd")) {
                continue;      // what has no ECS home
            }
            if (name.equals("labels")) {
                value.fields().forEachRemaining(l -> {
                    if (!l.getValue().isTextual() || l.getKey().contains(".")) {
                        problems.add(where + ": labels." + l.getKey() + " is not a keyword label: " + l.getValue());
                    }
                });
                continue;
            }
            Map<String, Object> field = fields.get(name);
            if (field == null) {
                if (value.isObject()) {
                    check(value, name, where, problems);
                } else {
                    problems.add(where + ": " + name + " is not an ECS 9.4.0 field");
                }
                continue;
            }
            String type = (String) field.get("type");
            if (value.isArray()) {
                Object normalize = field.get("normalize");
                if (!(normalize instanceof List<?> n && n.contains("array"))) {
                    problems.add(where + ": " + name + " is an array, which ECS does not expect");
                }
                value.forEach(v -> checkValue(name, type, field, v, where, problems));
            } else {
                checkValue(name, type, field, value, where, problems);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkValue(String name, String type, Map<String, Object> field, JsonNode v, String where,
                                   List<String> problems) {
        boolean ok = switch (type) {
            case "keyword", "constant_keyword", "wildcard", "text", "match_only_text" -> v.isTextual();
            case "long", "integer", "short", "byte", "unsigned_long" -> v.isIntegralNumber();
            case "float", "double", "scaled_float", "half_float" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "ip" -> v.isTextual() && isIp(v.asText());
            case "date" -> v.isTextual() && isDate(v.asText());
            case "object", "flattened", "nested" -> v.isObject();
            default -> false;
        };
        if (!ok) {
            problems.add(where + ": " + name + " = " + v + " is not of ECS type " + type);
        }
        Object allowed = field.get("allowed_values");
        if (allowed instanceof List<?> values && !name.equals("event.type")) {
            Set<String> names = new HashSet<>();
            for (Object a : values) {
                names.add(String.valueOf(((Map<String, Object>) a).get("name")));
            }
            if (!names.contains(v.asText())) {
                problems.add(where + ": " + name + " = " + v + " is not one of ECS's " + names);
            }
        }
    }

    /** event.type: allowed values, each expected by at least one of the event's categories. */
    @SuppressWarnings("unchecked")
    private static void checkCategories(JsonNode event, String where, List<String> problems) {
        Map<String, Set<String>> expected = new HashMap<>();
        for (Object a : (List<Object>) fields.get("event.category").get("allowed_values")) {
            Map<String, Object> c = (Map<String, Object>) a;
            Object types = c.get("expected_event_types");
            expected.put((String) c.get("name"), types == null ? Set.of() : new HashSet<>((List<String>) types));
        }
        Set<String> types = new HashSet<>();
        for (Object a : (List<Object>) fields.get("event.type").get("allowed_values")) {
            types.add(String.valueOf(((Map<String, Object>) a).get("name")));
        }
        for (JsonNode type : event.path("type")) {
            if (!types.contains(type.asText())) {
                problems.add(where + ": event.type " + type + " is not one of ECS's");
            }
            boolean fits = false;
            for (JsonNode category : event.path("category")) {
                fits |= expected.getOrDefault(category.asText(), Set.of()).contains(type.asText());
            }
            if (!fits) {
                problems.add(where + ": event.type " + type + " is not expected for " + event.path("category"));
            }
        }
    }

    private static boolean isIp(String s) {
        if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return true;
        }
        return s.contains(":") && s.matches("[0-9a-fA-F:.]+");
    }

    private static boolean isDate(String s) {
        try {
            Instant.parse(s);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void everyValueOfTheLaurelFormatIsInTheEcsEvent() throws Exception {
        List<String> lost = new ArrayList<>();
        int values = 0;
        for (Path input : LAUREL.keySet()) {
            List<String> laurel = LAUREL.get(input);
            List<String> ecs = ECS.get(input);
            assertThat(ecs).as("%s: one ECS event per laurel event", input.getFileName()).hasSameSizeAs(laurel);
            for (int i = 0; i < laurel.size(); i++) {
                JsonNode l = JSON.readTree(laurel.get(i));
                JsonNode e = JSON.readTree(ecs.get(i));
                Set<String> ecsValues = new HashSet<>();
                leaves(e, "", (p, v) -> ecsValues.add(v));
                e.path("labels").fieldNames().forEachRemaining(ecsValues::add);
                List<String> missing = new ArrayList<>();
                leaves(l, "", (p, v) -> {
                    if (!ecsValues.contains(v)) {
                        missing.add(p + "=" + v);
                    }
                });
                values += ecsValues.size();
                if (!missing.isEmpty()) {
                    lost.add(input.getFileName() + " " + l.path("ID").asText() + ": " + missing);
                }
            }
        }
        assertThat(values).isGreaterThan(50_000);
        assertThat(lost).as("%d events lose values, the first: %s", lost.size(),
                lost.subList(0, Math.min(10, lost.size()))).isEmpty();
    }

    /** Every scalar in {@code node} (nulls aside) as text, with its path. */
    private static void leaves(JsonNode node, String path, java.util.function.BiConsumer<String, String> to) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> leaves(f.getValue(), path + "." + f.getKey(), to));
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                leaves(item, path + "[]", to);
            }
        } else if (!node.isNull()) {
            to.accept(path, node.asText());
        }
    }

    /** The events the issue names, each in a golden file reviewed by hand. */
    private static final Map<String, String[]> CASES = new LinkedHashMap<>();

    static {
        CASES.put("execve-perl-reverse-shell", new String[] {"laurel-fixtures/record-perl-reverse-shell.txt",
                "1626611363.720:348501"});
        CASES.put("connect-ipv4", new String[] {"real-enriched.log", "1795636823.283:87"});
        CASES.put("connect-ipv6", new String[] {"real-enriched.log", "1795636828.059:611"});
        CASES.put("connect-unix", new String[] {"real-enriched.log", "1795636823.231:74"});
        CASES.put("openat-watched-file", new String[] {"real-enriched.log", "1795636828.123:782"});
        CASES.put("kill", new String[] {"real-enriched.log", "1795636823.263:80"});
        CASES.put("ptrace", new String[] {"real-enriched.log", "1795636828.111:631"});
        CASES.put("execve-memfd", new String[] {"real-enriched.log", "1795636828.471:1101"});
        CASES.put("user-start", new String[] {"real-enriched.log", "1795636828.143:799"});
    }

    @Test
    void theNamedEventsAreTheirGoldenFiles() throws Exception {
        boolean update = Boolean.getBoolean("laurel.update-golden");
        ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        for (Map.Entry<String, String[]> c : CASES.entrySet()) {
            List<String> events = ECS.get(ROOT.resolve("testdata").resolve(c.getValue()[0]));
            JsonNode actual = null;
            for (String line : events) {
                JsonNode e = JSON.readTree(line);
                if (e.path("event").path("id").asText().equals(c.getValue()[1])) {
                    actual = e;
                    break;
                }
            }
            assertThat(actual).as("%s: event %s", c.getKey(), c.getValue()[1]).isNotNull();
            Path golden = GOLDEN.resolve(c.getKey() + ".json");
            if (update) {
                Files.createDirectories(GOLDEN);
                Files.writeString(golden, pretty.writeValueAsString(actual) + "\n");
                continue;
            }
            assertThat(actual).as("%s (update with -Dlaurel.update-golden=true, then review)", golden)
                    .isEqualTo(JSON.readTree(golden.toFile()));
        }
    }
}
