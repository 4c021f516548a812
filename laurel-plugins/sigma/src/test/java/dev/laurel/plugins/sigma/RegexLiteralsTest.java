package dev.laurel.plugins.sigma;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The literals a regular expression requires, which decide whether a command line is tried at all. */
class RegexLiteralsTest {

    @Test
    void aRowOfPlainCharactersAndGroupsOfPlainAlternativesGivesTheirCombinations() {
        // Pnscan Binary Data Transmission Activity
        assertThat(RegexLiterals.of("-(W|R)\\s?(\\s|\"|')([0-9a-fA-F]{2}\\s?){2,20}(\\s|\"|')"))
                .containsExactly("-W", "-R");
        assertThat(RegexLiterals.of("curl\\s+.*\\|\\s*(ba)?sh")).containsExactly("curl");
        assertThat(RegexLiterals.of("a.b(?:cde|fgh)\\.x")).containsExactly("bcde.x", "bfgh.x");
    }

    @Test
    void anOptionalOrRepeatedItemEndsTheRow() {
        assertThat(RegexLiterals.of("abc?def")).containsExactly("def");
        assertThat(RegexLiterals.of("xy+zzz")).containsExactly("zzz");
        assertThat(RegexLiterals.of("ab{0,3}cd")).containsExactly("cd");
    }

    @Test
    void whatItCannotReadRequiresNothing() {
        assertThat(RegexLiterals.of("abc|def")).isNull();             // top-level alternation
        assertThat(RegexLiterals.of("\\x41bc")).isNull();             // \x41 is A: not "41bc"
        assertThat(RegexLiterals.of("(a)\\1zz")).isNull();            // a back reference
        assertThat(RegexLiterals.of("(?i)abc")).isNull();
        assertThat(RegexLiterals.of(".*")).isNull();
        assertThat(RegexLiterals.of("[^]a]bc")).containsExactly("bc");  // ] inside the class
    }

    @Test
    void everyTextTheExpressionIsFoundInHoldsOneOfTheLiterals() {
        String[] res = {"-(W|R)\\s?(\\s|\"|')", "a(b|cd)+e", "[a-z]+@(x|y)\\.com", "^/tmp/(foo|bar)\\d"};
        String[] texts = {"nc -W '41 42'", "xx -R \"", "abcde", "acdcde", "abe", "me@x.com", "/tmp/foo1", "/tmp/bar"};
        for (String re : res) {
            for (String t : texts) {
                if (Pattern.compile(re).matcher(t).find()) {
                    assertThat(RegexLiterals.of(re)).as(re + " in " + t).anyMatch(t::contains);
                }
            }
        }
    }
}
