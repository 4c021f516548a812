package dev.laurel.plugins.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole events in the ocsf format, compared as JSON values with golden files reviewed by hand
 * ({@code src/test/resources/golden/NAME.json}). Each event is encoded after the whole log ran
 * through the chain, so parent-info knows its parent. {@code -Dlaurel.golden.update=true}
 * rewrites the files (then review the diff).
 */
class OcsfGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "perl-reverse-shell-execve, real-enriched.log, 1795636827.735:307",
            "connect-ipv4, real-enriched.log, 1795636827.755:308",
            "connect-ipv6, real-enriched.log, 1795636828.059:611",
            "connect-unix-socket, real-enriched.log, 1795636828.059:613",
            "openat-watched-file, real-enriched.log, 1795636828.123:782",
            "kill, real-enriched.log, 1795636823.263:80",
            "ptrace, real-enriched.log, 1795636828.111:631",
            "memfd-exec, real-enriched.log, 1795636828.471:1101",
            "user-start, real-enriched.log, 1795636828.143:799",
            "user-acct-raw, laurel-fixtures/line-user-acct.txt, 1615113648.981:15220",
            "connect-ipv6-raw, laurel-fixtures/record-connect.txt, 1723819442.459:2482682",
            "perl-reverse-shell-execve-captions, real-enriched.log, 1795636827.735:307",
    })
    void eventMatchesItsGoldenFile(String name, String log, String id) throws IOException {
        boolean captions = name.endsWith("-captions");
        JsonNode actual = OcsfChain.run(TestData.file(log), "parent-info", captions).stream()
                .filter(e -> e.id().equals(id)).findFirst().orElseThrow().ocsf();
        Path golden = TestData.root().resolve("laurel-plugins/format-ocsf/src/test/resources/golden/" + name + ".json");
        if (Boolean.getBoolean("laurel.golden.update")) {
            Files.writeString(golden, JSON.writeValueAsString(actual) + "\n");
        }
        assertThat(actual).isEqualTo(JSON.readTree(golden.toFile()));
    }

    /** docs/format-ocsf.md's example is the perl golden event (with a real version and host name). */
    @org.junit.jupiter.api.Test
    void theDocumentedExampleIsTheGoldenPerlEvent() throws IOException {
        String doc = Files.readString(TestData.root().resolve("docs/format-ocsf.md"));
        JsonNode example = JSON.readTree(doc.substring(doc.indexOf("```json") + 7, doc.lastIndexOf("```")));
        var golden = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(TestData.root()
                .resolve("laurel-plugins/format-ocsf/src/test/resources/golden/perl-reverse-shell-execve.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) golden.at("/metadata/product")).put("version", "0.1.0");
        ((com.fasterxml.jackson.databind.node.ObjectNode) golden.get("device")).put("hostname", "debian");
        assertThat(example).isEqualTo(golden);
    }

    /** Without a parent-info enricher, the format asks the engine's process table: the same parent. */
    @org.junit.jupiter.api.Test
    void theProcessTableGivesTheSameParentWithoutParentInfo() {
        String id = "1795636827.735:307";
        JsonNode withEnricher = OcsfChain.run(TestData.capture()).stream()
                .filter(e -> e.id().equals(id)).findFirst().orElseThrow().ocsf();
        JsonNode fromTable = OcsfChain.run(TestData.capture(), "table", false).stream()
                .filter(e -> e.id().equals(id)).findFirst().orElseThrow().ocsf();
        assertThat(fromTable.at("/process/parent_process")).isEqualTo(withEnricher.at("/process/parent_process"));
        assertThat(fromTable.at("/actor/process")).isEqualTo(withEnricher.at("/actor/process"));
        assertThat(fromTable.at("/process/parent_process/file/path").asText()).isEqualTo("/usr/bin/bash");
    }
}
