package dev.laurel.plugins.usergroups;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.plugins.testkit.FakeProc;
import dev.laurel.plugins.testkit.MapConfig;
import dev.laurel.plugins.testkit.RealEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserGroupsTest {
    private static final String STATUS = "Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t3463\n"
            + "Uid:\t1001\t1001\t1001\t1001\nGid:\t1001\t1001\t1001\t1001\nFDSize:\t256\n"
            + "Groups:\t4 24 27 1001 \nNStgid:\t3463\n";

    @TempDir
    Path tmp;

    private FakeProc proc;

    private Enricher create(Map<String, Object> options) throws ConfigException {
        if (proc == null) {
            proc = new FakeProc(tmp.resolve("proc"));
        }
        Map<String, Object> all = new LinkedHashMap<>(options);
        return MapConfig.create(new UserGroupsFactory(), all, proc.root());
    }

    private Record enrich(String status, Map<String, Object> options) throws Exception {
        proc = new FakeProc(tmp.resolve("proc"));
        proc.process(3463).status(status);
        AuditEvent e = RealEvents.clone(3463);
        create(options).enrich(e);
        return e.first(RecordType.SYSCALL);
    }

    private static Value numbers(long... gids) {
        List<Value> l = new ArrayList<>();
        for (long g : gids) {
            l.add(Value.number(g));
        }
        return Value.list(l);
    }

    @Test
    void listsTheSupplementaryGroupsAsNumbers() throws Exception {
        Record sc = enrich(STATUS, Map.of());
        assertThat(sc.get("GROUPS")).isEqualTo(numbers(4, 24, 27, 1001));
        assertThat(sc.get("GROUP_NAMES")).isNull();
        assertThat(sc.name(sc.size() - 1)).isEqualTo("GROUPS");
    }

    @Test
    void givesAnEmptyListForNoGroups() throws Exception {
        assertThat(enrich("Name:\tsshd\nGroups:\t\n", Map.of()).get("GROUPS")).isEqualTo(numbers());
    }

    @Test
    void namesTheGroupsFromTheGroupFile() throws Exception {
        Path group = tmp.resolve("group");
        Files.writeString(group, "root:x:0:\nadm:x:4:syslog,audtest\ncdrom:x:24:audtest\nsudo:x:27:audtest\n"
                + "broken:x:notanumber:\n");
        Record sc = enrich(STATUS, Map.of("names", true, "group-file", group.toString()));
        assertThat(sc.get("GROUP_NAMES")).isEqualTo(Value.list(List.of(Value.text("adm"), Value.text("cdrom"),
                Value.text("sudo"), Value.text("unknown(1001)"))));
    }

    @Test
    void cutsManyGroupsAndSaysSo() throws Exception {
        Record sc = enrich("Groups:\t1 2 3 4 5\n", Map.of("max-groups", 3L));
        assertThat(sc.get("GROUPS")).isEqualTo(numbers(1, 2, 3));
        assertThat(sc.get("GROUPS_ERROR")).isEqualTo(Value.text("5 groups, the first 3 listed"));
    }

    @Test
    void reportsAMalformedOrMissingGroupsLine() throws Exception {
        Record bad = enrich("Groups:\t4 x 27\n", Map.of());
        assertThat(bad.get("GROUPS")).isNull();
        assertThat(bad.get("GROUPS_ERROR")).isEqualTo(Value.text("malformed Groups line"));
        assertThat(enrich("Groups:\t99999999999\n", Map.of()).get("GROUPS_ERROR"))
                .isEqualTo(Value.text("malformed Groups line"));
        assertThat(enrich("Name:\tx\n", Map.of()).get("GROUPS_ERROR")).isEqualTo(Value.text("no Groups line in status"));
    }

    @Test
    void saysTheProcessIsGone() throws Exception {
        AuditEvent e = RealEvents.clone(3463);
        create(Map.of()).enrich(e);
        assertThat(e.first(RecordType.SYSCALL).get("GROUPS_ERROR")).isEqualTo(Value.text("process gone"));
        AuditEvent quiet = RealEvents.clone(3463);
        create(Map.of("report-errors", false)).enrich(quiet);
        assertThat(quiet.first(RecordType.SYSCALL).get("GROUPS_ERROR")).isNull();
    }

    @Test
    void rejectsAnUnreadableGroupFileAndAGroupFileWithoutNames() {
        assertThatThrownBy(() -> create(Map.of("names", true, "group-file", tmp.resolve("none").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group-file: cannot be read");
        assertThatThrownBy(() -> create(Map.of("group-file", "/etc/group")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is only used with names: true");
        assertThatThrownBy(() -> create(Map.of("max-groups", 0L)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max-groups: must be between");
    }

    @Test
    void isFoundByServiceLoaderUnderItsType() {
        assertThat(ServiceLoader.load(dev.laurel.api.EnricherFactory.class).stream()
                .map(p -> p.get().type())).contains("user-groups");
    }

    @Test
    void neverThrowsOnRandomStatusText() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        String[] pieces = {"Groups:", "\t", " ", "\n", "0", "42", "4294967295", "4294967296", "x", "-1"};
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = rnd.nextInt(10); j > 0; j--) {
                sb.append(pieces[rnd.nextInt(pieces.length)]);
            }
            List<Long> out = new ArrayList<>();
            String problem;
            try {
                problem = UserGroups.groups(sb.toString().getBytes(StandardCharsets.UTF_8), out);
            } catch (RuntimeException ex) {
                throw new AssertionError("seed " + seed + " input " + sb, ex);
            }
            if (problem == null) {
                assertThat(out).as("seed %d input %s", seed, sb).allSatisfy(g -> assertThat(g).isBetween(0L, 0xffffffffL));
            } else {
                assertThat(out).as("seed %d input %s", seed, sb).isEmpty();
            }
        }
    }

    @Test
    void laurel08StyleListsTheGroupsOfTheUidAsGetgrouplistDoes() {
        Map<Long, Value> groups = UidGroups.groupsByUid(
                List.of("root:x:0:0:root:/root:/bin/bash", "user:x:1000:1000::/home/user:/bin/sh",
                        "ghost:x:1001:4242::/:/bin/false", "#comment:x:5:5::/:/bin/false"),
                List.of("root:x:0:", "adm:x:4:syslog,user", "user:x:1000:", "sudo:x:27:user", "docker:x:999:other"));
        assertThat(groups.get(1000L)).isEqualTo(Value.list(List.of(Value.text("user"), Value.text("adm"),
                Value.text("sudo"))));
        assertThat(groups.get(0L)).isEqualTo(Value.list(List.of(Value.text("root"))));
        // a primary gid the group file lacks: LAUREL 0.8's "#<gid>"
        assertThat(groups.get(1001L)).isEqualTo(Value.list(List.of(Value.text("#4242"))));
        assertThat(groups).doesNotContainKey(5L);
    }

    @Test
    void laurel08StyleWritesUidGroupsFromTheGivenFilesAndNotTheProcesssGroups() throws Exception {
        Path passwd = Files.writeString(tmp.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Path group = Files.writeString(tmp.resolve("group"), "root:x:0:\nadm:x:4:syslog,root\n");
        Record sc = enrich(STATUS, Map.of("style", "laurel-0.8", "passwd-file", passwd.toString(),
                "group-file", group.toString()));
        // the event's uid is 0
        assertThat(sc.get("UID_GROUPS")).isEqualTo(Value.list(List.of(Value.text("root"), Value.text("adm"))));
        assertThat(sc.get("GROUPS")).isNull();
        assertThatThrownBy(() -> create(Map.of("passwd-file", passwd.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("only used with style: laurel-0.8");
    }
}
