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

/** {@code laurel migrate-config} gives configs that the real loader accepts and that behave as LAUREL's. */
class MigrateConfigTest {
    private static final Path REFERENCE_TOML = TestData.root().resolve("testdata/laurel-0.5.1-reference.toml");
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

    private Path migrate(Path toml) throws Exception {
        Result migrated = laurel("migrate-config", toml.toString());
        assertThat(migrated.status()).as(migrated.err()).isZero();
        return Files.writeString(dir.resolve("laurel.yaml"), migrated.out());
    }

    @Test
    void theReferenceConfigMigratedGivesLaurelsReferenceOutputByteForByte() throws Exception {
        Path yaml = migrate(REFERENCE_TOML);
        assertThat(laurel("--config", yaml.toString(), "--dry-run").status()).isZero();
        Path out = dir.resolve("out.jsonl");
        // The same chain, reading the capture and writing a file (the test cannot give stdin).
        Path run = Files.writeString(dir.resolve("run.yaml"), "input: \"" + CAPTURE + "\"\n"
                + Files.readString(yaml).replace("file: \"-\"", "file: \"" + out + "\""));

        Result r = laurel("--config", run.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8))
                .isEqualTo(Files.readAllLines(REFERENCE, StandardCharsets.UTF_8));
    }

    @Test
    void aFullLaurelConfigMigratesToOneThatDryRunAccepts() throws Exception {
        Path toml = Files.writeString(dir.resolve("config.toml"), """
                directory = "%s"
                user = "root"
                statusreport-period = 600
                [auditlog]
                file = "audit.log"
                size = 5000000
                generations = 10
                read-users = [ "splunk" ]
                line-prefix = "@cee: "
                [transform]
                execve-argv = [ "array", "string" ]
                execve-argv-limit-bytes = 10000
                [translate]
                universal = true
                user-db = true
                [enrich]
                pid = true
                parent-info = true
                execve-env = [ "LD_PRELOAD", "LD_LIBRARY_PATH" ]
                container = true
                script = true
                [label-process]
                label-keys = [ "software_mgmt" ]
                label-exe.'^/opt/.*/bin/java$' = 'java'
                label-exe.'^/snap/amazon-ssm-agent/\\d+/' = 'amazon-ssm-agent'
                unlabel-exe."bin/php$" = "java"
                label-script.'^/root/maint-.*[.]sh$' = 'maint'
                propagate-labels = [ "software_mgmt", "amazon-ssm-agent" ]
                [filter]
                filter-keys = [ "filter-this" ]
                filter-labels = [ "software_mgmt" ]
                [debug.parse-error-log]
                file = "parse-error.log"
                """.formatted(dir));
        Path yaml = migrate(toml);

        Result r = laurel("--config", yaml.toString(), "--dry-run");

        assertThat(r.status()).as(Files.readString(yaml) + "\n" + r.err()).isZero();
        assertThat(Files.readString(yaml)).contains("style: both", "'^/snap/amazon-ssm-agent/\\d+/': 'amazon-ssm-agent'",
                "parse-error-log: '" + dir.resolve("parse-error.log") + "'");
    }
}
