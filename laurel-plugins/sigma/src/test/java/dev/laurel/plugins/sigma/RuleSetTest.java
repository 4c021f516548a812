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
    void mostRulesAreFoundByTheLiteralsTheirConditionRequires() {
        List<SigmaRule> rules = loadAll().rules;
        Detection.Required execve = new Detection.Required("SYSCALL", "execve", ValueMatcher.Position.EXACT);
        Detection.Required execveat = new Detection.Required("SYSCALL", "execveat", ValueMatcher.Position.EXACT);
        Detection.Required euid = new Detection.Required("euid", "33", ValueMatcher.Position.EXACT);
        // type: SYSCALL, SYSCALL: [execve, execveat], euid: 33: both clauses must hold
        assertThat(rule(rules, "Webshell Remote Command Execution").detection().required("SYSCALL"))
                .containsExactly(List.of(execve, execveat), List.of(euid));
        SigmaRule perl = rule(rules, "Potential Perl Reverse Shell Execution");
        // all of selection_*: Image, and one of CommandLine contains|all's values per map
        assertThat(perl.detection().required(null)).extracting(c -> c.stream().map(Detection.Required::literal).toList())
                .containsExactly(List.of("/perl"), List.of(" -e "), List.of("::socket::inet", "connect"));
        SigmaRule useradd = rule(rules, "Creation Of An User Account");
        // type: SYSCALL with exe|endswith, or type: ADD_USER alone: on a SYSCALL record only the first can match
        assertThat(useradd.detection().required("SYSCALL"))
                .containsExactly(List.of(new Detection.Required("exe", "/useradd", ValueMatcher.Position.SUFFIX)));
        assertThat(useradd.detection().required("ADD_USER")).isEmpty();
        assertThat(useradd.detection().required("PATH")).isEqualTo(Detection.NEVER);
        List<String> always = rules.stream().filter(r -> r.detection().required(null).isEmpty())
                .map(r -> r.logSource() + ": " + r.title()).toList();
        // tried on every record of their types: a selection of type alone
        assertThat(always).containsExactly("auditd: Creation Of An User Account",
                "auditd: Linux Keylogging with Pam.d");
        // a regular expression: tried on the command lines that hold what it requires
        assertThat(rule(rules, "Pnscan Binary Data Transmission Activity").detection().required(null))
                .containsExactly(List.of(new Detection.Required("CommandLine", "-w", ValueMatcher.Position.CONTAINS),
                        new Detection.Required("CommandLine", "-r", ValueMatcher.Position.CONTAINS)));
    }

    private static SigmaRule rule(List<SigmaRule> rules, String title) {
        return rules.stream().filter(r -> r.title().equals(title)).findFirst().orElseThrow();
    }
}
