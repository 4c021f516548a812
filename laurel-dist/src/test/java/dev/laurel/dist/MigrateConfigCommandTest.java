package dev.laurel.dist;

import dev.laurel.engine.config.ConfigErrors;
import dev.laurel.engine.config.ConfigLoader;
import dev.laurel.engine.config.LaurelConfig;
import dev.laurel.engine.plugin.PluginRegistry;
import dev.laurel.engine.process.ProcessTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.laurel.dist.InProcessLaurel.CAPTURE;
import static dev.laurel.dist.InProcessLaurel.REFERENCE;
import static dev.laurel.dist.InProcessLaurel.laurel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code laurel migrate-config}: the YAML it writes loads with every built-in plugin, and runs
 * the way LAUREL ran the TOML.
 */
class MigrateConfigCommandTest {
    private static final Path REFERENCE_TOML = InProcessLaurel.REFERENCE.getParent().resolve("laurel-0.5.1-reference.toml");
    /** LAUREL 0.8.2's shipped /etc/laurel/config.toml, unchanged. */
    private static final Path LAUREL_082_TOML = InProcessLaurel.REFERENCE.getParent().resolve("laurel-0.8.2-config.toml");

    @TempDir
    Path tmp;

    private Path resource(String name) throws IOException {
        Path file = tmp.resolve(name);
        String text = new String(MigrateConfigCommandTest.class.getResourceAsStream("migrate/" + name).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(file, text.replace("@DIR@", tmp.toString()));
        return file;
    }

    private static void assertLoads(Path yaml) throws Exception {
        try (LaurelConfig config = new ConfigLoader(PluginRegistry.discover(null), new ProcessTracker()).load(yaml)) {
            assertThat(config.enrichers()).isNotEmpty();
            assertThat(config.sinks()).isNotEmpty();
        } catch (ConfigErrors e) {
            fail("the migrated config does not load: " + e.getMessage() + "\n" + Files.readString(yaml));
        }
    }

    @Test
    void migratedReferenceConfigGivesLaurelsOutputForTheCapture() throws Exception {
        Path yaml = tmp.resolve("reference.yaml");
        InProcessLaurel.Result migrated = laurel("migrate-config", REFERENCE_TOML.toString(), "-o", yaml.toString());
        assertThat(migrated.status()).as(migrated.err()).isZero();
        assertThat(migrated.err()).isEmpty();
        assertLoads(yaml);
        Path out = tmp.resolve("out.jsonl");
        InProcessLaurel.Result converted = laurel("convert", "--config", yaml.toString(), "-o", out.toString(),
                CAPTURE.toString());
        assertThat(converted.status()).as(converted.err()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(1076);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(REFERENCE));
    }

    @Test
    void printsToStandardOutputWithoutDashO() {
        InProcessLaurel.Result r = laurel("migrate-config", REFERENCE_TOML.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("enrichers:").contains("- type: hex-decoder").contains("- type: json-file");
    }

    @Test
    void everyOptionConfigLoadsAndRunsOnTheCapture() throws Exception {
        Path toml = resource("all-options.toml");
        Path yaml = tmp.resolve("all-options.yaml");
        InProcessLaurel.Result r = laurel("migrate-config", toml.toString(), "-o", yaml.toString());
        assertThat(r.status()).as(r.err()).isZero();
        // notes only: every option of this file has an equivalent
        assertThat(r.err()).doesNotContain("warning:").contains(": note: ");
        assertLoads(yaml);
        Path out = tmp.resolve("out.jsonl");
        InProcessLaurel.Result converted = laurel("convert", "--config", yaml.toString(), "-o", out.toString(), CAPTURE.toString());
        assertThat(converted.status()).as(converted.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        // the filter drops the software_mgmt events (keep-first-per-process = false)
        assertThat(lines).isNotEmpty().hasSizeLessThan(1076).noneMatch(l -> InProcessLaurel.syscallKey(l).equals("software_mgmt"));
        assertThat(lines).anyMatch(l -> l.contains("\"ARGV_STR\":")).anyMatch(l -> l.contains("\"PPID\":{"));
        assertThat(Files.readAllLines(tmp.resolve("filtered.log"))).isEmpty();   // filtered events go to the live log only
    }

    /** {@code FILE:LINE: KIND: OPTION} of each notice printed on stderr, the message left out. */
    private static List<String> notices(InProcessLaurel.Result r, Path toml) {
        return r.err().lines().filter(l -> l.startsWith(toml + ":"))
                .map(l -> l.substring(toml.toString().length() + 1))
                .map(l -> String.join(": ", List.of(l.split(": ", 4)).subList(0, 3)))
                .toList();
    }

    /** Runs migrate-config from toml to yaml, which must succeed. */
    private static InProcessLaurel.Result migrateTo(Path toml, Path yaml) {
        InProcessLaurel.Result r = laurel("migrate-config", toml.toString(), "-o", yaml.toString());
        assertThat(r.status()).as(r.err()).isZero();
        return r;
    }

    /** The YAML loads with every built-in plugin, and {@code laurel --dry-run} accepts it. */
    private static void assertLoadsAndDryRunAccepts(Path yaml) throws Exception {
        assertLoads(yaml);
        InProcessLaurel.Result dryRun = laurel("--dry-run", "--config", yaml.toString());
        assertThat(dryRun.status()).as("%s%n%s", dryRun.err(), yaml).isZero();
    }

    @Test
    void laurel082ShippedConfigMigratesWithOnlyTheNotesItsOptionsNeed() throws Exception {
        // Only the directory is moved (to a temp dir) and the user left out (tests use no account of
        // this machine); every other line is LAUREL 0.8.2's sample as shipped.
        String sample = Files.readString(LAUREL_082_TOML);
        assertThat(sample).contains("directory = \"/var/log/laurel\"\n", "user = \"_laurel\"\n");
        Path toml = tmp.resolve("config.toml");
        Files.writeString(toml, sample.replace("directory = \"/var/log/laurel\"\n", "directory = \"" + tmp + "\"\n")
                .replace("user = \"_laurel\"\n", "\n"));
        Path yaml = tmp.resolve("config.yaml");
        InProcessLaurel.Result r = migrateTo(toml, yaml);
        // No warning: every option of the sample is carried over; each note names a real difference.
        // (LAUREL 0.8's layout: its pid, container, systemd and user-groups fields are written as it writes them)
        assertThat(notices(r, toml)).as(r.err()).containsExactly(
                "61: note: state.file");            // our state file is laurel.state
        assertThat(r.err()).doesNotContain("read-groups").doesNotContain("execve-env").doesNotContain("not a LAUREL option");
        String text = Files.readString(yaml);
        assertThat(text).contains("spawned-by: true").contains("variables: [LD_PRELOAD, LD_LIBRARY_PATH]")
                .contains("'^/snap/amazon-ssm-agent/\\d+/': amazon-ssm-agent")
                .contains("# Output layout: LAUREL 0.8's (the file sets input, which LAUREL 0.5.1 does not read).")
                .contains("ppid-verbose: false");
        assertThat(text.split("style: laurel-0.8", -1)).as(text).hasSize(6);  // hex-decoder, container, systemd, user-groups, parent-info
        assertLoadsAndDryRunAccepts(yaml);
    }

    @Test
    void configWithEveryLaurel08KeyMigratesAndDryRunAcceptsIt() throws Exception {
        Path toml = resource("laurel-0.8-keys.toml");
        Path yaml = tmp.resolve("laurel-0.8-keys.yaml");
        InProcessLaurel.Result r = migrateTo(toml, yaml);
        assertThat(notices(r, toml)).as(r.err()).containsExactly(
                "11: note: auditlog.read-groups",
                "33: note: enrich.uid-groups",
                "37: warning: enrich.prefix");
        String text = Files.readString(yaml);
        assertThat(text).contains("group: root").contains("mode: '0644'")
                .contains("- type: pipe").contains("command: [/bin/cat]").contains("line-prefix: '@cee: '")
                .contains("- type: exe-hash").contains("max-size: 1000000").contains("cache-size: 0")
                .contains("id: container-info").contains("ppid-verbose: true")
                .contains("variables: [LD_PRELOAD, 'LC_*']");
        assertLoadsAndDryRunAccepts(yaml);

        // The same with the filter log on a unix socket.
        Files.writeString(toml, Files.readString(toml).replace("file = \"| /bin/cat\"",
                "file = \"unix:" + tmp.resolve("events.sock") + "\""));
        migrateTo(toml, yaml);
        assertThat(Files.readString(yaml)).contains("- type: unix-socket").contains("path: " + tmp.resolve("events.sock"));
        assertLoadsAndDryRunAccepts(yaml);
    }

    @Test
    void optionsWithoutEquivalentAreWarnedOnStderrAndTheRestLoads() throws Exception {
        Path toml = resource("unsupported.toml");
        Path yaml = tmp.resolve("unsupported.yaml");
        InProcessLaurel.Result r = laurel("migrate-config", toml.toString(), "-o", yaml.toString());
        assertThat(r.status()).isZero();
        assertThat(r.err().lines()).contains(
                toml + ":8: warning: auditlog.read-users: laurel sets no POSIX ACLs; give the readers a group and"
                        + " set it with group: (and mode:) on this sink");
        assertThat(r.err().lines().filter(l -> l.contains(": warning: "))).hasSize(4);
        String text = Files.readString(yaml);
        assertThat(text).doesNotContain("NOT MIGRATED: marker").contains("# NOT MIGRATED: auditlog.read-users (line 8)")
                .contains("# NOT MIGRATED: enrich.prefix (line 14)").contains("# NOT MIGRATED: debug.log (line 10)")
                .contains("# NOT MIGRATED: bogus (line 4)");
        assertLoads(yaml);
        assertThat(laurel("migrate-config", "--strict", toml.toString(), "-o", yaml.toString()).status()).isEqualTo(1);
    }

    @Test
    void invalidTomlExits65WithTheLine() throws Exception {
        Path toml = tmp.resolve("bad.toml");
        Files.writeString(toml, "user = \"x\"\n[enrich\npid = true\n");
        InProcessLaurel.Result r = laurel("migrate-config", toml.toString(), "-o", tmp.resolve("x.yaml").toString());
        assertThat(r.status()).isEqualTo(65);
        assertThat(r.err()).startsWith(toml + ":2:").contains("invalid TOML");
        assertThat(tmp.resolve("x.yaml")).doesNotExist();
    }

    @Test
    void notUtf8Exits65WithTheLine() throws Exception {
        Path toml = tmp.resolve("latin1.toml");
        Files.write(toml, "user = \"x\"\nmarker = \"caf\u00e9\"\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        InProcessLaurel.Result r = laurel("migrate-config", toml.toString());
        assertThat(r.status()).isEqualTo(65);
        assertThat(r.err()).startsWith(toml + ":2:0: not UTF-8 text");
    }

    @Test
    void missingFileExits66() {
        InProcessLaurel.Result r = laurel("migrate-config", tmp.resolve("none.toml").toString());
        assertThat(r.status()).isEqualTo(66);
        assertThat(r.err()).contains("no such file");
    }

    /** Random LAUREL configs from every option and a few values each: the YAML always loads. */
    @Test
    void randomConfigsAlwaysLoad() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String[][] options = {
            {null, "user = \"_laurel\"", "statusreport-period = 60", "input = \"unix:/run/laurel.sock\"", "marker = \"m\""},
            {"auditlog", "file = \"audit.log\"", "file = \"-\"", "size = 1000", "generations = 0", "generations = 3",
                "read-users = [\"splunk\"]", "line-prefix = \"@cee: \"", "read-groups = [\"adm\", \"wheel\"]", "read-other = true",
                "file = \"| /bin/cat\"", "file = \"unix:/run/laurel-test.sock\""},
            {"filterlog", "file = \"filtered.log\"", "size = 1000", "generations = 2"},
            {"state", "file = \"state\"", "file = \"\"", "max-age = 0", "max-age = 30", "write-state-period = 10",
                "generations = 2"},
            {"debug", "dump-state-period = 5"},
            {"transform", "execve-argv = []", "execve-argv = [\"string\"]", "execve-argv = [\"array\", \"string\"]",
                "execve-argv-limit-bytes = 0", "execve-argv-limit-bytes = 100"},
            {"translate", "universal = true", "user-db = true", "drop-raw = true", "universal = false"},
            {"enrich", "pid = false", "parent-info = true", "execve-env = []", "execve-env = [\"PATH\", \"LC_*\"]",
                "container = false", "systemd = true", "script = false", "user-groups = true", "prefix = \"x_\"",
                "container_info = true", "uid-groups = true", "ppid-verbose = true", "spawned-by = true",
                "exe-hash = true", "exe-hash-size-limit = 0", "exe-hash-cache-entries = 10"},
            {"label-process", "label-keys = [\"software_mgmt\"]", "propagate-labels = [\"software_mgmt\"]",
                "label-exe.'^/usr/bin/' = \"usr\"", "unlabel-exe.'sh$' = \"usr\"", "label-argv.'-c' = \"c\"",
                "label-script.'[.]sh$' = \"script\"", "label-argv-count = 0", "label-argv-bytes = 100"},
            {"filter", "filter-keys = [\"k\"]", "filter-labels = [\"usr\"]", "filter-null-keys = true",
                "filter-sockaddr = [\"10.0.0.0/8\", \"*:53\"]", "filter-raw-lines = [\"^type=CWD\"]",
                "keep-first-per-process = false", "filter-action = \"log\"", "filter-action = \"drop\""},
        };
        ConfigLoader loader = new ConfigLoader(PluginRegistry.discover(null), new ProcessTracker());
        for (int i = 0; i < 60; i++) {
            StringBuilder toml = new StringBuilder("directory = \"" + tmp.resolve("run" + i) + "\"\n");
            Files.createDirectories(tmp.resolve("run" + i));
            for (String[] section : options) {
                if (section[0] != null && random.nextInt(4) == 0) {
                    continue;
                }
                List<String> lines = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                for (int j = 1; j < section.length; j++) {
                    String key = section[j].substring(0, section[j].indexOf(' '));
                    if (random.nextInt(3) == 0 && !keys.contains(key)) {
                        keys.add(key);
                        lines.add(section[j]);
                    }
                }
                // the main section's keys must come before any table header
                if (section[0] == null) {
                    lines.forEach(l -> toml.append(l).append('\n'));
                } else {
                    toml.append('[').append(section[0]).append("]\n");
                    lines.forEach(l -> toml.append(l).append('\n'));
                }
            }
            Path tomlFile = tmp.resolve("random" + i + ".toml");
            Files.writeString(tomlFile, toml);
            Path yaml = tmp.resolve("random" + i + ".yaml");
            InProcessLaurel.Result r = laurel("migrate-config", tomlFile.toString(), "-o", yaml.toString());
            assertThat(r.status()).as("seed %d, config:%n%s%n%s", seed, toml, r.err()).isZero();
            try (LaurelConfig config = loader.load(yaml)) {
                assertThat(config.sinks()).as("seed %d", seed).isNotEmpty();
            } catch (ConfigErrors e) {
                fail("seed " + seed + ": the migrated config does not load: " + e.getMessage() + "\nTOML:\n" + toml
                        + "\nYAML:\n" + Files.readString(yaml));
            }
        }
    }
}
