package dev.laurel.plugins.sigma;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The 114 SigmaHQ Linux rules copied into testdata/sigma/rules/linux. */
class RuleSetTest {

    static Path rules() {
        return TestData.file("sigma/rules/linux");
    }

    static RuleLoader loadAll() {
        RuleLoader loader = new RuleLoader(Map.of(), Set.of("stable", "test", "experimental"),
                SigmaRule.Level.INFORMATIONAL);
        loader.load(rules());
        return loader;
    }

    @Test
    void everySigmaHqLinuxRuleLoadsAndNoneIsSkipped() {
        RuleLoader loader = loadAll();
        assertThat(loader.errors).isEmpty();
        assertThat(loader.skipped).isEmpty();
        assertThat(loader.filtered).isZero();
        assertThat(loader.rules).hasSize(114);
        assertThat(loader.rules.stream().filter(r -> r.logSource().equals("auditd"))).hasSize(53);
        assertThat(loader.rules.stream().filter(r -> r.logSource().equals("process_creation"))).hasSize(61);
    }

    @Test
    void everyAuditdRuleOfTheSetIsIndexedByRecordTypeButTheTwoThatNameNoType() {
        List<SigmaRule> untyped = loadAll().rules.stream()
                .filter(r -> r.logSource().equals("auditd") && r.detection().recordTypes() == null).toList();
        // a key (any record with key=) and a1..a7 (EXECVE's arguments, or a SYSCALL's)
        assertThat(untyped).extracting(SigmaRule::title)
                .containsExactly("Possible Coin Miner CPU Priority Param", "Suspicious C2 Activities");
    }

    @Test
    void mostRulesAreIndexedByTheCommandTheyName() {
        List<SigmaRule> rules = loadAll().rules;
        SigmaRule perl = rules.stream().filter(r -> r.title().equals("Potential Perl Reverse Shell Execution"))
                .findFirst().orElseThrow();
        assertThat(perl.detection().keys("Image", true)).containsExactly("perl");
        SigmaRule getcap = rules.stream().filter(r -> r.title().startsWith("Linux Capabilities Discovery"))
                .findFirst().orElseThrow();
        assertThat(getcap.detection().keys("a0", false)).containsExactly("getcap");
        long execve = rules.stream().filter(r -> r.logSource().equals("auditd")
                && Set.of("EXECVE").equals(r.detection().recordTypes())).count();
        long execveKeyed = rules.stream().filter(r -> r.logSource().equals("auditd")
                && Set.of("EXECVE").equals(r.detection().recordTypes()) && r.detection().keys("a0", false) != null).count();
        long process = rules.stream().filter(r -> r.logSource().equals("process_creation")).count();
        long processKeyed = rules.stream().filter(r -> r.logSource().equals("process_creation")
                && r.detection().keys("Image", true) != null).count();
        // the rest test a0|contains, keywords, or CommandLine alone: tried on every record or exec
        assertThat(execveKeyed + "/" + execve).isEqualTo("17/27");
        assertThat(processKeyed + "/" + process).isEqualTo("42/61");
    }
}
