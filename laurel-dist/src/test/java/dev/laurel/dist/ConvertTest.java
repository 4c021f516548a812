package dev.laurel.dist;

import dev.laurel.engine.cli.Main;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code laurel convert} on a rotated set gives the events of the one stream they were cut from. */
class ConvertTest {
    private static final Path CAPTURE = TestData.root().resolve("testdata/real-enriched.log");
    private static final Path REFERENCE = TestData.root().resolve("testdata/real-enriched.laurel-0.5.1.jsonl");

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    private static Result laurel(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The capture cut mid-event into audit.log.2.gz (oldest), audit.log.1 and audit.log. */
    private List<Path> rotatedSet() throws Exception {
        byte[] all = Files.readAllBytes(CAPTURE);
        int first = cutAfterLine(all, all.length / 3 + 7);
        int second = cutAfterLine(all, 2 * all.length / 3 + 11);
        Path oldest = dir.resolve("audit.log.2.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(oldest))) {
            gz.write(all, 0, first);
        }
        Path middle = Files.write(dir.resolve("audit.log.1"), java.util.Arrays.copyOfRange(all, first, second));
        Path newest = Files.write(dir.resolve("audit.log"), java.util.Arrays.copyOfRange(all, second, all.length));
        return List.of(newest, middle, oldest);   // as a shell glob lists them
    }

    private static int cutAfterLine(byte[] bytes, int from) {
        int i = from;
        while (bytes[i] != '\n') {
            i++;
        }
        return i + 1;
    }

    @Test
    void aRotatedSetGivesTheSameEventsAsTheOneStreamInOrder() throws Exception {
        List<Path> logs = rotatedSet();
        Path out = dir.resolve("out.jsonl");

        Result r = laurel("convert", "-o", out.toString(), logs.get(0).toString(), logs.get(1).toString(),
                logs.get(2).toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).as("LAUREL 0.5.1's output for the whole capture")
                .isEqualTo(Files.readAllLines(REFERENCE, StandardCharsets.UTF_8));
        assertThat(r.err()).contains("laurel: converted 3 files: 5199 lines, 1076 events, 0 errors");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void usesAConfigsEnrichersButWritesOnlyTheOutput() throws Exception {
        Path theirLog = dir.resolve("live.jsonl");
        Path config = Files.writeString(dir.resolve("laurel.yaml"), """
                state: %s
                enrichers:
                  - type: hex-decoder
                  - type: key-labeler
                    label-keys: [software_mgmt]
                sinks:
                  - type: json-file
                    file: %s
                """.formatted(dir.resolve("state"), theirLog));
        Path out = dir.resolve("labelled.jsonl");

        Result r = laurel("convert", "--config", config.toString(), "--output", out.toString(), CAPTURE.toString());

        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1076).anySatisfy(l -> assertThat(l).contains("\"LABELS\":[\"software_mgmt\"]"));
        assertThat(theirLog).as("the config's own sink is not used").doesNotExist();
        assertThat(dir.resolve("state")).as("nor its state").doesNotExist();
    }

    @Test
    void anUnreadableInputFailsBeforeWritingAnything() {
        Path out = dir.resolve("out.jsonl");

        Result r = laurel("convert", "-o", out.toString(), dir.resolve("absent.log").toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("cannot read " + dir.resolve("absent.log"));
        assertThat(out).doesNotExist();
    }

    @Test
    void aConfigThatIsNotYamlIsReportedAtItsPlaceBeforeWritingAnything() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Path syntax = Files.writeString(dir.resolve("syntax.yaml"), "enrichers: [a, b\nsinks: []\n");
        Path latin1 = Files.write(dir.resolve("latin1.yaml"),
                "enrichers:\n  - type: hex-decoder\n    # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        Result r = laurel("convert", "--config", syntax.toString(), "-o", out.toString(), CAPTURE.toString());
        assertThat(r.status()).isEqualTo(78);
        assertThat(r.err()).isEqualTo(syntax + ":2:6: invalid YAML: expected ',' or ']', but got :"
                + " (while parsing a flow sequence started at line 1, column 12)\n");
        r = laurel("convert", "--config", latin1.toString(), "-o", out.toString(), CAPTURE.toString());
        assertThat(r.status()).isEqualTo(78);
        assertThat(r.err()).startsWith(latin1 + ":3:10: the file is not UTF-8 from the byte 0xE9 here");
        assertThat(out).doesNotExist();
    }

    @Test
    void convertsToAnotherFormatWithTheSameEvents() throws Exception {
        Path out = dir.resolve("ecs.jsonl");

        Result r = laurel("convert", "--format", "ecs", "-o", out.toString(), CAPTURE.toString());

        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1076).allSatisfy(l -> assertThat(l).startsWith("{\"@timestamp\":\"2026-11-25T"));
        assertThat(r.err()).contains("laurel: converted 1 file: 5199 lines, 1076 events, 0 errors");
    }

    @Test
    void convertsToOcsfWithTheSameEventsInTheirClasses() throws Exception {
        Path out = dir.resolve("ocsf.jsonl");

        Result r = laurel("convert", "--format", "ocsf", "-o", out.toString(), CAPTURE.toString());

        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1076).allSatisfy(l -> assertThat(l).startsWith("{\"class_uid\":"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("{\"class_uid\":1007,\"category_uid\":1,"
                + "\"activity_id\":1,\"activity_name\":\"Launch\",\"type_uid\":100701,")
                .contains("\"uid\":\"1795636827.735:307\"", "\"cmd_line\":\"perl -e use Socket;"));
        assertThat(r.err()).contains("laurel: converted 1 file: 5199 lines, 1076 events, 0 errors");
    }

    @Test
    void anUnknownFormatIsAUsageErrorNamingTheClosest() {
        Path out = dir.resolve("out.jsonl");

        Result r = laurel("convert", "--format", "esc", "-o", out.toString(), CAPTURE.toString());

        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).contains("laurel: --format: unknown format \"esc\"; available formats: ecs, laurel, ocsf");
        assertThat(r.err()).contains("did you mean \"ecs\"?");
        assertThat(out).doesNotExist();
    }
}
