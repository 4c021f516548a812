package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/laurel convert} and {@code bin/laurel migrate-config} as users run them: the
 * unpacked distribution in a separate process (after {@code package}).
 */
class ConvertIT {
    private static final Path ROOT = TestData.root();
    private static final Path LAUREL = Path.of(System.getProperty("laurel.dist", "target/laurel"))
            .toAbsolutePath().resolve("bin/laurel");
    private static final Path CAPTURE = ROOT.resolve("testdata/real-enriched.log");
    private static final Path REFERENCE = ROOT.resolve("testdata/real-enriched.laurel-0.5.1.jsonl");

    @TempDir
    Path tmp;

    record Run(int status, String err) {
    }

    private Run laurel(Path stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUREL.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        pb.redirectOutput(tmp.resolve("stdout").toFile());
        pb.redirectError(tmp.resolve("stderr").toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("laurel did not finish within 120 s");
        }
        return new Run(p.exitValue(), Files.readString(tmp.resolve("stderr"), StandardCharsets.UTF_8));
    }

    @Test
    void convertsStandardInputToStandardOutputQuietly() throws Exception {
        Run r = laurel(CAPTURE, "convert", "-");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(Files.readAllBytes(tmp.resolve("stdout"))).isEqualTo(Files.readAllBytes(REFERENCE));
    }

    @Test
    void dashAsOutputIsStandardOutputInsteadOfTheConfigsSinks() throws Exception {
        Path configured = tmp.resolve("configured.jsonl");
        Path config = tmp.resolve("laurel.yaml");
        Files.writeString(config, "enrichers: [{type: hex-decoder}]\nsinks: [{type: json-file, file: " + configured + "}]\n");
        Run r = laurel(null, "convert", "-c", config.toString(), CAPTURE.toString(), "-");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(configured).doesNotExist();
        assertThat(Files.readAllBytes(tmp.resolve("stdout"))).isEqualTo(Files.readAllBytes(REFERENCE));
    }

    @Test
    void migratedReferenceConfigPassesDryRunAndConverts() throws Exception {
        Path yaml = tmp.resolve("migrated.yaml");
        Run migrated = laurel(null, "migrate-config", ROOT.resolve("testdata/laurel-0.5.1-reference.toml").toString(),
                "-o", yaml.toString());
        assertThat(migrated.status()).as(migrated.err()).isZero();
        Run dryRun = laurel(null, "--config", yaml.toString(), "--dry-run");
        assertThat(dryRun.status()).as(dryRun.err()).isZero();
        Path out = tmp.resolve("out.jsonl");
        Run converted = laurel(null, "convert", "--config", yaml.toString(), CAPTURE.toString(), out.toString());
        assertThat(converted.status()).as(converted.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(REFERENCE));
    }

    @Test
    void helpListsBothCommands() throws Exception {
        Run r = laurel(null, "--help");
        assertThat(r.status()).isZero();
        String out = Files.readString(tmp.resolve("stdout"));
        assertThat(out).contains("migrate-config").contains("convert");
    }
}
