package dev.laurel.plugins.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every raw value of every event in the laurel format (each string, number and null, at any depth)
 * appears in the ocsf format of the same event, mapped to an attribute or kept under unmapped.
 * A number may appear as OCSF's string of it (a uid).
 */
class OcsfNothingLostTest {

    private static void leaves(JsonNode n, Set<String> into) {
        if (n.isContainerNode()) {
            n.forEach(child -> leaves(child, into));
        } else {
            into.add(n.isNull() ? "null" : n.asText());
        }
    }

    private static List<String> lost(String style) {
        List<String> lost = new ArrayList<>();
        for (Path log : OcsfChain.logs()) {
            for (OcsfChain.Encoded e : OcsfChain.run(log, style)) {
                Set<String> laurel = new HashSet<>();
                leaves(e.laurel(), laurel);
                Set<String> ocsf = new HashSet<>();
                leaves(e.ocsf(), ocsf);
                laurel.removeAll(ocsf);
                if (!laurel.isEmpty()) {
                    lost.add(log.getFileName() + " " + e.id() + " lost " + laurel);
                }
            }
        }
        return lost;
    }

    @Test
    void everyLaurelValueOfEveryEventAppearsInItsOcsfEvent() {
        assertThat(lost("parent-info")).isEmpty();
    }

    /** A record's or an enricher's field under unmapped has the laurel format's value at the same place. */
    @Test
    void unmappedFieldsEqualTheLaurelFormatsValues() {
        List<String> differ = new ArrayList<>();
        int compared = 0;
        for (Path log : OcsfChain.logs()) {
            for (OcsfChain.Encoded e : OcsfChain.run(log, "both")) {
                var it = e.ocsf().get("unmapped").fields();
                while (it.hasNext()) {
                    var entry = it.next();
                    JsonNode ours = entry.getValue();
                    JsonNode laurel = e.laurel().get(entry.getKey());
                    if (laurel == null) {
                        differ.add(e.id() + " " + entry.getKey() + " is not in the laurel format");
                    } else if (ours.isArray() && laurel.isArray() && ours.size() == laurel.size()) {
                        for (int i = 0; i < ours.size(); i++) {
                            compared += sameFields(e.id() + " " + entry.getKey() + "[" + i + "]", ours.get(i), laurel.get(i), differ);
                        }
                    } else if (ours.isObject() && laurel.isObject()) {
                        compared += sameFields(e.id() + " " + entry.getKey(), ours, laurel, differ);
                    } else if (!ours.isArray()) {
                        differ.add(e.id() + " " + entry.getKey() + ": " + ours + " but the laurel format has " + laurel);
                    }
                }
            }
        }
        assertThat(differ).isEmpty();
        assertThat(compared).isGreaterThan(20_000);
    }

    private static int sameFields(String where, JsonNode ours, JsonNode laurel, List<String> differ) {
        int n = 0;
        var it = ours.fields();
        while (it.hasNext()) {
            var f = it.next();
            n++;
            if (!f.getValue().equals(laurel.get(f.getKey()))) {
                differ.add(where + "." + f.getKey() + ": " + f.getValue() + " but the laurel format has "
                        + laurel.get(f.getKey()));
            }
        }
        return n;
    }

    @Test
    void nothingIsLostWithParentInfoInLaurelsStyleEither() {
        assertThat(lost("both")).isEmpty();
    }
}
