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
 */
class MigratedConfigAgainstLaurelTest {
    private static final Path LAUREL = Path.of("/usr/sbin/laurel");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void translationsAndArgvTransformsMatchLaurel() throws Exception {
        assumeTrue(Files.isExecutable(LAUREL), "Debian's laurel is not installed");
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
        ProcessBuilder pb = new ProcessBuilder(LAUREL.toString(), "-c", toml.toString())
                .redirectInput(CAPTURE.toFile())
                .redirectOutput(tmp.resolve("laurel.jsonl").toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();

        Path yaml = tmp.resolve("laurel.yaml");
        assertThat(laurel("migrate-config", toml.toString(), "-o", yaml.toString()).status()).isZero();
        Path ours = tmp.resolve("ours.jsonl");
        InProcessLaurel.Result r = laurel("convert", "--config", yaml.toString(), "-o", ours.toString(), CAPTURE.toString());
        assertThat(r.status()).as(r.err()).isZero();

        List<String> theirs = Files.readAllLines(tmp.resolve("laurel.jsonl"));
        List<String> mine = Files.readAllLines(ours);
        assertThat(mine).hasSameSizeAs(theirs).hasSize(1076);
        int compared = 0;
        int keptNames = 0;
        for (int i = 0; i < mine.size(); i++) {
            JsonNode a = JSON.readTree(mine.get(i));
            JsonNode b = JSON.readTree(theirs.get(i));
            if (a.has("SOCKADDR") || b.has("SOCKADDR")) {
                continue;   // laurel keeps the raw saddr beside SADDR (README, "Migrating from LAUREL")
            }
            // where this host's user database lacks the id (1001, audtest, on the capture's host),
            // LAUREL writes unknown(1001); laurel keeps auditd's ENRICHED name (docs/plugins/translate.md)
            keptNames += withLaurelsUnknownNames(a, b);
            assertThat(a).as("event %s", a.path("ID").asText()).isEqualTo(b);
            compared++;
        }
        assertThat(compared).isGreaterThan(1000);
        assertThat(keptNames).as("upper-case names kept from auditd where LAUREL says unknown").isPositive();
        assertThat(mine).anyMatch(l -> l.contains("\"ARGV_STR\":")).anyMatch(l -> l.contains("\"SYSCALL\":\"execve\""));
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
