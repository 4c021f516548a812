package dev.laurel.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.engine.cli.Main;
import dev.laurel.engine.testkit.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real capture with damaged lines of every kind laurel must survive inserted among its
 * lines (seeded, so the same file each run), through {@link Main} with a real config: exit 0,
 * only valid JSON out, the very output of the clean capture, and every damaged line either in the
 * parse-error log with its line number and reason, or, where it still reads as a record of an
 * event already emitted, written as a second event with that id (as LAUREL writes it; nothing
 * is lost), and no other line in the log and no other event.
 */
class DamagedCaptureTest {
    private static final long SEED = 0x5eed_0007L;
    private static final Pattern HEADER = Pattern.compile("^type=(\\S+) msg=audit\\((\\d+\\.\\d{3}):(\\d+)\\): ?");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every kind of bad line inserted. */
    enum Damage {
        TRUNCATED, GARBAGE, NUL_BYTES, INVALID_UTF8, UNBALANCED_QUOTE, NO_MSG, BAD_MSG, OVER_1_MIB,
        EOE_UNKNOWN, EOE_FINISHED, AFTER_EOE, DUPLICATE
    }

    record Inserted(int lineNumber, Damage kind, byte[] line) {
    }

    /** Damage that can never read as a record of an event already emitted. */
    private static final java.util.Set<Damage> ALWAYS_LOGGED = java.util.EnumSet.of(Damage.GARBAGE, Damage.NO_MSG,
            Damage.BAD_MSG, Damage.OVER_1_MIB, Damage.EOE_UNKNOWN, Damage.DUPLICATE);

    @TempDir
    Path dir;

    @Test
    void damagedLinesGoToTheParseErrorLogAndEveryOtherEventIsAsFromTheCleanCapture() throws Exception {
        List<byte[]> clean = lines(Files.readAllBytes(TestData.capture()));
        List<Inserted> damage = new ArrayList<>();
        byte[] damaged = damage(clean, new Random(SEED), damage);
        Path cleanFile = write("clean.log", join(clean));
        Path damagedFile = write("damaged.log", damaged);

        Run reference = laurel(cleanFile, "clean");
        Run run = laurel(damagedFile, "damaged");

        assertThat(reference.status).as(reference.err).isZero();
        assertThat(run.status).as(run.err).isZero();
        assertThat(reference.events).hasSize(1076);
        assertThat(Files.size(reference.errorLog)).as("the clean capture has no bad line").isZero();
        for (byte[] line : lines(run.output)) {
            assertThat(utf8(line)).as("valid UTF-8").isTrue();
            assertThat(JSON.readTree(line).isObject()).isTrue();
        }
        // the events of the clean capture in their order, and besides them only second events
        // of ids already emitted, made of damaged lines that still read as records
        List<String> extra = new ArrayList<>();
        int matched = 0;
        for (String e : run.events) {
            if (matched < reference.events.size() && e.equals(reference.events.get(matched))) {
                matched++;
            } else {
                extra.add(e);
            }
        }
        assertThat(matched).as("every event as from the clean capture, in order (seed %x)", SEED)
                .isEqualTo(reference.events.size());
        java.util.Set<String> extraIds = new java.util.HashSet<>();
        for (String e : extra) {
            extraIds.add(JSON.readTree(e).path("ID").asText());
        }
        java.util.Set<String> cleanIds = new java.util.HashSet<>();
        for (String e : reference.events) {
            cleanIds.add(JSON.readTree(e).path("ID").asText());
        }
        assertThat(cleanIds).as("second events only of ids already emitted").containsAll(extraIds);

        Map<Damage, Integer> kinds = new EnumMap<>(Damage.class);
        damage.forEach(d -> kinds.merge(d.kind, 1, Integer::sum));
        assertThat(kinds.keySet()).containsExactlyInAnyOrder(Damage.values());
        Map<Integer, String[]> logged = new HashMap<>();
        for (byte[] entry : lines(Files.readAllBytes(run.errorLog))) {
            String[] parts = new String(entry, StandardCharsets.US_ASCII).split("\t", 3);
            assertThat(parts).hasSize(3);
            assertThat(logged.put(Integer.parseInt(parts[0]), parts)).as("one entry per line").isNull();
        }
        assertThat(damage.stream().map(Inserted::lineNumber).toList()).as("only damaged lines are logged")
                .containsAll(logged.keySet());
        int written = 0;
        for (Inserted d : damage) {
            String[] entry = logged.get(d.lineNumber);
            if (entry == null) {
                // not logged: a record (or EOE) of an id already emitted, written as a second event
                written++;
                assertThat(ALWAYS_LOGGED).as(d.kind + " at line " + d.lineNumber + " is logged").doesNotContain(d.kind);
                dev.laurel.engine.parse.ParsedRecord r = new dev.laurel.engine.parse.LineParser().parse(d.line, 0, d.line.length);
                assertThat(r).as(d.kind + " at line " + d.lineNumber + " reads as a record").isNotNull();
                assertThat(extraIds).as(d.kind + " at line " + d.lineNumber + " is in a second event").contains(r.id().toString());
                continue;
            }
            String why = d.kind + " at line " + d.lineNumber + ": " + entry[1];
            assertThat(entry[1]).as(why).isNotBlank().isNotEqualTo("unknown");
            if (d.kind == Damage.OVER_1_MIB) {
                assertThat(entry[1]).as(why).contains("longer than 1048576 bytes");
                assertThat(entry[2]).as(why).startsWith(escaped(d.line, 64 * 1024)).endsWith("more bytes)");
            } else {
                assertThat(entry[2]).as(why).isEqualTo(escaped(d.line, d.line.length));
            }
            switch (d.kind) {
                case EOE_UNKNOWN -> assertThat(entry[1]).as(why).isEqualTo("EOE for an event that is not pending");
                case EOE_FINISHED -> assertThat(entry[1]).as(why).isEqualTo("EOE for an event already completed by its EOE");
                case AFTER_EOE -> assertThat(entry[1]).as(why).isEqualTo("duplicate of a record of its event");
                case NO_MSG -> assertThat(entry[1]).as(why).startsWith("no msg=audit(");
                case BAD_MSG -> assertThat(entry[1]).as(why).startsWith("bad ");
                default -> { }
            }
        }
        assertThat(written).as("records after their event's EOE are written").isPositive();
        System.out.println("DamagedCaptureTest: " + damage.size() + " damaged lines " + kinds
                + " among " + clean.size() + " clean lines; " + reference.events.size() + " events as clean, and "
                + extra.size() + " second events of " + written + " damaged lines read as records of emitted events");
    }

