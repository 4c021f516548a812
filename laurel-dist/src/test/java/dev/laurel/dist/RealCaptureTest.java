package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real auditd 3.0.9 ENRICHED capture ({@code testdata/real-enriched.log}, 5,199 lines) through
 * parse, assemble, hex-decoder and encode gives, event by event, the JSON LAUREL 0.5.1 wrote for it
 * ({@code testdata/real-enriched.laurel-0.5.1.jsonl}), compared as JSON values and then byte for
 * byte.
 */
class RealCaptureTest {

    @Test
    void givesLaurelsOutputForTheRealCapture() throws Exception {
        Path root = TestData.root().resolve("testdata");
        List<String> laurel = ReferenceChain.lines(root.resolve("real-enriched.laurel-0.5.1.jsonl"));
        List<String> ours = ReferenceChain.run(Files.readAllBytes(root.resolve("real-enriched.log")));
        assertThat(laurel).hasSize(1076);
        List<String> problems = ReferenceChain.differences(ours, laurel);
        assertThat(problems).as(ReferenceChain.report(problems, laurel.size())).isEmpty();
        // Also the very bytes (key order, duplicate keys, number spelling), in LAUREL's order.
        assertThat(ours).containsExactlyElementsOf(laurel);
    }
}
