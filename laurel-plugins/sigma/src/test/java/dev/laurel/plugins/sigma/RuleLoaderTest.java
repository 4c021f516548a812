package dev.laurel.plugins.sigma;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the loader refuses (config errors with FILE:LINE:COLUMN) and what it skips (with file, line, construct). */
class RuleLoaderTest {

    private static final String HEAD = "title: t\nlogsource:\n    category: process_creation\n    product: linux\n";

    @Test
    void yamlThatDoesNotParseIsAnErrorWithFileLineAndColumn() {
        RuleLoader l = TestRules.load(HEAD + "detection:\n    s:\n        Image: [unclosed\n    condition: s\n");
        assertThat(l.errors).singleElement().asString()
                .matches(".*sigma-rule.*\\.yml:8:\\d+: is not valid YAML: .*");
        assertThat(l.rules).isEmpty();
    }

    @Test
    void whereSnakeYamlItselfSlipsTheRuleFileIsInvalidYamlNotAPluginBug() {
        // SnakeYAML 2.5 throws NumberFormatException for a backslash-x escape cut short by the end of the file
        RuleLoader l = TestRules.load(HEAD + "description: \"\\x");
        assertThat(l.errors).singleElement().asString()
                .matches(".*sigma-rule.*\\.yml:5:17: is not valid YAML: the YAML reader stopped here"
                        + " \\(java.lang.NumberFormatException.*\\); look for an unfinished quote or escape sequence"
                        + " at or before this place");
        assertThat(l.rules).isEmpty();
    }

    @Test
    void anEmptySearchIdentifierFieldNameOrTagIsAnErrorAtItsPlace() {
        assertThat(TestRules.load(HEAD + "detection:\n    ~: x\n    condition: s\n").errors).singleElement()
                .asString().endsWith(".yml:6:5: rule 't': a search identifier must not be empty");
        assertThat(TestRules.load(HEAD + "detection:\n    s:\n        ~: x\n    condition: s\n").errors)
                .singleElement().asString().endsWith(".yml:7:9: rule 't': a field name must not be empty");
        assertThat(TestRules.load(HEAD + "tags:\n    - ~\ndetection:\n    s:\n        Image: x\n    condition: s\n")
                .errors).singleElement().asString().endsWith(".yml:6:7: rule 't': a tag must not be empty");
    }

    @Test
    void windashThatWouldMakeMoreFormsThanAValueMayHaveSkipsTheRuleBeforeMakingThem() {
        // five dashes: 3,125 forms, loaded; six: 15,625, skipped; thirty (5^30) would exhaust any heap
        RuleLoader five = TestRules.load(HEAD + "detection:\n    s:\n        CommandLine|windash: 'a-b-c-d-e-f'\n"
                + "    condition: s\n");
        assertThat(five.errors).isEmpty();
        assertThat(five.skipped).isEmpty();
        assertThat(TestRules.matches(five.rules.get(0), java.util.Map.of("CommandLine", "a/b\u2013c-d\u2015e\u2014f")))
                .isTrue();
        for (String value : List.of("a-b-c-d-e-f-g", "-".repeat(30))) {
            RuleLoader l = TestRules.load(HEAD + "detection:\n    s:\n        CommandLine|windash: '" + value + "'\n"
                    + "    condition: s\n");
            assertThat(l.errors).isEmpty();
            assertThat(l.rules).isEmpty();
            assertThat(l.skipped).singleElement().asString().contains(".yml:7: 't': windash on " + value
                    + ": 5 forms for each of its dashes would make ").endsWith(" forms, more than the 4096 a value may have");
        }
        // base64offset first: three forms, each with 50+ '/' (a windash character) from the UTF-8 of the 'ÿ's
        RuleLoader three = TestRules.load(HEAD + "detection:\n    s:\n        CommandLine|base64offset|windash: '"
                + "\u00ff".repeat(100) + "'\n    condition: s\n");
        assertThat(three.rules).isEmpty();
        assertThat(three.skipped).singleElement().asString().contains("(in 3 forms)")
                .endsWith("would make too many forms, more than the 4096 a value may have");
    }

    @Test
    void aConditionNamingAnUndefinedSelectionIsAnErrorAtTheCondition() {
        RuleLoader l = TestRules.load(HEAD + "detection:\n    s:\n        Image: x\n    condition: s and t\n");
        assertThat(l.errors).singleElement().asString()
                .matches(".*\\.yml:8:16: rule 't': the condition names 't', which the detection does not define"
                        + " \\(there are s\\)");
    }