    /** The capture with a damaged line after about every eighth line; {@code inserted} says which. */
    private static byte[] damage(List<byte[]> clean, Random random, List<Inserted> inserted) {
        Map<String, Integer> eoeAt = new HashMap<>();
        Map<String, List<Integer>> linesOf = new HashMap<>();
        for (int i = 0; i < clean.size(); i++) {
            Matcher m = header(clean.get(i));
            String id = m.group(2) + ":" + m.group(3);
            linesOf.computeIfAbsent(id, k -> new ArrayList<>()).add(i);
            if (m.group(1).equals("EOE")) {
                eoeAt.put(id, i);
            }
        }
        List<Integer> finishedLines = new ArrayList<>();   // lines of events whose EOE has passed
        List<Integer> finishedEoes = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lineNumber = 0;
        int longOnes = 0;
        int next = 0;
        for (int i = 0; i < clean.size(); i++) {
            byte[] line = clean.get(i);
            out.writeBytes(line);
            out.write('\n');
            lineNumber++;
            Matcher m = header(line);
            String id = m.group(2) + ":" + m.group(3);
            if (eoeAt.getOrDefault(id, -1) == i) {
                for (int j : linesOf.get(id)) {
                    (j == i ? finishedEoes : finishedLines).add(j);
                }
            }
            if (random.nextInt(8) != 0 || finishedEoes.isEmpty()) {
                continue;
            }
            Damage kind = Damage.values()[next++ % Damage.values().length];
            if (kind == Damage.OVER_1_MIB && longOnes++ >= 3) {
                kind = Damage.GARBAGE;
            }
            byte[] source = clean.get(pick(finishedLines, random));
            byte[] bad = switch (kind) {
                case TRUNCATED -> java.util.Arrays.copyOf(source, 1 + random.nextInt(source.length - 1));
                case GARBAGE -> garbage(random);
                case NUL_BYTES -> insert(source, random, new byte[] {0}, 1 + random.nextInt(3));
                case INVALID_UTF8 -> insert(source, random, new byte[][] {{(byte) 0xff}, {(byte) 0xc3, 0x28},
                    {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80}}
                    [random.nextInt(4)], 1 + random.nextInt(2));
                case UNBALANCED_QUOTE -> insert(source, random, new byte[] {random.nextBoolean() ? (byte) '"' : (byte) '\''}, 1);
                case NO_MSG -> withoutMsg(source);
                case BAD_MSG -> badMsg(source, random);
                case OVER_1_MIB -> {
                    byte[] big = java.util.Arrays.copyOf(source, (1 << 20) + 1000 + random.nextInt(200_000));
                    java.util.Arrays.fill(big, source.length, big.length, (byte) 'A');
                    yield big;
                }
                case EOE_UNKNOWN -> ("type=EOE msg=audit(" + m.group(2) + ":" + (900_000_000 + i) + "): ")
                        .getBytes(StandardCharsets.US_ASCII);
                case EOE_FINISHED -> clean.get(pick(finishedEoes, random));
                case AFTER_EOE -> source;
                case DUPLICATE -> line;
            };
            out.writeBytes(bad);
            out.write('\n');
            lineNumber++;
            inserted.add(new Inserted(lineNumber, kind, bad));
        }
        return out.toByteArray();
    }

