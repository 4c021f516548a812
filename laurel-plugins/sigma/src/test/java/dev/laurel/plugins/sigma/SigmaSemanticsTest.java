package dev.laurel.plugins.sigma;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.laurel.plugins.sigma.TestRules.matches;
import static dev.laurel.plugins.sigma.TestRules.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** The Sigma specification's matching rules, each with a value that matches and one that must not. */
class SigmaSemanticsTest {

    private static Map<String, String> cmd(String commandLine) {
        return Map.of("CommandLine", commandLine);
    }

    @Test
    void plainValuesMatchTheWholeFieldIgnoringCase() {
        SigmaRule r = rule("    s:\n        CommandLine: 'Whoami'\n    condition: s\n");
        assertThat(matches(r, cmd("WHOAMI"))).isTrue();
        assertThat(matches(r, cmd("whoami -a"))).isFalse();
        assertThat(matches(r, Map.of())).isFalse();
    }

    @Test
    void starAndQuestionMarkAreWildcardsAndBackslashEscapesThem() {
        SigmaRule r = rule("    s:\n        CommandLine: 'a*b?c'\n    condition: s\n");
        assertThat(matches(r, cmd("aXXXbYc"))).isTrue();
        assertThat(matches(r, cmd("abc"))).isFalse();
        SigmaRule escaped = rule("    s:\n        CommandLine: 'a\\*b\\?'\n    condition: s\n");
        assertThat(matches(escaped, cmd("a*b?"))).isTrue();
        assertThat(matches(escaped, cmd("aXbY"))).isFalse();
        SigmaRule backslash = rule("    s:\n        CommandLine: 'c:\\\\*'\n    condition: s\n");
        assertThat(matches(backslash, cmd("c:\\windows"))).isTrue();
        SigmaRule plainBackslash = rule("    s:\n        CommandLine: 'c:\\windows'\n    condition: s\n");
        assertThat(matches(plainBackslash, cmd("C:\\Windows"))).isTrue();
    }

    @Test
    void containsStartswithEndswithAreLiteralPositions() {
        SigmaRule r = rule("    s:\n        CommandLine|contains: 'mid'\n        Image|startswith: '/usr/'\n"
                + "        User|endswith: 'ot'\n    condition: s\n");
        assertThat(matches(r, Map.of("CommandLine", "a MID b", "Image", "/USR/bin/x", "User", "root"))).isTrue();
        assertThat(matches(r, Map.of("CommandLine", "a MID b", "Image", "/bin/usr/", "User", "root"))).isFalse();
        assertThat(matches(r, Map.of("CommandLine", "a MID b", "Image", "/usr/x", "User", "rooty"))).isFalse();
        assertThat(r.detection()).isInstanceOf(Detection.Selection.class);
        Detection.FieldTest contains = ((Detection.Selection) r.detection()).maps().get(0).get(0);
        assertThat(contains.values()[0][0]).isEqualTo(
                new ValueMatcher.Literal("mid", ValueMatcher.Position.CONTAINS, false));
    }

    @Test
    void listsAreOrAllMakesThemAndMapsAreAnd() {
        SigmaRule any = rule("    s:\n        CommandLine|contains:\n            - 'a1'\n            - 'b2'\n"
                + "    condition: s\n");
        assertThat(matches(any, cmd("x b2"))).isTrue();
        assertThat(matches(any, cmd("x c3"))).isFalse();
        SigmaRule all = rule("    s:\n        CommandLine|contains|all:\n            - 'a1'\n            - 'b2'\n"
                + "    condition: s\n");
        assertThat(matches(all, cmd("b2 a1"))).isTrue();
        assertThat(matches(all, cmd("x b2"))).isFalse();
        SigmaRule listOfMaps = rule("    s:\n        - Image: '/bin/a'\n        - CommandLine: 'b'\n    condition: s\n");
        assertThat(matches(listOfMaps, cmd("b"))).isTrue();
        assertThat(matches(listOfMaps, Map.of("Image", "/bin/b"))).isFalse();
    }

    @Test
    void conditionPrecedenceIsOrThenAndThenNot() {
        String sels = "    a:\n        CommandLine|contains: 'a'\n    b:\n        CommandLine|contains: 'b'\n"
                + "    c:\n        CommandLine|contains: 'c'\n";
        SigmaRule r = rule(sels + "    condition: a or b and not c\n");
        assertThat(matches(r, cmd("a c"))).isTrue();      // a or (b and not c)
        assertThat(matches(r, cmd("b c"))).isFalse();
        assertThat(matches(r, cmd("b"))).isTrue();
        SigmaRule parens = rule(sels + "    condition: (a or b) and not c\n");
        assertThat(matches(parens, cmd("a c"))).isFalse();
        assertThat(matches(parens, cmd("a"))).isTrue();
        SigmaRule list = rule(sels + "    condition:\n        - a and b\n        - c\n");
        assertThat(matches(list, cmd("c"))).isTrue();
        assertThat(matches(list, cmd("a"))).isFalse();
    }

