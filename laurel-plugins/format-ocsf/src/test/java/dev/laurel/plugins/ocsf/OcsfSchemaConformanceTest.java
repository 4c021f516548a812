package dev.laurel.plugins.ocsf;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Every event of the capture and of LAUREL's fixtures, in the ocsf format, validates against its class. */
class OcsfSchemaConformanceTest {
    private final OcsfValidator validator = new OcsfValidator(OcsfSchema.load(TestData.file("ocsf-1.8.0")));

    @Test
    void everyEventValidatesAgainstItsClassWithProfiles() {
        assertEveryEventValidates(false);
    }

    @Test
    void everyEventValidatesWithCaptionsToo() {
        assertEveryEventValidates(true);
    }

    private void assertEveryEventValidates(boolean captions) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> classes = new TreeMap<>();
        int events = 0;
        for (Path log : OcsfChain.logs()) {
            for (OcsfChain.Encoded e : OcsfChain.run(log, "parent-info", captions)) {
                events++;
                classes.merge(e.ocsf().get("class_uid").asText() + " " + e.ocsf().get("activity_name").asText(),
                        1, Integer::sum);
                for (String p : validator.validate(e.ocsf())) {
                    problems.add(log.getFileName() + " " + e.id() + " " + p);
                }
            }
        }
        System.out.println("ocsf classes of " + events + " events: " + classes);
        assertThat(events).isGreaterThan(1076);
        assertThat(problems).isEmpty();
    }
}
