package dev.laurel.dist;

import com.fasterxml.jackson.databind.JsonNode;
import dev.laurel.engine.json.PercentCodec;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code hex-decoder} the real capture's output keeps auditd's hex and differs from
 * LAUREL's in exactly that: every differing string is hex digits whose bytes, escaped, are
 * LAUREL's string, and every PROCTITLE is {@code {"proctitle":"<hex>"}} whose bytes split as
 * LAUREL's ARGV.
 */
class WithoutHexDecoderTest {

    @Test
    void keepsAuditdsHexWhereLaurelDecodes() throws Exception {
        Path root = TestData.root().resolve("testdata");
        List<String> laurel = ReferenceChain.lines(root.resolve("real-enriched.laurel-0.5.1.jsonl"));
        List<String> ours = ReferenceChain.run(Files.readAllBytes(root.resolve("real-enriched.log")), false);
        assertThat(ours).hasSameSizeAs(laurel);
        List<String> problems = new ArrayList<>();
        int[] hexStrings = {0};
        for (int i = 0; i < ours.size(); i++) {
            JsonNode o = ReferenceChain.MAPPER.readTree(ours.get(i));
            JsonNode l = ReferenceChain.MAPPER.readTree(laurel.get(i));
            compare(o.path("ID").asText(), "", o, l, problems, hexStrings);
        }
        assertThat(problems).as(String.join("\n", problems.subList(0, Math.min(8, problems.size())))).isEmpty();
        // the capture's hex: 1,070 PROCTITLEs, 59 SOCKADDR saddr and 17 other strings
        assertThat(hexStrings[0]).isEqualTo(1_146);
    }

    private static void compare(String id, String path, JsonNode ours, JsonNode laurel, List<String> problems,
                                int[] hexStrings) {
        if (path.equals("/PROCTITLE") && ours.has("proctitle") && laurel.has("ARGV")) {
            assertThat(ours.size()).isEqualTo(1);
            byte[] cmdline = HexFormat.of().parseHex(ours.get("proctitle").asText());
            if (!splitLikeLaurel(cmdline).equals(laurel.get("ARGV"))) {
                problems.add(id + path + ": " + ours + " vs " + laurel);
            }
            hexStrings[0]++;
            return;
        }
        if (ours.isTextual() && laurel.isTextual() && !ours.equals(laurel)) {
            String hex = ours.asText();
            boolean isHex = hex.length() % 2 == 0 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0);
            String decoded = isHex ? new String(PercentCodec.encode(HexFormat.of().parseHex(hex)), StandardCharsets.UTF_8) : null;
            if (!laurel.asText().equals(decoded)) {
                problems.add(id + path + ": " + ours + " vs " + laurel);
            }
            hexStrings[0]++;
            return;
        }
        if (ours.isContainerNode() && ours.getNodeType() == laurel.getNodeType() && ours.size() == laurel.size()) {
            if (ours.isArray()) {
                for (int i = 0; i < ours.size(); i++) {
                    compare(id, path + "/" + i, ours.get(i), laurel.get(i), problems, hexStrings);
                }
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = ours.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!laurel.has(e.getKey())) {
                        problems.add(id + path + ": no " + e.getKey() + " in LAUREL's " + laurel);
                    } else {
                        compare(id, path + "/" + e.getKey(), e.getValue(), laurel.get(e.getKey()), problems, hexStrings);
                    }
                }
            }
            return;
        }
        if (!ours.equals(laurel)) {
            problems.add(id + path + ": " + ours + " vs " + laurel);
        }
    }

    /** LAUREL's split of a command line at NUL bytes (see docs/format.md), as JSON. */
    private static JsonNode splitLikeLaurel(byte[] b) {
        var array = ReferenceChain.MAPPER.createArrayNode();
        int pos = 0;
        while (pos < b.length) {
            int j = pos + 1;
            while (j < b.length && b[j] != 0) {
                j++;
            }
            byte[] arg = java.util.Arrays.copyOfRange(b, pos, j);
            array.add(new String(PercentCodec.encode(arg), StandardCharsets.UTF_8));
            pos = j + 1;
        }
        return array;
    }
}
