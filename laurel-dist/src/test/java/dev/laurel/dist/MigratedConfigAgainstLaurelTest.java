package dev.laurel.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.laurel.dist.InProcessLaurel.CAPTURE;
import static dev.laurel.dist.InProcessLaurel.laurel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs Debian's LAUREL 0.5.1 (installed by .ci/run as the reference) and laurel with the same
 * TOML, migrated, on the bundled capture. Skipped where LAUREL is not installed.
 *
 * <p>Both read a user database of the test's own, never this machine's: laurel through the
 * translate entry's {@code passwd-file} and {@code group-file}, LAUREL (which reads
 * {@code /etc/passwd} and {@code /etc/group}) in a mount namespace of its own where the test's
 * files are bind-mounted over those two. A host with a user 1001 (the capture's audtest) gave
 * LAUREL a name where it otherwise says {@code unknown(1001)}, and the test failed there.
 */
class MigratedConfigAgainstLaurelTest {
    private static final Path LAUREL = Path.of("/usr/sbin/laurel");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The capture's users and groups but 1001: root, _apt (42), nogroup (65534). */
    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/bash
            _apt:x:42:65534::/nonexistent:/usr/sbin/nologin
            """;
    private static final String GROUP = """
            root:x:0:
            nogroup:x:65534:
            """;

    @TempDir
    Path tmp;

    @Test
    void translationsAndArgvTransformsMatchLaurel() throws Exception {
        List<String> mine = compareWithLaurel(PASSWD, GROUP);

        assertThat(keptNames).as("upper-case names kept from auditd where LAUREL says unknown").isPositive();
        assertThat(mine).anyMatch(l -> l.contains("\"AUID\":\"audtest\""));
    }

    @Test
    void bothReadTheTestsOwnUserDatabaseNotThisMachines() throws Exception {
        // uid and gid 1001 named otherwise than auditd named them: both must say so
        List<String> mine = compareWithLaurel(PASSWD + "intruder:x:1001:1001::/home/intruder:/bin/sh\n",
                GROUP + "intruders:x:1001:\n");

        assertThat(keptNames).as("no id unknown to the test's database").isZero();
        assertThat(mine).anyMatch(l -> l.contains("\"AUID\":\"intruder\"") && l.contains("\"EGID\":\"intruders\""))
                .noneMatch(l -> l.contains("\"AUID\":\"audtest\""));
    }

    private int keptNames;

    /** Runs both on the capture with this user database; compares them; returns laurel's lines. */
    private List<String> compareWithLaurel(String passwdText, String groupText) throws Exception {
        assumeTrue(Files.isExecutable(LAUREL), "Debian's laurel is not installed");
        Path passwd = Files.writeString(tmp.resolve("passwd"), passwdText);
        Path group = Files.writeString(tmp.resolve("group"), groupText);
        List<String> privateEtc = privateEtc(passwd, group);
        Path toml = tmp.resolve("laurel.toml");
        // No /proc-based enrichment: the capture's processes are not this machine's.
        Files.writeString(toml, """
                directory = "%s"
                [auditlog]
                file = "-"
                [transform]
                execve-argv = ["array", "string"]
                execve-argv-limit-bytes = 200
                [translate]
                universal = true
                user-db = true
                [enrich]
                pid = false
                execve-env = []
                container = false
                script = false
                """.formatted(tmp));
        List<String> command = new java.util.ArrayList<>(privateEtc);
        command.addAll(List.of(LAUREL.toString(), "-c", toml.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(CAPTURE.toFile())
                .redirectOutput(tmp.resolve("laurel.jsonl").toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();

        Path yaml = tmp.resolve("laurel.yaml");
        assertThat(laurel("migrate-config", toml.toString(), "-o", yaml.toString()).status()).isZero();
        String migrated = Files.readString(yaml);
        assertThat(migrated).containsPattern("\n  - type: translate .*\n");
        Files.writeString(yaml, migrated.replaceFirst("\n  - type: translate .*\n", "$0    passwd-file: \""
                + passwd + "\"\n    group-file: \"" + group + "\"\n"));
        Path ours = tmp.resolve("ours.jsonl");
        InProcessLaurel.Result r = laurel("convert", "--config", yaml.toString(), "-o", ours.toString(), CAPTURE.toString());
        assertThat(r.status()).as(r.err()).isZero();

        List<String> theirs = Files.readAllLines(tmp.resolve("laurel.jsonl"));
        List<String> mine = Files.readAllLines(ours);
        assertThat(mine).hasSameSizeAs(theirs).hasSize(1076);
        int compared = 0;
        keptNames = 0;
        for (int i = 0; i < mine.size(); i++) {
            JsonNode a = JSON.readTree(mine.get(i));
            JsonNode b = JSON.readTree(theirs.get(i));
            if (a.has("SOCKADDR") || b.has("SOCKADDR")) {
                continue;   // laurel keeps the raw saddr beside SADDR (README, "Migrating from LAUREL")
            }
            // where the user database lacks the id (1001, audtest, on the capture's host),
            // LAUREL writes unknown(1001); laurel keeps auditd's ENRICHED name (docs/plugins/translate.md)
            keptNames += withLaurelsUnknownNames(a, b);
            assertThat(a).as("event %s", a.path("ID").asText()).isEqualTo(b);
            compared++;
        }
        assertThat(compared).isGreaterThan(1000);
        assertThat(mine).anyMatch(l -> l.contains("\"ARGV_STR\":")).anyMatch(l -> l.contains("\"SYSCALL\":\"execve\""));
        return mine;
    }

    /**
     * The command prefix that runs a program with {@code passwd} and {@code group} as its
     * /etc/passwd and /etc/group, in a mount namespace of its own (this machine's /etc is not
     * touched): as root a plain one, otherwise inside a user namespace.
     */
    private static List<String> privateEtc(Path passwd, Path group) throws Exception {
        List<String> unshare = new java.util.ArrayList<>(List.of("unshare"));
        if (!Root.is()) {
            unshare.add("--map-root-user");
        }
        unshare.addAll(List.of("--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$1\" /etc/passwd && mount --bind \"$2\" /etc/group && shift 2 && exec \"$@\"",
                "sh", passwd.toString(), group.toString()));
        List<String> probe = new java.util.ArrayList<>(unshare);
        probe.addAll(List.of("cmp", "-s", passwd.toString(), "/etc/passwd"));
        Process p;
        try {
            p = new ProcessBuilder(probe).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            p = null;
        }
        assumeTrue(p != null && p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                "cannot give LAUREL a user database of the test's own here (unshare --mount and mount --bind)");
        return unshare;
    }

    /**
     * Replaces in {@code ours} each upper-case name field for which LAUREL wrote
     * {@code unknown(N)} by LAUREL's value, once checked that ours is auditd's name (not unknown);
     * returns how many.
     */
    private static int withLaurelsUnknownNames(JsonNode ours, JsonNode laurels) {
        int n = 0;
        java.util.Iterator<java.util.Map.Entry<String, JsonNode>> fields = laurels.fields();
        while (fields.hasNext()) {
            java.util.Map.Entry<String, JsonNode> f = fields.next();
            JsonNode mine = ours.get(f.getKey());
            if (mine == null) {
                continue;
            }
            JsonNode theirs = f.getValue();
            if (theirs.isTextual() && theirs.asText().startsWith("unknown(") && f.getKey().matches("[A-Z-]*[UG]ID")
                    && mine.isTextual() && !mine.asText().startsWith("unknown(")
                    && ours instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                o.set(f.getKey(), theirs);
                n++;
            } else if (theirs.isContainerNode()) {
                if (theirs.isArray()) {
                    for (int i = 0; i < theirs.size() && i < mine.size(); i++) {
                        n += withLaurelsUnknownNames(mine.get(i), theirs.get(i));
                    }
                } else {
                    n += withLaurelsUnknownNames(mine, theirs);
                }
            }
        }
        return n;
    }
}
