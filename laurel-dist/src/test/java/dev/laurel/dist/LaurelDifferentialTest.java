package dev.laurel.dist;

import static dev.laurel.dist.InProcessLaurel.laurel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.laurel.dist.AuditCaseGenerator.Case;
import dev.laurel.dist.AuditCaseGenerator.Difference;
import dev.laurel.engine.testkit.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * laurel against Debian's LAUREL 0.5.1 on seeded, generated input ({@link AuditCaseGenerator}):
 * every event LAUREL writes must be one laurel writes, byte for byte, except where the case holds
 * one of the documented differences ({@link Difference}, docs/format.md §7), and then the two
 * events may differ only in that difference's key. No event may be LAUREL's only, nor laurel's.
 * Events are matched by id within their case (each case has its own serial); the order of the
 * output is not compared.
 *
 * <p>The cases go through one LAUREL process and one in-process {@code laurel convert} (hex-decoder
 * and json-file, as {@code examples/configs/stdout.yaml}). A failure names the seed and the case,
 * as a printf-able input reduced to the lines that still show the difference.
 *
 * <p>Defaults: seed {@value #SEED}, {@value #CASES} cases. {@code -Dlaurel.differential.minutes=10}
 * runs batches with new seeds for that long; {@code -Dlaurel.differential.seed=N} and
 * {@code -Dlaurel.differential.cases=N} change the first batch. Skipped, with a message, where
 * {@code /usr/sbin/laurel} is not installed ({@code .ci/run} installs Debian's package).
 */
class LaurelDifferentialTest {
    private static final Path LAUREL = Path.of("/usr/sbin/laurel");
    private static final long SEED = 0x19_0051;
    private static final int CASES = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECTION_7_ID = Pattern.compile("`differential: ([a-z0-9-]+)`");

    @TempDir
    Path dir;

    /** What a batch found, by kind. */
    static final class Tally {
        int cases;
        int events;
        int identical;
        final Map<Difference, Integer> documented = new EnumMap<>(Difference.class);
        final List<String> failures = new ArrayList<>();

        @Override
        public String toString() {
            return cases + " cases, " + events + " LAUREL events: " + identical + " byte-identical, documented differences "
                    + documented + ", " + failures.size() + " failing cases";
        }
    }

    @Test
    void everyEventIsLaurelsByteForByteButTheDocumentedDifferences() throws Exception {
        assumeTrue(Files.isExecutable(LAUREL), "Debian's LAUREL 0.5.1 is not installed at " + LAUREL
                + ": the differential test is skipped (.ci/run installs it: apt-get install laurel)");
        long seed = Long.getLong("laurel.differential.seed", SEED);
        int cases = Integer.getInteger("laurel.differential.cases", CASES);
        long minutes = Long.getLong("laurel.differential.minutes", 0);
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        long started = System.nanoTime();
        Tally total = new Tally();
        do {
            Tally t = batch(seed, cases);
            System.out.println("LaurelDifferentialTest seed " + seed + ": " + t);
            assertThat(t.failures).as("seed %d: %d of %d cases differ from LAUREL 0.5.1 beyond docs/format.md §7;"
                    + " the first:\n%s", seed, t.failures.size(), t.cases, String.join("\n", t.failures.subList(0,
                            Math.min(3, t.failures.size())))).isEmpty();
            total.cases += t.cases;
            total.events += t.events;
            total.identical += t.identical;
            t.documented.forEach((k, v) -> total.documented.merge(k, v, Integer::sum));
            seed++;
        } while (System.nanoTime() < until);
        System.out.println("LaurelDifferentialTest total: " + total + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        assertThat(total.cases).isGreaterThanOrEqualTo(Math.min(cases, CASES));
        assertThat(total.identical).as("most events are byte-identical").isGreaterThan(total.events * 9 / 10);
    }

    @Test
    void theDocumentedDifferencesAreThoseOfSection7() throws IOException {
        String format = Files.readString(TestData.root().resolve("docs/format.md"));
        int start = format.indexOf("## 7.");
        int end = format.indexOf("\n## 8.", start);
        assertThat(start).as("docs/format.md has a §7").isPositive();
        Set<String> documented = new TreeSet<>();
        Matcher m = SECTION_7_ID.matcher(format.substring(start, end));
        while (m.find()) {
            assertThat(documented.add(m.group(1))).as("listed once: %s", m.group(1)).isTrue();
        }
        Set<String> tested = new TreeSet<>();
        for (Difference d : Difference.values()) {
            tested.add(d.id);
        }
        assertThat(documented).as("the `differential: ID` items of docs/format.md §7 and LaurelDifferentialTest's list")
                .isEqualTo(tested);
    }

    /** Generates {@code count} cases, runs both programs on them and compares, case by case. */
    private Tally batch(long seed, int count) throws Exception {
        AuditCaseGenerator generator = new AuditCaseGenerator(seed);
        List<Case> cases = new ArrayList<>(count);
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            Case c = generator.next(i);
            cases.add(c);
            input.writeBytes(c.input());
        }
        Map<Long, List<String>> ours = byCase(ours(input.toByteArray()));
        Map<Long, List<String>> theirs = byCase(laurels(input.toByteArray()));
        Tally t = new Tally();
        t.cases = count;
        for (Case c : cases) {
            List<String> a = ours.getOrDefault(c.serial(), List.of());
            List<String> b = theirs.getOrDefault(c.serial(), List.of());
            String problem = compare(c, a, b, t);
            if (problem != null) {
                // only the first few are reduced: each step runs both programs again
                t.failures.add(t.failures.size() < 3 ? failure(seed, c, problem)
                        : "seed " + seed + " case " + c.index() + " " + c.differences() + ":\n" + problem);
            }
        }
        return t;
    }

    /**
     * Compares one case's events; counts them in {@code t}; returns what is wrong, or null. Each
     * LAUREL event is matched with an identical one of ours, else one with the same id and keys,
     * else one with the same id.
     */
    private static String compare(Case c, List<String> ours, List<String> theirs, Tally t) throws IOException {
        List<String> left = new ArrayList<>(ours);
        List<String> unmatched = new ArrayList<>();
        for (String b : theirs) {
            t.events++;
            if (left.remove(b)) {
                t.identical++;
            } else {
                unmatched.add(b);
            }
        }
        StringBuilder problems = new StringBuilder();
        for (String b : unmatched) {
            JsonNode theirNode = JSON.readTree(b);
            String match = null;
            for (int pass = 0; pass < 2 && match == null; pass++) {
                for (String a : left) {
                    JsonNode ourNode = JSON.readTree(a);
                    if (ourNode.path("ID").equals(theirNode.path("ID"))
                            && (pass == 1 || keys(ourNode).equals(keys(theirNode)))) {
                        match = a;
                        break;
                    }
                }
            }
            if (match == null) {
                problems.append("  written by LAUREL only: ").append(b).append('\n');
                continue;
            }
            left.remove(match);
            Set<Difference> explained = explained(c, match, b);
            if (explained == null) {
                problems.append("  laurel: ").append(match).append("\n  LAUREL: ").append(b).append('\n');
            } else {
                explained.forEach(d -> t.documented.merge(d, 1, Integer::sum));
            }
        }
        for (String a : left) {
            Difference second = secondEvent(c, JSON.readTree(a));
            if (second == null) {
                problems.append("  written by laurel only: ").append(a).append('\n');
            } else {
                t.documented.merge(second, 1, Integer::sum);
            }
        }
        return problems.length() == 0 ? null : problems.toString();
    }

    /**
     * The documented differences of the case whose keys hold every difference between the two
     * events, byte for byte (several may meet in one event), or null if another key differs too.
     */
    private static Set<Difference> explained(Case c, String ours, String theirs) {
        Map<String, String> a = members(ours);
        Map<String, String> b = members(theirs);
        Set<Difference> used = java.util.EnumSet.noneOf(Difference.class);
        for (Difference d : c.differences()) {
            if (!java.util.Objects.equals(a.get(d.key), b.get(d.key))) {
                used.add(d);
            }
        }
        for (Difference d : used) {
            a.remove(d.key);
            b.remove(d.key);
        }
        return used.isEmpty() || !new ArrayList<>(a.entrySet()).equals(new ArrayList<>(b.entrySet())) ? null : used;
    }

    /**
     * The top-level members of an event's JSON line as written: key to the value's text, in order
     * (a JSON tree would hide duplicate keys and the order of fields).
     */
    static Map<String, String> members(String json) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        int i = 1;   // after '{'
        while (i < json.length() && json.charAt(i) == '"') {
            int keyEnd = stringEnd(json, i);
            String key = json.substring(i + 1, keyEnd);
            int v = keyEnd + 2;   // after '":'
            int depth = 0;
            int j = v;
            for (; j < json.length(); j++) {
                char ch = json.charAt(j);
                if (ch == '"') {
                    j = stringEnd(json, j);
                } else if (ch == '{' || ch == '[') {
                    depth++;
                } else if (ch == '}' || ch == ']') {
                    if (depth-- == 0) {
                        break;
                    }
                } else if (ch == ',' && depth == 0) {
                    break;
                }
            }
            out.put(key, json.substring(v, j));
            i = j + 1;
        }
        return out;
    }

    /** The index of the quote closing the JSON string that opens at {@code open}. */
    private static int stringEnd(String json, int open) {
        for (int i = open + 1; i < json.length(); i++) {
            char ch = json.charAt(i);
            if (ch == '\\') {
                i++;
            } else if (ch == '"') {
                return i;
            }
        }
        return json.length();
    }

    /** Whether an event only laurel writes is the second event a documented difference of the case makes. */
    private static Difference secondEvent(Case c, JsonNode ours) {
        for (Difference d : c.differences()) {
            if (d == Difference.EOE_AFTER_SINGLE_RECORD_EVENT) {
                ObjectNode a = ((ObjectNode) ours).deepCopy();
                a.remove(List.of("ID", "NODE", d.key));
                if (a.isEmpty() && ours.has(d.key)) {
                    return d;
                }
            }
        }
        return null;
    }

    private static List<String> keys(JsonNode n) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }

    /** The failure report for a case: the seed, the case, its input reduced to the lines that still show it. */
    private String failure(long seed, Case c, String problem) throws Exception {
        byte[] minimal = minimal(c);
        return "seed " + seed + " case " + c.index() + " " + c.differences() + ":\n" + problem
                + "  minimal input: printf '" + AuditCaseGenerator.printable(minimal) + "'\n"
                + "  whole case:    printf '" + c.printf() + "'";
    }

    /** The case's input without every line whose removal leaves a difference beyond the documented ones. */
    private byte[] minimal(Case c) throws Exception {
        List<byte[]> lines = lines(c.input());
        for (int i = lines.size() - 1; i >= 0 && lines.size() > 1; i--) {
            List<byte[]> fewer = new ArrayList<>(lines);
            fewer.remove(i);
            byte[] input = join(fewer);
            Case smaller = new Case(c.index(), input, c.differences());
            List<String> a = byCase(ours(input)).getOrDefault(c.serial(), List.of());
            List<String> b = byCase(laurels(input)).getOrDefault(c.serial(), List.of());
            if (compare(smaller, a, b, new Tally()) != null) {
                lines = fewer;
            }
        }
        return join(lines);
    }

    /** laurel's output for {@code input}: {@code laurel convert} in-process with the hex-decoder. */
    private List<String> ours(byte[] input) throws IOException {
        Path in = Files.write(dir.resolve("cases.log"), input);
        Path out = dir.resolve("laurel.jsonl");
        Files.deleteIfExists(out);
        Path config = Files.writeString(dir.resolve("laurel.yaml"), """
                enrichers:
                  - type: hex-decoder
                sinks:
                  - type: json-file
                    file: "-"
                """);
        InProcessLaurel.Result r = laurel("convert", "--config", config.toString(), "-o", out.toString(), in.toString());
        assertThat(r.status()).as(r.err()).isZero();
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    /** LAUREL 0.5.1's output for {@code input}, with its process enrichments off. */
    private List<String> laurels(byte[] input) throws Exception {
        Path in = Files.write(dir.resolve("cases.log"), input);
        Path out = dir.resolve("laurel-0.5.1.jsonl");
        Path toml = Files.writeString(dir.resolve("laurel.toml"), """
                directory = "%s"
                [auditlog]
                file = "-"
                [enrich]
                pid = false
                execve-env = []
                container = false
                script = false
                """.formatted(dir));
        Process p = new ProcessBuilder(LAUREL.toString(), "-c", toml.toString())
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("LAUREL finished").isTrue();
        assertThat(p.exitValue()).isZero();
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    /** Events by their serial (each case has its own). */
    private static Map<Long, List<String>> byCase(List<String> events) {
        Map<Long, List<String>> out = new HashMap<>();
        for (String e : events) {
            if (e.isBlank()) {
                continue;
            }
            int colon = e.indexOf(':', e.indexOf("\"ID\":\"") + 6);
            int quote = e.indexOf('"', colon);
            out.computeIfAbsent(Long.parseLong(e.substring(colon + 1, quote)), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    private static List<byte[]> lines(byte[] input) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < input.length; i++) {
            if (input[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(input, start, i + 1));
                start = i + 1;
            }
        }
        return lines;
    }

    private static byte[] join(List<byte[]> lines) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        lines.forEach(b::writeBytes);
        return b.toByteArray();
    }
}
