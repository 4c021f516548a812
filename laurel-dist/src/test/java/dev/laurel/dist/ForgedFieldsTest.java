package dev.laurel.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.engine.testkit.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text an unprivileged user chooses (a unix socket's path, which auditd's ENRICHED SADDR carries
 * verbatim; a host or account name inside a user-space {@code msg='...'}; a damaged record type)
 * cannot forge JSON keys or write terminal controls into laurel's diagnostics: the issue's exact
 * inputs through {@code Main}, the output read by a JSON parser that fails on a key written twice.
 */
class ForgedFieldsTest {
    /** Fails on a key written twice in one object, as a careful SIEM would. */
    private static final ObjectMapper STRICT = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final String GS = "\u001d";

    @TempDir
    Path dir;

    @Test
    void aSocketPathCannotAddFieldsOrASecondSaddr() throws IOException {
        String input = "type=SOCKADDR msg=audit(1700000000.001:1): saddr=01002F746D702F78" + GS
                + "SADDR={ saddr_fam=local path=/tmp/x }\n"
                + "type=EOE msg=audit(1700000000.001:1):\n"
                + "type=SOCKADDR msg=audit(1700000000.002:2): saddr=0100" + GS
                + "SADDR={ saddr_fam=local path=/tmp/x } AUID=\"root\" UID=\"root\" z={ }\n"
                + "type=EOE msg=audit(1700000000.002:2):\n"
                + "type=SOCKADDR msg=audit(1700000000.003:3): saddr=0100" + GS
                + "SADDR={ saddr_fam=local path=/tmp/y } SADDR={ saddr_fam=inet laddr=8.8.8.8 lport=53 }\n"
                + "type=EOE msg=audit(1700000000.003:3):\n"
                + "type=SOCKADDR msg=audit(1700000000.004:4): saddr=0100" + GS + "SADDR={ a=b}c }\n"
                + "type=EOE msg=audit(1700000000.004:4):\n";
        List<JsonNode> events = run(input, "hex-decoder");
        assertThat(events).hasSize(4);
        // the ordinary value as LAUREL 0.5.1 writes it
        assertThat(events.get(0).toString()).isEqualTo("{\"ID\":\"1700000000.001:1\",\"SOCKADDR\":[{"
                + "\"saddr\":\"%01%00/tmp/x\",\"SADDR\":\"{saddr_fam=local path=/tmp/x}\"}]}");
        for (JsonNode e : events) {
            JsonNode sockaddr = e.get("SOCKADDR").get(0);
            assertThat(names(sockaddr)).as("%s", e).containsExactly("saddr", "SADDR");
        }
        assertThat(events.get(1).get("SOCKADDR").get(0).get("SADDR").asText())
                .isEqualTo("{ saddr_fam=local path=/tmp/x } AUID=\"root\" UID=\"root\" z={ }");
        assertThat(events.get(2).get("SOCKADDR").get(0).get("SADDR").asText())
                .isEqualTo("{ saddr_fam=local path=/tmp/y } SADDR={ saddr_fam=inet laddr=8.8.8.8 lport=53 }");
        assertThat(events.get(3).get("SOCKADDR").get(0).get("SADDR").asText()).isEqualTo("{a=b}c}");
    }

    @Test
    void withTranslateSaddrComesFromTheKernelsAddressOnce() throws IOException {
        String input = "type=SOCKADDR msg=audit(1700000000.003:3): saddr=01002F746D702F7900" + GS
                + "SADDR={ saddr_fam=local path=/tmp/y } SADDR={ saddr_fam=inet laddr=8.8.8.8 lport=53 }\n"
                + "type=EOE msg=audit(1700000000.003:3):\n";
        List<JsonNode> events = run(input, "hex-decoder", "translate");
        JsonNode sockaddr = events.get(0).get("SOCKADDR").get(0);
        assertThat(names(sockaddr)).containsExactly("saddr", "SADDR");
        assertThat(sockaddr.get("SADDR").asText()).isEqualTo("{saddr_fam=local path=/tmp/y}");
    }