    /** One of the latest 300 of {@code from}: within the assembler's memory of emitted events. */
    private static int pick(List<Integer> from, Random random) {
        return from.get(from.size() - 1 - random.nextInt(Math.min(300, from.size())));
    }

    private static byte[] garbage(Random random) {
        byte[] b = new byte[1 + random.nextInt(300)];
        random.nextBytes(b);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                b[i] = 0;
            }
        }
        return b;
    }

    private static byte[] insert(byte[] line, Random random, byte[] what, int times) {
        byte[] b = line;
        for (int t = 0; t < times; t++) {
            int at = random.nextInt(b.length + 1);
            byte[] c = new byte[b.length + what.length];
            System.arraycopy(b, 0, c, 0, at);
            System.arraycopy(what, 0, c, at, what.length);
            System.arraycopy(b, at, c, at + what.length, b.length - at);
            b = c;
        }
        return b;
    }

    private static byte[] withoutMsg(byte[] line) {
        String s = new String(line, StandardCharsets.ISO_8859_1);
        return s.replaceFirst(" msg=audit\\([^)]*\\): ?", " ").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] badMsg(byte[] line, Random random) {
        String s = new String(line, StandardCharsets.ISO_8859_1);
        Matcher m = header(line);
        String[] bad = {
            "msg=audit(" + m.group(2).replace('.', ':') + "):",              // no milliseconds
            "msg=audit(" + m.group(2).substring(0, m.group(2).length() - 1) + ":" + m.group(3) + "):",
            "msg=audit(" + m.group(2) + ":):",
            "msg=audit(" + m.group(2) + ":" + m.group(3) + ")",
            "msg=audit(x" + m.group(2) + ":" + m.group(3) + "):",
            "msg=audit(" + m.group(2) + ":" + m.group(3) + "9999999999999999999):",
        };
        String header = "msg=audit(" + m.group(2) + ":" + m.group(3) + "):";
        return s.replace(header, bad[random.nextInt(bad.length)]).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Matcher header(byte[] line) {
        Matcher m = HEADER.matcher(new String(line, StandardCharsets.ISO_8859_1));
        assertThat(m.find()).as(new String(line, StandardCharsets.ISO_8859_1)).isTrue();
        return m;
    }

    /** The parse-error log's spelling of a line: printable ASCII but backslash, else {@code \xHH}. */
    private static String escaped(byte[] line, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, line.length); i++) {
            int b = line[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.toString();
    }

    record Run(int status, String err, byte[] output, List<String> events, Path errorLog) {
    }

    private Run laurel(Path input, String name) throws IOException {
        Path output = dir.resolve(name + ".jsonl");
        Path errorLog = dir.resolve(name + ".errors");
        Path config = write(name + ".yaml", ("""
                input: "%s"
                proc-root: none
                diagnostics:
                  log: stderr
                  log-level: warn
                  parse-error-log: "%s"
                enrichers:
                  - type: hex-decoder
                sinks:
                  - type: json-file
                    file: "%s"
                """).formatted(input, errorLog, output).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--config", config.toString()}, new PrintStream(out, true),
                new PrintStream(err, true));
        byte[] json = Files.readAllBytes(output);
        List<String> events = new ArrayList<>();
        for (byte[] line : lines(json)) {
            events.add(new String(line, StandardCharsets.UTF_8));
        }
        return new Run(status, err.toString(StandardCharsets.UTF_8), json, events, errorLog);
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static List<byte[]> lines(byte[] data) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(data, start, i));
                start = i + 1;
            }
        }
        if (start < data.length) {
            lines.add(java.util.Arrays.copyOfRange(data, start, data.length));
        }
        return lines;
    }

    private static byte[] join(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.writeBytes(line);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static boolean utf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
