package dev.laurel.engine.migrate;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class LaurelConfigMigrationTest {

    private static Migration migrate(String toml) throws LaurelConfigException {
        return LaurelConfigMigration.migrate(toml, "laurel.toml");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Migration m) {
        return (Map<String, Object>) new Yaml().load(m.yaml());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chain(Migration m, String section) {
        return (List<Map<String, Object>>) yaml(m).get(section);
    }

    private static Map<String, Object> entry(Migration m, String section, String type) {
        return chain(m, section).stream().filter(e -> type.equals(e.get("type"))).findFirst().orElse(null);
    }

    private static List<Object> types(Migration m, String section) {
        return chain(m, section).stream().map(e -> e.get("type")).toList();
    }

    @Test
    void referenceConfigBecomesHexDecoderAndStdout() throws Exception {
        Migration m = migrate("directory = \"/tmp/ref\"\n[auditlog]\nfile = \"-\"\n[enrich]\npid = false\n"
                + "execve-env = []\ncontainer = false\nscript = false\n");
        assertThat(types(m, "enrichers")).containsExactly("hex-decoder");
        assertThat(chain(m, "sinks")).containsExactly(Map.of("type", "json-file", "file", "-"));
        assertThat(yaml(m)).containsEntry("input", "-");
        assertThat(m.notices()).isEmpty();
    }

    @Test
    void emptyFileGetsLaurel051Defaults() throws Exception {
        Migration m = migrate("");
        assertThat(types(m, "enrichers")).containsExactly("hex-decoder", "execve-env", "script", "container",
                "parent-info");
        assertThat(entry(m, "enrichers", "execve-env")).containsEntry("variables", List.of("LD_PRELOAD", "LD_LIBRARY_PATH"))
                .containsEntry("unreadable", "empty").containsEntry("report-errors", false);
        assertThat(entry(m, "enrichers", "script")).containsEntry("interpreters", List.of());
        assertThat(entry(m, "enrichers", "parent-info")).containsEntry("style", "laurel").containsEntry("spawned-by", false);
        assertThat(chain(m, "sinks")).containsExactly(Map.of("type", "json-file", "file", "audit.log",
                "size", 10485760, "generations", 5));
    }

    @Test
    void mapsEveryOptionWithAnEquivalent() throws Exception {
        Migration m = migrate("""
                directory = "/var/log/laurel"
                user = "_laurel"
                input = "unix:/var/run/laurel.sock"
                statusreport-period = 30
                [auditlog]
                file = "audit.log"
                size = 5000000
                generations = 10
                line-prefix = "@cee: "
                read-groups = ["adm"]
                read-other = true
                [filterlog]
                file = "/srv/filtered.log"
                [debug.parse-error-log]
                file = "parse-error.log"
                [state]
                file = "/var/lib/laurel/laurel.state"
                max-age = 120
                write-state-period = 30
                [transform]
                execve-argv = ["string", "array"]
                execve-argv-limit-bytes = 10000
                [translate]
                universal = true
                user-db = true
                drop-raw = true
                [enrich]
                execve-env = ["LD_PRELOAD"]
                container = true
                systemd = true
                pid = true
                script = true
                user-groups = true
                [label-process]
                label-keys = ["software_mgmt"]
                propagate-labels = ["software_mgmt"]
                label-exe.'^/usr/bin/dpkg$' = "dpkg"
                unlabel-exe.'^/usr/bin/php$' = "dpkg"
                label-argv.'curl .* \\| sh' = "pipe-to-shell"
                unlabel-argv.'^true$' = "pipe-to-shell"
                label-script.'^/root/maint-.*[.]sh$' = "maint"
                unlabel-script.'^/tmp/' = "maint"
                label-argv-count = 8
                label-argv-bytes = 1024
                [filter]
                filter-keys = ["noise"]
                filter-labels = ["software_mgmt"]
                filter-null-keys = true
                filter-sockaddr = ["127.0.0.1", "*:53"]
                filter-raw-lines = ["^type=CRED_"]
                keep-first-per-process = false
                filter-action = "log"
                """);
        Map<String, Object> y = yaml(m);
        assertThat(y).containsEntry("user", "_laurel").containsEntry("input", "unix:/var/run/laurel.sock")
                .containsEntry("state", "/var/lib/laurel")
                .containsEntry("diagnostics", Map.of("status-report-period", "30s",
                        "parse-error-log", "/var/log/laurel/parse-error.log"))
                .containsEntry("limits", Map.of("state-max-age", "120s", "state-interval", "30s"));
        assertThat(types(m, "enrichers")).containsExactly("hex-decoder", "execve-transform", "translate", "execve-env",
                "script", "container", "systemd", "user-groups", "parent-info", "key-labeler", "filter");
        assertThat(entry(m, "enrichers", "execve-transform")).containsEntry("execve-argv", List.of("array", "string"))
                .containsEntry("execve-argv-limit-bytes", 10000);
        assertThat(entry(m, "enrichers", "translate")).containsEntry("universal", true).containsEntry("user-db", true)
                .containsEntry("sockaddr", "object").containsEntry("drop-raw", true);
        assertThat(entry(m, "enrichers", "execve-env")).containsEntry("variables", List.of("LD_PRELOAD"));
        // a file with LAUREL 0.6+ keys gets LAUREL 0.8's layout
        assertThat(entry(m, "enrichers", "parent-info")).containsEntry("style", "laurel-0.8");
        assertThat(entry(m, "enrichers", "key-labeler"))
                .containsEntry("label-keys", List.of("software_mgmt"))
                .containsEntry("propagate-labels", List.of("software_mgmt"))
                .containsEntry("label-exe", Map.of("^/usr/bin/dpkg$", "dpkg"))
                .containsEntry("unlabel-exe", Map.of("^/usr/bin/php$", "dpkg"))
                .containsEntry("label-argv", Map.of("curl .* \\| sh", "pipe-to-shell"))
                .containsEntry("unlabel-argv", Map.of("^true$", "pipe-to-shell"))
                .containsEntry("label-script", Map.of("^/root/maint-.*[.]sh$", "maint"))
                .containsEntry("unlabel-script", Map.of("^/tmp/", "maint"))
                .containsEntry("label-argv-count", 8).containsEntry("label-argv-bytes", 1024);
        assertThat(entry(m, "enrichers", "filter"))
                .containsEntry("keys", List.of("noise")).containsEntry("labels", List.of("software_mgmt"))
                .containsEntry("no-key", true).containsEntry("sockaddr", List.of("127.0.0.1", "*:53"))
                .containsEntry("raw-lines", List.of("^type=CRED_")).containsEntry("keep-first-per-process", false);
        assertThat(chain(m, "sinks")).containsExactly(
                Map.of("type", "json-file", "file", "/var/log/laurel/audit.log", "size", 5000000, "generations", 10,
                        "group", "adm", "mode", "0644", "line-prefix", "@cee: "),
                // a [filterlog] without size: LAUREL does not rotate it
                Map.of("type", "json-file", "id", "filtered", "events", "filtered", "file", "/srv/filtered.log"));
        assertThat(m.warnings()).isEmpty();
        assertThat(m.notices()).extracting(MigrationNotice::option)
                .containsExactly("auditlog.read-groups", "translate.universal");
    }

    @Test
    void optionsWithoutEquivalentAreWarnedWithTheirLineAndCommented() throws Exception {
        Migration m = migrate("""
                marker = "hello"
                [auditlog]
                file = "audit.log"
                read-users = ["splunk"]
                [debug]
                dump-state-period = 120
                [debug.log]
                file = "debug.log"
                [enrich]
                prefix = "laurel_"
                """);
        assertThat(m.warnings()).extracting(MigrationNotice::option, MigrationNotice::line).containsExactly(
                tuple("auditlog.read-users", 4), tuple("debug.dump-state-period", 6),
                tuple("debug.log", 7), tuple("enrich.prefix", 10));
        for (MigrationNotice n : m.warnings()) {
            assertThat(m.yaml()).contains("# NOT MIGRATED: " + n.option() + " (line " + n.line() + "): ");
        }
        assertThat(m.warnings().get(0).describe("laurel.toml"))
                .startsWith("laurel.toml:4: warning: auditlog.read-users: laurel sets no POSIX ACLs");
    }

    @Test
    void aPipeOrUnixFileBecomesAPipeOrUnixSocketSinkAsLaurel07Writes() throws Exception {
        Migration m = migrate("""
                [auditlog]
                file = "| /usr/bin/logger -t laurel"
                size = 100
                line-prefix = "@cee: "
                [filterlog]
                file = "unix:/run/vector/laurel.sock"
                read-groups = ["adm"]
                [filter]
                filter-keys = ["k"]
                filter-action = "log"
                """);
        assertThat(chain(m, "sinks")).containsExactly(
                Map.of("type", "pipe", "command", List.of("/usr/bin/logger", "-t", "laurel"), "line-prefix", "@cee: "),
                Map.of("type", "unix-socket", "path", "/run/vector/laurel.sock", "id", "filtered", "events", "filtered"));
        assertThat(m.warnings()).isEmpty();
        assertThat(m.notices()).extracting(MigrationNotice::option, MigrationNotice::line).containsExactly(
                tuple("auditlog.file", 2), tuple("auditlog.size", 3), tuple("filterlog.read-groups", 7));
        assertThat(m.notices().get(0).message()).contains("splits the text after \"|\" at spaces");
        assertThat(m.notices().get(1).message()).isEqualTo("ignored for a program, as LAUREL does");

        assertThatThrownBy(() -> migrate("[auditlog]\nfile = \"|  \"\n"))
                .isInstanceOfSatisfying(LaurelConfigException.class, e -> assertThat(e.problems())
                        .extracting(LaurelConfigException.Problem::line, LaurelConfigException.Problem::message)
                        .containsExactly(tuple(2, "auditlog.file: names no program after \"|\"; write"
                                + " \"| /path/to/program\"")));
    }

    @Test
    void readGroupsGivesTheFileItsGroupAndReadGroupIsNotALaurelKey() throws Exception {
        Migration one = migrate("[auditlog]\nread-groups = [\"adm\"]\n");
        assertThat(chain(one, "sinks").get(0)).containsEntry("group", "adm");
        assertThat(one.warnings()).isEmpty();

        Migration two = migrate("[auditlog]\nread-groups = [\"adm\", \"splunk\"]\n");
        assertThat(chain(two, "sinks").get(0)).containsEntry("group", "adm");
        assertThat(two.warnings()).extracting(MigrationNotice::option).containsExactly("auditlog.read-groups");

        Migration old = migrate("[auditlog]\nread-group = [\"adm\"]\n");
        assertThat(chain(old, "sinks").get(0)).doesNotContainKey("group");
        assertThat(old.warnings()).extracting(MigrationNotice::option).containsExactly("auditlog.read-group");
        assertThat(old.warnings().get(0).message()).startsWith("LAUREL reads read-groups (a list)");
    }

    @Test
    void laurel08EnrichKeysAreMigratedOrWarnedWithTheirReason() throws Exception {
        Migration m = migrate("""
                [enrich]
                execve-env = ["LD_PRELOAD", "LC_*"]
                ppid-verbose = false
                spawned-by = true
                uid-groups = true
                exe-hash = true
                exe-hash-size-limit = 5000000
                exe-hash-cache-entries = 0
                prefix = "enriched_"
                """);
        assertThat(entry(m, "enrichers", "execve-env")).containsEntry("variables", List.of("LD_PRELOAD", "LC_*"));
        // LAUREL 0.8 keys: LAUREL 0.8's layout, so each of them is written as LAUREL 0.8 writes it
        assertThat(entry(m, "enrichers", "hex-decoder")).containsEntry("style", "laurel-0.8");
        assertThat(entry(m, "enrichers", "parent-info")).containsEntry("style", "laurel-0.8")
                .containsEntry("spawned-by", true).containsEntry("ppid-verbose", false);
        assertThat(entry(m, "enrichers", "user-groups")).containsEntry("style", "laurel-0.8");
        assertThat(entry(m, "enrichers", "exe-hash")).containsEntry("max-size", 5000000).containsEntry("cache-size", 0)
                .containsEntry("style", "laurel-0.8").containsEntry("path-fallback", false);
        assertThat(m.notices()).extracting(MigrationNotice::kind, MigrationNotice::option).containsExactly(
                tuple(MigrationNotice.Kind.NO_EQUIVALENT, "enrich.prefix"));
        assertThat(m.notices().get(0).message()).contains("in front of the names of the fields it adds");

        // LAUREL 0.8's defaults for the hash's limits; no hash without exe-hash = true
        assertThat(entry(migrate("[enrich]\nexe-hash = true\n"), "enrichers", "exe-hash"))
                .containsEntry("max-size", 10000000).containsEntry("cache-size", 1024);
        Migration off = migrate("[enrich]\nexe-hash-size-limit = 100\nspawned-by = true\npid = false\n");
        assertThat(types(off, "enrichers")).doesNotContain("exe-hash", "parent-info");
        assertThat(off.warnings()).extracting(MigrationNotice::option).containsExactly("enrich.spawned-by");
    }

    @Test
    void aFileWithALaterLaurelKeyGetsLaurel08sLayoutAndAnOlderOne051s() throws Exception {
        Migration old = migrate("[enrich]\npid = true\ncontainer = true\n[translate]\nuniversal = true\n");
        assertThat(old.yaml()).contains("# Output layout: LAUREL 0.5.1's (the file sets no option LAUREL 0.6 or later added).");
        assertThat(entry(old, "enrichers", "hex-decoder")).doesNotContainKey("style");
        assertThat(entry(old, "enrichers", "parent-info")).containsEntry("style", "laurel").containsEntry("spawned-by", false);
        assertThat(entry(old, "enrichers", "container")).doesNotContainKey("style");
        assertThat(entry(old, "enrichers", "translate")).doesNotContainKey("uring-op");

        Migration later = migrate("[enrich]\npid = true\ncontainer = true\nsystemd = true\n"
                + "[translate]\nuniversal = true\n");
        assertThat(later.yaml()).contains("# Output layout: LAUREL 0.8's (the file sets enrich.systemd,"
                + " which LAUREL 0.5.1 does not read).");
        assertThat(entry(later, "enrichers", "hex-decoder")).containsEntry("style", "laurel-0.8");
        assertThat(entry(later, "enrichers", "parent-info")).containsEntry("style", "laurel-0.8")
                .containsEntry("spawned-by", true).containsEntry("ppid-verbose", false);
        assertThat(entry(later, "enrichers", "container")).containsEntry("style", "laurel-0.8");
        assertThat(entry(later, "enrichers", "systemd")).containsEntry("style", "laurel-0.8");
        assertThat(entry(later, "enrichers", "translate")).containsEntry("uring-op", true);
        assertThat(later.notices()).extracting(MigrationNotice::option).containsExactly("translate.universal");
        // LAUREL 0.6+ ignores 0.5.1's parent-info
        assertThat(migrate("[enrich]\nparent-info = true\nsystemd = false\n").warnings())
                .extracting(MigrationNotice::option).containsExactly("enrich.parent-info");

        // a program as the audit log is LAUREL 0.7+ too
        assertThat(migrate("[auditlog]\nfile = \"| /usr/bin/logger\"\n").yaml())
                .contains("the file sets auditlog.file, which LAUREL 0.5.1 does not read");
    }

    @Test
    void theMarkerBecomesTheDiagnosticsMarkerUnlessItIsNotOneLine() throws Exception {
        Migration m = migrate("marker = \"host-17 laurel\"\n");
        assertThat(m.warnings()).isEmpty();
        assertThat(m.yaml()).as("%s", m.yaml()).containsPattern("diagnostics:\\n(  .*\\n)*  marker: 'host-17 laurel'\\n");

        Migration twoLines = migrate("marker = \"a\\nb\"\n");
        assertThat(twoLines.warnings()).extracting(MigrationNotice::option).containsExactly("marker");
        assertThat(twoLines.yaml()).doesNotContain("marker: ");
    }

    @Test
    void unknownKeysAreWarnedAsLaurelIgnoresThem() throws Exception {
        Migration m = migrate("bogus = 1\n[translate]\nuserdb = true\n[enrich]\nparent_info = true\n");
        assertThat(m.warnings()).extracting(MigrationNotice::option, MigrationNotice::line)
                .containsExactly(tuple("bogus", 1), tuple("translate.userdb", 3), tuple("enrich.parent_info", 5));
        assertThat(m.warnings().get(1).message()).contains("user-db");
        assertThat(types(m, "enrichers")).doesNotContain("translate");
    }

    @Test
    void invalidTomlGivesTheLine() {
        assertThatThrownBy(() -> migrate("user = \"a\"\n[auditlog\nfile = 1\n"))
                .isInstanceOfSatisfying(LaurelConfigException.class, e -> {
                    assertThat(e.problems()).isNotEmpty();
                    assertThat(e.problems().get(0).line()).isEqualTo(2);
                    assertThat(e.problems().get(0).message()).startsWith("invalid TOML: ");
                });
    }

    @Test
    void valuesLaurelWouldRefuseAreErrorsWithTheirLines() {
        assertThatThrownBy(() -> migrate("input = \"tcp:1\"\n[enrich]\npid = \"yes\"\n[auditlog]\nsize = -1\n"
                + "[transform]\nexecve-argv = [\"list\"]\n[filter]\nfilter-action = \"keep\"\n"))
                .isInstanceOfSatisfying(LaurelConfigException.class, e -> assertThat(e.problems())
                        .extracting(LaurelConfigException.Problem::line, p -> p.message().split(":")[0])
                        .containsExactly(tuple(1, "input"), tuple(3, "enrich.pid"), tuple(5, "auditlog.size"),
                                tuple(7, "transform.execve-argv"), tuple(9, "filter.filter-action")));
    }

    @Test
    void filterLogWithoutLogActionIsLeftOutWithANote() throws Exception {
        Migration m = migrate("[filterlog]\nfile = \"f.log\"\n[filter]\nfilter-keys = [\"k\"]\n");
        assertThat(chain(m, "sinks")).hasSize(1);
        assertThat(m.notices()).extracting(MigrationNotice::kind, MigrationNotice::option, MigrationNotice::line)
                .containsExactly(tuple(MigrationNotice.Kind.DIFFERS, "[filterlog]", 1));
    }

    @Test
    void rotationOptionsAreIgnoredForStdoutAsLaurelDoes() throws Exception {
        Migration m = migrate("[auditlog]\nfile = \"-\"\nsize = 100\ngenerations = 3\n");
        assertThat(chain(m, "sinks")).containsExactly(Map.of("type", "json-file", "file", "-"));
        assertThat(m.notices()).extracting(MigrationNotice::option).containsExactly("auditlog.size", "auditlog.generations");
    }

    @Test
    void stateSectionChoosesLaurelsFileName() throws Exception {
        Migration m = migrate("directory = \"/var/log/laurel\"\n[state]\n");
        assertThat(yaml(m)).containsEntry("state", "/var/log/laurel")
                .containsEntry("limits", Map.of("state-max-age", "60s"));
        assertThat(m.notices()).extracting(MigrationNotice::kind, MigrationNotice::option)
                .containsExactly(tuple(MigrationNotice.Kind.DIFFERS, "[state]"));
    }
}
