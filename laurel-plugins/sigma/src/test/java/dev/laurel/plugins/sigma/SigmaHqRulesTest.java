package dev.laurel.plugins.sigma;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Value;
import dev.laurel.engine.process.ProcessTracker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every SigmaHQ Linux rule of testdata/sigma against hand-built events (sigmahq-cases.txt): each
 * rule must match its + events and not its - events, with all 114 rules loaded at once, as a
 * user would run them.
 */
class SigmaHqRulesTest {

    /** One hand-built case. */
    record Case(String ruleFile, boolean match, String text) {
    }

    private static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = SigmaHqRulesTest.class.getResourceAsStream("/sigmahq-cases.txt")) {
            String rule = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("# ") && line.endsWith(".yml")) {
                    rule = line.substring(2);
                } else if (line.startsWith("+ ") || line.startsWith("- ")) {
                    cases.add(new Case(rule, line.charAt(0) == '+', line.substring(2)));
                }
            }
        }
        return cases;
    }

    /** The ids of the rules the case's (last) event matched. */
    private static Set<String> run(List<SigmaRule> rules, Case c) {
        ProcessTracker table = new ProcessTracker();
        Sigma sigma = new Sigma(rules, table, Map.of(), Map.of(), Map.of(), Set.of());
        List<AuditEvent> events = new ArrayList<>();
        if (c.text().startsWith("proc ")) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String kv : c.text().substring(5).split(" ;; ")) {
                int eq = kv.indexOf('=');
                fields.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            long ppid = 1;
            if (fields.containsKey("ParentImage")) {
                events.add(TestEvents.exec(100, 1, Map.of("Image", fields.get("ParentImage"),
                        "CommandLine", fields.getOrDefault("ParentCommandLine", fields.get("ParentImage")))));
                ppid = 100;
            }
            events.add(TestEvents.exec(101, ppid, fields));
        } else {
            events.add(TestEvents.event(List.of(c.text())));
        }
        Set<String> ids = new TreeSet<>();
        for (AuditEvent e : events) {
            table.observe(e);
            sigma.enrich(e);
            ids.clear();
            if (e.extra("SIGMA") instanceof Value.ListValue list) {
                for (Value v : list.items()) {
                    ids.add(((Value.ObjectValue) v).fields().get("id").toString());
                }
            }
        }
        return ids;
    }

    @Test
    void eachRuleMatchesItsEventsAndNotItsNearMisses() throws IOException {
        List<SigmaRule> rules = RuleSetTest.loadAll().rules;
        Map<String, String> idByFile = new LinkedHashMap<>();
        String root = RuleSetTest.rules().toString() + "/";
        for (SigmaRule r : rules) {
            idByFile.put(r.file().substring(root.length()), r.id());
        }
        List<String> failures = new ArrayList<>();
        for (Case c : cases()) {
            String id = idByFile.get(c.ruleFile());
            assertThat(id).as(c.ruleFile()).isNotNull();
            if (run(rules, c).contains(id) != c.match()) {
                failures.add((c.match() ? "does not match: " : "matches: ") + c.ruleFile() + ": " + c.text());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyRuleHasAnEventThatMatchesAndOneThatMustNot() throws IOException {
        Set<String> files = new TreeSet<>();
        String root = RuleSetTest.rules().toString() + "/";
        for (SigmaRule r : RuleSetTest.loadAll().rules) {
            files.add(r.file().substring(root.length()));
        }
        Set<String> positive = new TreeSet<>();
        Set<String> negative = new TreeSet<>();
        for (Case c : cases()) {
            (c.match() ? positive : negative).add(c.ruleFile());
        }
        assertThat(positive).isEqualTo(files);
        assertThat(negative).isEqualTo(files);
    }
}