    @Test
    void oneOfAndAllOfPatternsAndThem() {
        String sels = "    sel_a:\n        CommandLine|contains: 'a'\n    sel_b:\n        CommandLine|contains: 'b'\n"
                + "    _hidden:\n        CommandLine|contains: 'z'\n";
        assertThat(matches(rule(sels + "    condition: 1 of sel_*\n"), cmd("b"))).isTrue();
        assertThat(matches(rule(sels + "    condition: all of sel_*\n"), cmd("b"))).isFalse();
        assertThat(matches(rule(sels + "    condition: all of sel_*\n"), cmd("ab"))).isTrue();
        assertThat(matches(rule(sels + "    condition: 1 of them\n"), cmd("z"))).isFalse();
        assertThat(matches(rule(sels + "    condition: all of them\n"), cmd("ab"))).isTrue();
        assertThat(matches(rule(sels + "    condition: all of them\n"), cmd("a"))).isFalse();
    }

    @Test
    void regularExpressionsAreCaseSensitiveUnlessI() {
        SigmaRule r = rule("    s:\n        CommandLine|re: '^ab.c$'\n    condition: s\n");
        assertThat(matches(r, cmd("abXc"))).isTrue();
        assertThat(matches(r, cmd("ABXC"))).isFalse();
        assertThat(matches(rule("    s:\n        CommandLine|re|i: '^ab.c$'\n    condition: s\n"), cmd("ABXC"))).isTrue();
        assertThat(matches(rule("    s:\n        CommandLine|re: '^b$'\n    condition: s\n"), cmd("a\nb"))).isFalse();
        assertThat(matches(rule("    s:\n        CommandLine|re|m: '^b$'\n    condition: s\n"), cmd("a\nb"))).isTrue();
        assertThat(matches(rule("    s:\n        CommandLine|re: 'a.b'\n    condition: s\n"), cmd("a\nb"))).isFalse();
        assertThat(matches(rule("    s:\n        CommandLine|re|s: 'a.b'\n    condition: s\n"), cmd("a\nb"))).isTrue();
    }

    @Test
    void base64AndBase64offsetFindTheEncodedValue() {
        // "echo evil" inside a longer base64 text at each of the three offsets
        SigmaRule offset = rule("    s:\n        CommandLine|base64offset|contains: 'evil'\n    condition: s\n");
        for (String prefix : List.of("", "a", "ab")) {
            String enc = java.util.Base64.getEncoder().encodeToString((prefix + "evil stuff").getBytes());
            assertThat(matches(offset, cmd("echo " + enc + " | base64 -d"))).as(prefix).isTrue();
        }
        assertThat(matches(offset, cmd("echo " + java.util.Base64.getEncoder().encodeToString("good".getBytes()))))
                .isFalse();
        SigmaRule plain = rule("    s:\n        CommandLine|base64: 'evil'\n    condition: s\n");
        assertThat(matches(plain, cmd("ZXZpbA=="))).isTrue();
        assertThat(matches(plain, cmd("ZXZpbB=="))).isFalse();
    }

    @Test
    void utf16AndWideEncodeBeforeBase64() {
        SigmaRule wide = rule("    s:\n        CommandLine|wide|base64: 'ab'\n    condition: s\n");
        assertThat(matches(wide, cmd("YQBiAA=="))).isTrue();
        SigmaRule be = rule("    s:\n        CommandLine|utf16be|base64: 'ab'\n    condition: s\n");
        assertThat(matches(be, cmd("AGEAYg=="))).isTrue();
        assertThat(matches(be, cmd("YQBiAA=="))).isFalse();
        SigmaRule bom = rule("    s:\n        CommandLine|utf16|base64: 'ab'\n    condition: s\n");
        assertThat(matches(bom, cmd("//5hAGIA"))).isTrue();
    }

    @Test
    void windashAcceptsEveryDash() {
        SigmaRule r = rule("    s:\n        CommandLine|windash|contains: ' -f '\n    condition: s\n");
        for (String dash : List.of("-", "/", "\u2013", "\u2014", "\u2015")) {
            assertThat(matches(r, cmd("rm " + dash + "f x"))).as(dash).isTrue();
        }
        assertThat(matches(r, cmd("rm +f x"))).isFalse();
        // a rule may write the flag with any of the five: each stands for all of them
        SigmaRule slash = rule("    s:\n        CommandLine|windash|contains: ' /c '\n    condition: s\n");
        SigmaRule emDash = rule("    s:\n        CommandLine|windash|contains: ' \u2014c '\n    condition: s\n");
        for (String dash : List.of("-", "/", "\u2013", "\u2014", "\u2015")) {
            assertThat(matches(slash, cmd("sh " + dash + "c id"))).as(dash).isTrue();
            assertThat(matches(emDash, cmd("sh " + dash + "c id"))).as(dash).isTrue();
        }
        assertThat(matches(slash, cmd("sh +c id"))).isFalse();
    }

