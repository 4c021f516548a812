package dev.laurel.plugins.ecs;

import dev.laurel.api.Value;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AuditdKeysTest {
    private final AuditdKeys keys = new AuditdKeys();

    @Test
    void anUpperCaseNameWithALowerCaseTwinGetsASuffixSoNoTwoKeysDifferOnlyInCase() {
        for (String n : new String[] {"auid", "AUID", "ppid", "PPID", "saddr", "SADDR", "ARGV"}) {
            keys.add(n);
        }
        assertThat(keys.spelled("auid", Value.number(1))).isEqualTo("auid");
        assertThat(keys.spelled("AUID", Value.text("alice"))).isEqualTo("auid_name");
        assertThat(keys.spelled("PPID", Value.object(Map.of("ID", Value.text("1.0:1"))))).isEqualTo("ppid_info");
        assertThat(keys.spelled("SADDR", Value.text("{saddr_fam=inet}"))).isEqualTo("saddr_text");
        assertThat(keys.spelled("ARGV", Value.NULL)).as("no twin: just lower case").isEqualTo("argv");
    }

    @Test
    void aNameTwiceInARecordAndTwoSpellingsOfOneNameGetNumberedKeys() {
        for (String n : new String[] {"cwd", "cwd", "Key", "KEY"}) {
            keys.add(n);
        }
        assertThat(keys.spelled("cwd", Value.NULL)).isEqualTo("cwd");
        assertThat(keys.spelled("cwd", Value.NULL)).isEqualTo("cwd_2");
        assertThat(keys.spelled("Key", Value.NULL)).isEqualTo("key");
        assertThat(keys.spelled("KEY", Value.NULL)).isEqualTo("key_2");
    }

    @Test
    void aRecordWithManyFieldsGrowsTheTableAndKeepsEveryKeyDistinct() {
        Set<String> written = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            keys.clear();
            written.clear();
            for (int i = 0; i < 300; i++) {
                keys.add("f" + i);
                keys.add("F" + i);
            }
            for (int i = 0; i < 300; i++) {
                assertThat(written.add(keys.spelled("f" + i, Value.NULL))).isTrue();
                assertThat(written.add(keys.spelled("F" + i, Value.NULL).toLowerCase())).isTrue();
            }
        }
        assertThat(written).hasSize(600).contains("f299", "f299_name");
    }
}
