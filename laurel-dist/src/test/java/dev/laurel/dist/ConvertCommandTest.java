package dev.laurel.dist;

import dev.laurel.engine.cli.Main;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code laurel convert}, in-process, with every built-in plugin on the class path. */
class ConvertCommandTest {
    static final Path CAPTURE = TestData.root().resolve("testdata/real-enriched.log");
    static final Path REFERENCE = TestData.root().resolve("testdata/real-enriched.laurel-0.5.1.jsonl");

    @TempDir
    Path tmp;

    record Result(int status, String out, String err, String systemErr) {
    }

    /** Runs laurel with these arguments; System.err is captured too (the progress bar's stream). */
    static Result laurel(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setErr(previous);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                systemErr.toString(StandardCharsets.UTF_8));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The event's SYSCALL.key, or "" without one. */
    static String syscallKey(String jsonLine) {
        try {
            return JSON.readTree(jsonLine).path("SYSCALL").path("key").asText("");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void defaultChainGivesLaurelsOutputByteForByteAndSaysNothing() throws Exception {
        Path out = tmp.resolve("out.jsonl");
        Result r = laurel("convert", CAPTURE.toString(), out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(1076);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(REFERENCE));
        assertThat(r.err()).isEmpty();
        assertThat(r.systemErr()).as("no progress bar when stderr is not a terminal").isEmpty();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void gzipCompressedInputIsDecompressed() throws Exception {
        Path gz = tmp.resolve("audit.log.2.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(CAPTURE, out);
        }
        Path out = tmp.resolve("out.jsonl");
        Result r = laurel("convert", gz.toString(), out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(REFERENCE));
    }

    @Test
    void emptyInputGivesEmptyOutput() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.log"));
        Path out = tmp.resolve("out.jsonl");
        Result r = laurel("convert", empty.toString(), out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(out).isEmptyFile();
    }

    @Test
    void overwritesAnExistingOutput() throws Exception {
        Path out = tmp.resolve("out.jsonl");
        Files.writeString(out, "old content that must go\n".repeat(10_000));
        Result r = laurel("convert", CAPTURE.toString(), out.toString());
        assertThat(r.status()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(REFERENCE));
    }

    @Test
    void progressBarAndSummaryWhenAsked() throws Exception {
        Path out = tmp.resolve("out.jsonl");
        Result r = laurel("convert", "--progress", CAPTURE.toString(), out.toString());
        assertThat(r.status()).isZero();
        assertThat(r.systemErr()).contains("convert").contains("100%");
        assertThat(r.err()).contains("5199 lines, 1076 events, 0 errors -> " + out);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(REFERENCE));
    }

    @Test
    void missingInputExits66WithAClearMessage() {
        Path missing = tmp.resolve("nope.log");
        Result r = laurel("convert", missing.toString(), tmp.resolve("out.jsonl").toString());
        assertThat(r.status()).isEqualTo(66);
        assertThat(r.err()).isEqualTo("laurel: cannot read " + missing + ": no such file\n");
        assertThat(tmp.resolve("out.jsonl")).doesNotExist();
    }

    @Test
    void directoryAsInputExits66() {
        Result r = laurel("convert", tmp.toString());
        assertThat(r.status()).isEqualTo(66);
        assertThat(r.err()).contains("cannot read " + tmp + ": is a directory");
    }

    @Test
    void outputReplacesTheConfigsSinksAndItsEnrichersRun() throws Exception {
        Path configured = tmp.resolve("configured.jsonl");
        Path config = tmp.resolve("laurel.yaml");
        Files.writeString(config, """
                proc-root: /proc
                enrichers:
                  - type: hex-decoder
                  - type: filter
                    keys: [software_mgmt]
                    keep-first-per-process: false
                sinks:
                  - type: json-file
                    file: %s
                """.formatted(configured));
        Path out = tmp.resolve("out.jsonl");
        Result r = laurel("convert", "--config", config.toString(), CAPTURE.toString(), out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(configured).doesNotExist();
        long keyed = Files.readAllLines(REFERENCE).stream().filter(l -> syscallKey(l).equals("software_mgmt")).count();
        assertThat(keyed).isPositive();
        assertThat(Files.readAllLines(out)).hasSize((int) (1076 - keyed))
                .noneMatch(l -> syscallKey(l).equals("software_mgmt"));
    }

    @Test
    void configWithoutOutputWritesToItsSinks() throws Exception {
        Path configured = tmp.resolve("configured.jsonl");
        Path config = tmp.resolve("laurel.yaml");
        Files.writeString(config, "enrichers: [{type: hex-decoder}]\nsinks: [{type: json-file, file: " + configured + "}]\n");
        Result r = laurel("convert", "-c", config.toString(), CAPTURE.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(configured)).isEqualTo(Files.readAllBytes(REFERENCE));
    }

    @Test
    void badConfigExits78WithItsProblems() throws Exception {
        Path config = tmp.resolve("laurel.yaml");
        Files.writeString(config, "enrichers: [{type: hex-decoderr}]\n");
        Result r = laurel("convert", "-c", config.toString(), CAPTURE.toString(), tmp.resolve("o").toString());
        assertThat(r.status()).isEqualTo(78);
        assertThat(r.err()).contains(config + ":1:").contains("hex-decoder");
    }
}
