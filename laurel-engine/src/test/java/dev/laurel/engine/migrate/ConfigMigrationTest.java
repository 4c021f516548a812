package dev.laurel.engine.migrate;

import dev.laurel.engine.cli.Main;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigMigrationTest {
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

    /**
     * Migrates through the command line. (laurel-dist's MigrateConfigTest checks the results with
     * --dry-run, where the built-in plugins are on the class path.)
     */
    private Result migrate(String toml) throws Exception {
        Path source = Files.writeString(dir.resolve("config.toml"), toml);
        Result migrated = laurel("migrate-config", source.toString());
        assertThat(migrated.status()).as(migrated.err()).isZero();
        return migrated;
    }

    @Test
    void theReferenceConfigBecomesTheHexDecoderAndStdout() throws Exception {
        Result r = migrate(Files.readString(TestData.root().resolve("testdata/laurel-0.5.1-reference.toml")));

        String enrichers = r.out().substring(r.out().indexOf("enrichers:"), r.out().indexOf("sinks:"));
        assertThat(enrichers).contains("- type: hex-decoder").doesNotContain("parent-info", "container", "script",
                "execve-env", "translate");
        assertThat(r.out()).contains("- type: json-file\n    file: \"-\"\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void anEmptyConfigGetsLaurelsDefaults() {
        ConfigMigration m = ConfigMigration.of(Map.of(), "empty.toml");

        assertThat(m.yaml()).contains("- type: execve-env\n    variables: ['LD_PRELOAD', 'LD_LIBRARY_PATH']",
                "- type: container", "- type: script", "- type: parent-info\n    style: laurel",
                "file: 'audit.log'\n    size: 10485760\n    generations: 5");
        assertThat(m.notes()).isEmpty();
    }

    @Test
    void migratesEverySectionAndNotesWhatHasNoEquivalent() throws Exception {
        Result r = migrate("""
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
                execve-env = [ "LD_PRELOAD" ]
                container = true
                script = true

                [label-process]
                label-keys = [ "software_mgmt" ]
                label-exe.'^/usr/lib/jvm/.*/bin/java$' = 'java'
                unlabel-exe."bin/php$" = "java"
                label-script.'^/root/maint-.*[.]sh$' = "maint"
                propagate-labels = [ "software_mgmt", "java" ]

                [filter]
                filter-keys = [ "filter-this" ]
                filter-labels = [ "software_mgmt" ]

                [debug]
                dump-state-period = 120

                [shiny-new-section]
                option = 1
                """.formatted(dir));

        assertThat(r.out()).contains("user: 'root'", "status-report-period: 600s",
                "- type: translate\n    universal: true\n    user-db: true\n    sockaddr: object",
                "- type: execve-transform\n    execve-argv: ['array', 'string']\n    execve-argv-limit-bytes: 10000",
                "variables: ['LD_PRELOAD']",
                "- type: key-labeler\n    label-keys: ['software_mgmt']\n    propagate-labels: ['software_mgmt', 'java']",
                "      '^/usr/lib/jvm/.*/bin/java$': 'java'", "      '^/root/maint-.*[.]sh$': 'maint'",
                "- type: filter\n    keys: ['filter-this']\n    labels: ['software_mgmt']",
                "file: '" + dir.resolve("audit.log") + "'\n    size: 5000000\n    generations: 10\n    line-prefix: '@cee: '");
        assertThat(r.out().indexOf("type: key-labeler")).as("labels before the filter that uses them")
                .isLessThan(r.out().indexOf("type: filter"));
        assertThat(r.err()).contains("auditlog.read-users [splunk]: laurel does not set POSIX ACLs",
                "debug.dump-state-period: no equivalent", "shiny-new-section.option: not a LAUREL 0.5.1 setting");
        assertThat(r.out()).contains("# Not carried over, or different in laurel:", "#   - debug.dump-state-period");
    }

    @Test
    void aTomlSyntaxErrorExits78WithItsLine() throws Exception {
        Path source = Files.writeString(dir.resolve("bad.toml"), "[enrich]\npid = yes\n");

        Result r = laurel("migrate-config", source.toString());

        assertThat(r.status()).isEqualTo(78);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(source + ":2: expected a value");
    }
}