    @Test
    void missingPartsAndBadValuesAreErrors() {
        assertThat(TestRules.load("title: t\nlogsource:\n    product: linux\n").errors).singleElement().asString()
                .endsWith(":1:1: rule 't': the rule has no detection");
        assertThat(TestRules.load(HEAD + "detection:\n    s:\n        Image|re: '(x'\n    condition: s\n").errors)
                .singleElement().asString().contains(":7:19: rule 't': is not a valid regular expression");
        assertThat(TestRules.load(HEAD + "level: severe\ndetection:\n    s:\n        Image: x\n    condition: s\n")
                .errors).singleElement().asString()
                .contains(":5:8: rule 't': level 'severe' is not one of informational, low, medium, high, critical");
        assertThat(TestRules.load(HEAD + "detection:\n    s:\n        Image: x\n").errors).singleElement().asString()
                .contains("the detection has no condition");
        assertThat(TestRules.load(HEAD + "detection:\n    s:\n        Image: x\n        Image: y\n    condition: s\n")
                .errors).singleElement().asString().contains(":8:9: rule 't': duplicate key 'Image'");
    }

    @Test
    void unsupportedConstructsSkipTheWholeRuleNamingFileLineAndConstruct() {
        RuleLoader l = TestRules.load(HEAD + "detection:\n    s:\n        Image|sha256: x\n    condition: s\n"
                + "---\ntitle: c\ncorrelation:\n    type: event_count\n    rules: [x]\n"
                + "---\ntitle: w\nlogsource:\n    product: windows\n    category: process_creation\n"
                + "detection:\n    s:\n        Image: x\n    condition: s\n"
                + "---\n" + HEAD.replace("title: t", "title: agg")
                + "detection:\n    s:\n        Image: x\n    condition: s | count() > 5\n"
                + "---\n" + HEAD.replace("title: t", "title: time")
                + "detection:\n    s:\n        Date|hour: 3\n    condition: s\n"
                + "---\n" + HEAD.replace("title: t", "title: placeholder")
                + "detection:\n    s:\n        User|expand: '%Admins%'\n    condition: s\n"
                + "---\n" + HEAD.replace("title: t", "title: ok")
                + "detection:\n    s:\n        Image: x\n    condition: s\n");
        assertThat(l.errors).isEmpty();
        assertThat(l.rules).extracting(SigmaRule::title).containsExactly("ok");
        assertThat(l.skipped).extracting(s -> s.line() + " " + s.title() + ": " + s.reason()).containsExactly(
                "7 t: unknown modifier 'sha256' in 'Image|sha256'",
                "11 c: correlation rule",
                "17 w: log source product 'windows' (laurel's events are product: linux)",
                "31 agg: aggregation in the condition (| count() > 5, Sigma 1 syntax; write it as a correlation rule)",
                "39 time: time modifier 'hour' (laurel's fields hold no dates)",
                "48 placeholder: placeholder %Admins% has no values (set them under the sigma enricher's placeholders:)");
        assertThat(l.skipped.get(0).toString()).matches(".*\\.yml:7: 't': unknown modifier 'sha256' in 'Image\\|sha256'");
    }

    @Test
    void statusesAndMinLevelLeaveRulesOut() {
        String rules = HEAD.replace("title: t", "title: low") + "status: test\nlevel: low\n"
                + "detection:\n    s:\n        Image: x\n    condition: s\n---\n"
                + HEAD.replace("title: t", "title: dep") + "status: deprecated\nlevel: high\n"
                + "detection:\n    s:\n        Image: x\n    condition: s\n---\n"
                + HEAD.replace("title: t", "title: high") + "status: stable\nlevel: high\n"
                + "detection:\n    s:\n        Image: x\n    condition: s\n";
        java.nio.file.Path f;
        try {
            f = java.nio.file.Files.createTempFile("sigma", ".yml");
            java.nio.file.Files.writeString(f, rules);
            RuleLoader l = new RuleLoader(java.util.Map.of(), java.util.Set.of("stable", "test"), SigmaRule.Level.MEDIUM);
            l.load(f);
            java.nio.file.Files.delete(f);
            assertThat(l.rules).extracting(SigmaRule::title).containsExactly("high");
            assertThat(l.filtered).isEqualTo(2);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMissingPathIsAnErrorThatSaysWhatToGive() {
        RuleLoader l = new RuleLoader(java.util.Map.of(), java.util.Set.of("test"), SigmaRule.Level.LOW);
        l.load(java.nio.file.Path.of("/nonexistent/rules"));
        assertThat(l.errors).containsExactly(
                "/nonexistent/rules: no such rule file or directory; give a .yml file or a directory of them");
    }
}