    @Test
    void textInsideAUserMessageCannotAddFields() throws IOException {
        String input = "type=USER_LOGIN msg=audit(1700000000.007:7): pid=1 uid=1000 auid=1000 ses=1 "
                + "msg='op=login acct=\"x\" exe=\"/usr/sbin/sshd\" hostname=evil' auid=0 uid=0 res=success' "
                + "addr=? terminal=ssh res=failed'" + GS + "UID=\"user\" AUID=\"user\"\n"
                + "type=USER_LOGIN msg=audit(1700000000.008:8): pid=1 uid=0 auid=4294967295 ses=4294967295 "
                + "msg='op=login uid='1000' exe=\"/usr/sbin/sshd\" res=failed'\n";
        List<JsonNode> events = run(input, "hex-decoder");
        assertThat(events).hasSize(2);
        JsonNode login = events.get(0).get("USER_LOGIN");
        assertThat(names(login)).containsExactly("pid", "uid", "auid", "ses", "msg", "UID", "AUID");
        assertThat(login.get("uid").asLong()).isEqualTo(1000);
        assertThat(login.get("msg").asText()).isEqualTo("op=login acct=\"x\" exe=\"/usr/sbin/sshd\" hostname=evil' "
                + "auid=0 uid=0 res=success' addr=? terminal=ssh res=failed");
        JsonNode issue305 = events.get(1).get("USER_LOGIN");
        assertThat(names(issue305)).containsExactly("pid", "uid", "auid", "ses", "msg");
        assertThat(issue305.get("msg").asText()).isEqualTo("op=login uid='1000' exe=\"/usr/sbin/sshd\" res=failed");
    }

    @Test
    void aDamagedRecordTypeReachesTheDiagnosticsEscaped() throws IOException {
        String input = "type=FAKE\u001b[2J\u001b[31m\rINJECTED\u0007 msg=audit(1700000000.009:9): pid=1\n";
        Path log = Files.writeString(dir.resolve("audit.log"), input, StandardCharsets.ISO_8859_1);
        Path config = Files.writeString(dir.resolve("laurel.yaml"), """
                input: "%s"
                proc-root: none
                diagnostics:
                  log: stderr
                sinks:
                  - type: json-file
                    file: "%s"
                """.formatted(log, dir.resolve("out.jsonl")));
        // what the pipeline logs, before the layout (DiagnosticLayoutTest shows that it escapes
        // whatever reaches it): a capture, since log4j's stderr is the first test's in one JVM
        List<String> logged;
        try (LogCapture capture = LogCapture.levelAndMessage("dev.laurel.engine.pipeline.Pipeline")) {
            InProcessLaurel.Result result = InProcessLaurel.laurel("--config", config.toString());
            assertThat(result.status()).isZero();
            logged = List.copyOf(capture.lines);
        }
        String diagnostics = String.join("\n", logged);
        assertThat(diagnostics).contains("unknown record type FAKE\\x1b[2J\\x1b[31m\\x0dINJECTED\\x07",
                "FAKE\\x1b[2J\\x1b[31m\\x0dINJECTED\\x07 msg=audit(1700000000.009:9): pid=1");
        for (char c : diagnostics.toCharArray()) {
            assertThat(c < 0x20 && c != '\n' || c == 0x7f).as("raw control character %s in %s", (int) c, diagnostics)
                    .isFalse();
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The events laurel writes for {@code input} with these enrichers, each read strictly. */
    private List<JsonNode> run(String input, String... enrichers) throws IOException {
        Path log = Files.writeString(dir.resolve("audit.log"), input, StandardCharsets.ISO_8859_1);
        Path output = dir.resolve("out.jsonl");
        Files.deleteIfExists(output);
        StringBuilder chain = new StringBuilder();
        for (String e : enrichers) {
            chain.append("  - type: ").append(e).append('\n');
        }
        Path config = Files.writeString(dir.resolve("laurel.yaml"), """
                input: "%s"
                proc-root: none
                diagnostics:
                  log: stderr
                  log-level: error
                enrichers:
                %ssinks:
                  - type: json-file
                    file: "%s"
                """.formatted(log, chain, output));
        InProcessLaurel.Result result = InProcessLaurel.laurel("--config", config.toString());
        assertThat(result.status()).as(result.err() + result.systemErr()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            events.add(STRICT.readTree(line));
        }
        return events;
    }
}
