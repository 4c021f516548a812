package dev.laurel.plugins.ocsf;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class of every syscall and record type follows go-libaudit's facts
 * ({@code testdata/go-libaudit/normalizations.yaml}, what Auditbeat uses): its file actions are
 * File System Activity, its socket actions Network Activity, executed/killed-pid/end/changed-identity-of
 * Process Activity, its login and PAM records Authentication, its account records Account Change;
 * every syscall and record type of those actions is mapped, and an Other activity is named by the action.
 */
class OcsfClassTest {
    private static final Set<String> FILE_ACTIONS = Set.of("opened-file", "read-file", "wrote-to-file",
            "changed-file-attributes-of", "changed-file-permissions-of", "changed-file-ownership-of",
            "created-directory", "mounted", "renamed", "checked-metadata-of", "checked-filesystem-metadata-of",
            "linked", "symlinked", "unmounted", "deleted", "changed-timestamp-of", "make-device");
    private static final Set<String> NETWORK_ACTIONS = Set.of("listen-for-connections",
            "accepted-connection-from", "bound-socket", "connected-to", "received-from", "sent-to");
    private static final Map<String, Integer> PROCESS_ACTIONS = Map.of(
            "executed", 1, "killed-pid", 2, "end", 2, "changed-identity-of", 5);
    private static final Set<String> AUTHENTICATION_RECORDS = Set.of("USER_LOGIN", "USER_LOGOUT", "USER_START",
            "USER_END", "USER_AUTH", "USER_ACCT", "USER_ERR", "CRED_ACQ", "CRED_DISP", "CRED_REFR", "LOGIN",
            "GRP_AUTH", "USER_ROLE_CHANGE");
    private static final Set<String> ACCOUNT_RECORDS = Set.of("ADD_USER", "DEL_USER", "USER_MGMT", "ADD_GROUP",
            "DEL_GROUP", "GRP_MGMT", "USER_CHAUTHTOK", "GRP_CHAUTHTOK", "ACCT_LOCK", "ACCT_UNLOCK", "ROLE_ASSIGN",
            "ROLE_MODIFY", "ROLE_REMOVE");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> normalizations() throws IOException {
        try (Reader r = Files.newBufferedReader(TestData.file("go-libaudit/normalizations.yaml"))) {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(1000);     // the file shares its ECS blocks by alias
            Map<String, Object> doc = new Yaml(options).load(r);
            return (List<Map<String, Object>>) doc.get("normalizations");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(Object o) {
        return o == null ? List.of() : o instanceof List<?> l ? (List<String>) l : List.of((String) o);
    }

    @Test
    void syscallsAreClassedAsGoLibauditsActionsSay() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map<String, Object> n : normalizations()) {
            String action = (String) n.get("action");
            if (action == null) {
                continue;     // the catch-all: every other syscall is a process "info" event
            }
            for (String syscall : names(n.get("syscalls"))) {
                OcsfClass c = OcsfClass.ofSyscall(syscall);
                int expected = FILE_ACTIONS.contains(action) ? 1001 : NETWORK_ACTIONS.contains(action) ? 4001
                        : PROCESS_ACTIONS.containsKey(action) ? 1007 : -1;
                if (expected < 0) {
                    continue;
                }
                checked++;
                if (c.classUid() != expected) {
                    wrong.add(syscall + " (" + action + "): " + c.typeName() + ", expected class " + expected);
                } else if (expected == 1007 && c.activityId() != PROCESS_ACTIONS.get(action)
                        && !(c.activityId() == 99 && c.activityName().equals(action))) {
                    wrong.add(syscall + " (" + action + "): " + c.typeName());
                } else if (c.activityId() == 99 && !c.activityName().equals(action)) {
                    wrong.add(syscall + ": Other named " + c.activityName() + ", go-libaudit's action is " + action);
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isEqualTo(87);     // the syscalls of those actions in go-libaudit v2.6.2
    }

    @Test
    void loginAndAccountRecordsAreAuthenticationAndAccountChange() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map<String, Object> n : normalizations()) {
            String action = (String) n.get("action");
            if (action == null) {
                continue;
            }
            for (String type : names(n.get("record_types"))) {
                int expected = AUTHENTICATION_RECORDS.contains(type) ? 3002 : ACCOUNT_RECORDS.contains(type) ? 3001 : 0;
                OcsfClass c = OcsfClass.ofRecord(type);
                if (expected == 0) {
                    if (c != null) {
                        wrong.add(type + " (" + action + ") is " + c.typeName() + ", not among the mapped records");
                    }
                    continue;
                }
                checked++;
                if (c == null || c.classUid() != expected) {
                    wrong.add(type + " (" + action + "): " + (c == null ? "not mapped" : c.typeName())
                            + ", expected class " + expected);
                } else if (c.activityId() == 99 && !c.activityName().equals(action)) {
                    wrong.add(type + ": Other named " + c.activityName() + ", go-libaudit's action is " + action);
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isEqualTo(AUTHENTICATION_RECORDS.size() + ACCOUNT_RECORDS.size());
    }

    @Test
    void typeUidIsClassTimesHundredPlusActivity() {
        OcsfClass launch = OcsfClass.ofSyscall("execve");
        assertThat(launch.typeUid()).isEqualTo(100701);
        assertThat(launch.typeName()).isEqualTo("Process Activity: Launch");
        assertThat(OcsfClass.ofSyscall("no_such_call").typeUid()).isEqualTo(99);
        assertThat(OcsfClass.ofSyscall("no_such_call").activityName()).isEqualTo("no_such_call");
    }
}
