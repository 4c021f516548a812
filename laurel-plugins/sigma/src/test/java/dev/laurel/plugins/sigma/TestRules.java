package dev.laurel.plugins.sigma;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Rules written in a test, loaded through the real loader from a temporary file. */
final class TestRules {

    private TestRules() {
    }

    /** Loads {@code yaml} (one or more documents) with the default statuses and no placeholders. */
    static RuleLoader load(String yaml) {
        return load(yaml, Map.of());
    }

    static RuleLoader load(String yaml, Map<String, List<String>> placeholders) {
        try {
            Path f = Files.createTempFile("sigma-rule", ".yml");
            try {
                Files.writeString(f, yaml);
                RuleLoader loader = new RuleLoader(placeholders, Set.of("stable", "test", "experimental"),
                        SigmaRule.Level.INFORMATIONAL);
                loader.load(f);
                return loader;
            } finally {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one rule of a process_creation rule whose detection is {@code detection} (indented by 4). */
    static SigmaRule rule(String detection) {
        return rule(detection, Map.of());
    }

    static SigmaRule rule(String detection, Map<String, List<String>> placeholders) {
        RuleLoader l = load("title: t\nlogsource:\n    category: process_creation\n    product: linux\n"
                + "detection:\n" + detection, placeholders);
        if (!l.errors.isEmpty() || !l.skipped.isEmpty()) {
            throw new AssertionError("errors " + l.errors + ", skipped " + l.skipped);
        }
        return l.rules.get(0);
    }

    /** Fields given as a map, keywords as the given text. */
    static FieldSource fields(Map<String, String> fields) {
        return new FieldSource() {
            @Override
            protected String lookup(String field) {
                return fields.get(field);
            }

            @Override
            protected void keywords(TextSink out) {
                out.chars(String.join(" ", fields.values()));
            }
        };
    }

    /**
     * Whether the rule matches the fields; also checks that the index by required literals
     * ({@link RuleIndex}) would have tried the rule, so that every case here proves it loses no match.
     */
    static boolean matches(SigmaRule rule, Map<String, String> fields) {
        boolean matches = rule.detection().matches(fields(fields));
        long[] candidates = new long[1];
        new RuleIndex(List.of(0), List.of(rule), null, candidates).candidates(fields(fields));
        if (matches && candidates[0] != 1) {
            throw new AssertionError("the rule matches, but its required literals "
                    + rule.detection().required(null) + " were not found in " + fields);
        }
        return matches;
    }
}
