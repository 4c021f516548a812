package dev.laurel.plugins.ecs;

import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.plugins.testkit.TestRecords;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AuditdKeysTest {
    private final AuditdKeys keys = new AuditdKeys();

    @Test
    void anUpperCaseNameWithALowerCaseTwinGetsASuffixSoNoTwoKeysDifferOnlyInCase() {
        for (String n : new String[] {"auid", "AUID", "ppid", "PPID", "saddr", "SADDR", "ARGV"}) {
            keys.add(n);
        }
        assertThat(keys.spelled("auid")).isEqualTo("auid");
        assertThat(keys.spelled("AUID")).isEqualTo("auid_name");
        assertThat(keys.spelled("PPID")).isEqualTo("ppid_info");
        assertThat(keys.spelled("SADDR")).isEqualTo("saddr_text");
        assertThat(keys.spelled("ARGV")).as("no twin: just lower case").isEqualTo("argv");
    }

    @Test
    void aNameTwiceInARecordAndTwoSpellingsOfOneNameGetNumberedKeys() {
        for (String n : new String[] {"cwd", "cwd", "Key", "KEY"}) {
            keys.add(n);
        }
        assertThat(keys.spelled("cwd")).isEqualTo("cwd");
        assertThat(keys.spelled("cwd")).isEqualTo("cwd_2");
        assertThat(keys.spelled("Key")).isEqualTo("key");
        assertThat(keys.spelled("KEY")).isEqualTo("key_2");
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
                assertThat(written.add(keys.spelled("f" + i))).isTrue();
                assertThat(written.add(keys.spelled("F" + i).toLowerCase())).isTrue();
            }
        }
        assertThat(written).hasSize(600).contains("f299", "f299_name");
    }

    @Test
    void aRecordLaidOutAsTheLastOfItsTypeReusesItsKeysAndAnotherLayoutGetsItsOwn() {
        Record first = TestRecords.record("type=OBJ_PID msg=audit(1.0:1): opid=1 ocomm=\"a\" OPID=x");
        Record other = TestRecords.record("type=OBJ_PID msg=audit(1.0:2): ocomm=\"b\" opid=2");

        String[] keys = this.keys.of(first);

        assertThat(keys).containsExactly("opid", "ocomm", "opid_info");
        assertThat(this.keys.of(TestRecords.record("type=OBJ_PID msg=audit(1.0:3): opid=3 ocomm=\"c\" OPID=y")))
                .containsExactly("opid", "ocomm", "opid_info");
        assertThat(this.keys.of(other)).containsExactly("ocomm", "opid");
        assertThat(first.type()).isEqualTo(RecordType.OBJ_PID);
    }
}
