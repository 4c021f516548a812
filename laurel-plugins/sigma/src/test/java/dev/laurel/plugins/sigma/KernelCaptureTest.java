package dev.laurel.plugins.sigma;

import dev.laurel.api.Value;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands the rules look for, and a near miss of each, as a real kernel and auditd recorded
 * them: {@code testdata/sigma/captures/RULE.match.log} and {@code RULE.miss.log}, made by
 * {@code testdata/sigma/capture.sh} (RULE: the rule file's name). Each capture goes alone through
 * the process table and the enricher with all 114 rules loaded.
 */
class KernelCaptureTest {

    private static Path captures() {
        return TestData.file("sigma/captures");
    }

    private static String stem(Path p) {
        String name = p.getFileName().toString();
        return name.substring(0, name.indexOf('.'));
    }

    /** The titles of the rules that fired on any event of the capture. */
    private static Set<String> fired(List<SigmaRule> rules, Path capture) {
        ProcessTracker table = new ProcessTracker();
        Sigma sigma = new Sigma(rules, table, Map.of(), Map.of(), Map.of(), Set.of());
        Set<String> titles = new TreeSet<>();
        TestData.events(capture, event -> {
            table.observe(event);
            sigma.enrich(event);
            if (event.extra("SIGMA") instanceof Value.ListValue list) {
                for (Value v : list.items()) {
                    titles.add(((Value.ObjectValue) v).fields().get("title").toString());
                }
            }
        });
        return titles;
    }

    @Test
    void eachRulesCommandUnderARealKernelMatchesItAndTheNearMissDoesNot() throws IOException {
        List<SigmaRule> rules = RuleSetTest.loadAll().rules;
        List<Path> files;
        try (Stream<Path> s = Files.list(captures())) {
            files = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        List<String> wrong = new ArrayList<>();
        Set<String> matched = new TreeSet<>();
        Set<String> missed = new TreeSet<>();
        for (Path capture : files) {
            String stem = stem(capture);
            SigmaRule rule = rules.stream().filter(r -> Path.of(r.file()).getFileName().toString().equals(stem + ".yml"))
                    .findFirst().orElseThrow(() -> new AssertionError(capture + " names no rule of the set"));
            boolean fires = fired(rules, capture).contains(rule.title());
            boolean target = capture.getFileName().toString().endsWith(".match.log");
            if (fires != target) {
                wrong.add(capture.getFileName() + (target ? ": does not fire '" : ": fires '") + rule.title() + "'");
            }
            (target ? matched : missed).add(stem);
        }
        assertThat(wrong).isEmpty();
        // every rule captured has both: the command and its near miss
        assertThat(missed).isEqualTo(matched);
        assertThat(matched).hasSizeGreaterThanOrEqualTo(30);
    }
}