    @Test
    void cidrMatchesAddressesInTheNetwork() {
        SigmaRule r = rule("    s:\n        DestinationIp|cidr:\n            - 10.0.0.0/8\n            - 'fd00::/8'\n"
                + "    condition: s\n");
        assertThat(matches(r, Map.of("DestinationIp", "10.200.1.2"))).isTrue();
        assertThat(matches(r, Map.of("DestinationIp", "fd12::1"))).isTrue();
        assertThat(matches(r, Map.of("DestinationIp", "11.0.0.1"))).isFalse();
        assertThat(matches(r, Map.of("DestinationIp", "example.org"))).isFalse();
    }

    @Test
    void existsNullAndNeq() {
        SigmaRule exists = rule("    s:\n        ParentImage|exists: true\n    condition: s\n");
        assertThat(matches(exists, Map.of("ParentImage", ""))).isTrue();
        assertThat(matches(exists, Map.of())).isFalse();
        SigmaRule absent = rule("    s:\n        ParentImage|exists: false\n    condition: s\n");
        assertThat(matches(absent, Map.of())).isTrue();
        SigmaRule isNull = rule("    s:\n        ParentImage: null\n    condition: s\n");
        assertThat(matches(isNull, Map.of())).isTrue();
        assertThat(matches(isNull, Map.of("ParentImage", "/bin/sh"))).isFalse();
        SigmaRule neq = rule("    s:\n        User|neq: root\n    condition: s\n");
        assertThat(matches(neq, Map.of("User", "alice"))).isTrue();
        assertThat(matches(neq, Map.of("User", "ROOT"))).isFalse();
    }

    @Test
    void casedComparesCaseSensitively() {
        SigmaRule r = rule("    s:\n        CommandLine|cased|contains: ' -F '\n    condition: s\n");
        assertThat(matches(r, cmd("curl -F x"))).isTrue();
        assertThat(matches(r, cmd("curl -f x"))).isFalse();
    }

    @Test
    void numericComparisons() {
        SigmaRule r = rule("    s:\n        ProcessId|gte: 1000\n        ParentProcessId|lt: 2\n    condition: s\n");
        assertThat(matches(r, Map.of("ProcessId", "1000", "ParentProcessId", "1"))).isTrue();
        assertThat(matches(r, Map.of("ProcessId", "999", "ParentProcessId", "1"))).isFalse();
        assertThat(matches(r, Map.of("ProcessId", "1000", "ParentProcessId", "2"))).isFalse();
        assertThat(matches(rule("    s:\n        ProcessId|gt: 5\n    condition: s\n"), Map.of("ProcessId", "5"))).isFalse();
        assertThat(matches(rule("    s:\n        ProcessId|lte: 5\n    condition: s\n"), Map.of("ProcessId", "5"))).isTrue();
    }

    @Test
    void fieldrefComparesWithAnotherField() {
        SigmaRule r = rule("    s:\n        ParentImage|fieldref: Image\n    condition: s\n");
        assertThat(matches(r, Map.of("Image", "/bin/sh", "ParentImage", "/BIN/SH"))).isTrue();
        assertThat(matches(r, Map.of("Image", "/bin/sh", "ParentImage", "/bin/bash"))).isFalse();
        SigmaRule ends = rule("    s:\n        CommandLine|fieldref|endswith: Image\n    condition: s\n");
        assertThat(matches(ends, Map.of("Image", "/bin/sh", "CommandLine", "exec /bin/sh"))).isTrue();
    }

    @Test
    void expandReplacesPlaceholdersWithTheConfiguredValues() {
        SigmaRule r = rule("    s:\n        User|expand: '%Administrators%'\n        CommandLine|expand: '\\%lit%x%'\n"
                        + "    condition: s\n",
                Map.of("Administrators", List.of("root", "admin*"), "x", List.of("1")));
        assertThat(matches(r, Map.of("User", "admin7", "CommandLine", "%lit1"))).isTrue();
        assertThat(matches(r, Map.of("User", "alice", "CommandLine", "%lit1"))).isFalse();
    }

    @Test
    void keywordsAreFoundAnywhereInTheText() {
        SigmaRule r = rule("    k:\n        - 'evil'\n    all:\n        '|all':\n            - 'a1'\n            - 'b2'\n"
                + "    condition: k or all\n");
        assertThat(matches(r, cmd("some EVIL text"))).isTrue();
        assertThat(matches(r, cmd("b2 and a1"))).isTrue();
        assertThat(matches(r, cmd("a1 only"))).isFalse();
    }
}
