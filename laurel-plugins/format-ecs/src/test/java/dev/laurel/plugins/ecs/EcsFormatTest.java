package dev.laurel.plugins.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.api.AuditEvent;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.json.FormatJson;
import dev.laurel.plugins.testkit.TestRecords;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Mappings the capture does not show; the whole-capture checks are laurel-dist's EcsFormatTest. */
class EcsFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FormatJson ecs = new FormatJson(new EcsFormat("host-1", null), "ecs");

    private JsonNode encode(AuditEvent event) throws Exception {
        return JSON.readTree(ecs.encode(event));
    }

    @Test
    void anEnvironmentBecomesEnvVarsAndSeveralKeysSeveralTags() throws Exception {
        AuditEvent e = TestRecords.event(
                "type=SYSCALL msg=audit(1700000000.123:7): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=42"
                        + " uid=0 comm=\"sh\" exe=\"/bin/sh\" key=6100620063\u001dSYSCALL=execve",
                "type=EXECVE msg=audit(1700000000.123:7): argc=2 a0=\"sh\" a1=\"-c\"");
        e.first(RecordType.EXECVE).set("ENV", Value.object(Map.of("LD_PRELOAD", Value.text("/tmp/x.so"))));
        e.first(RecordType.SYSCALL).set("key", Value.text("a\u0001b\u0001c"));

        JsonNode out = encode(e);

        assertThat(out.path("process").path("env_vars").toString()).isEqualTo("[\"LD_PRELOAD=/tmp/x.so\"]");
        assertThat(out.path("auditd").path("execve").path("env").path("LD_PRELOAD").asText()).isEqualTo("/tmp/x.so");
        assertThat(out.path("tags").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(out.path("host").path("name").asText()).as("no node: the configured host name").isEqualTo("host-1");
        assertThat(out.path("@timestamp").asText()).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(out.path("event").path("id").asText()).isEqualTo("1700000000.123:7");
    }

    @Test
    void anAbstractUnixSocketIsAnAtNameAndBindIsTheSource() throws Exception {
        AuditEvent e = TestRecords.event(
                "type=SYSCALL msg=audit(1700000000.000:8): arch=c000003e syscall=49 success=yes exit=0 pid=42"
                        + " comm=\"x\"\u001dSYSCALL=bind",
                "type=SOCKADDR msg=audit(1700000000.000:8): saddr=0100006162630000");

        JsonNode out = encode(e);

        assertThat(out.path("source").path("address").asText()).isEqualTo("@abc");
        assertThat(out.has("destination")).isFalse();
        assertThat(out.path("event").path("action").asText()).isEqualTo("bound-socket");
    }

    @Test
    void processLabelsAreLabelsWithoutDotsAndAUserSpaceRecordsMsgFillsUserAndOutcome() throws Exception {
        AuditEvent labelled = TestRecords.event("type=SYSCALL msg=audit(1700000000.000:9): syscall=2 success=no"
                + " exit=-2 pid=1");
        Record sc = labelled.first(RecordType.SYSCALL);
        sc.set("LABELS", Value.list(List.of(Value.text("web.server"), Value.text("software_mgmt"))));
        JsonNode out = encode(labelled);
        assertThat(out.path("labels").toString()).isEqualTo("{\"web_server\":\"true\",\"software_mgmt\":\"true\"}");
        assertThat(out.path("event").path("outcome").asText()).isEqualTo("failure");

        JsonNode login = encode(TestRecords.event("type=USER_LOGIN msg=audit(1700000000.000:10): pid=7 uid=0"
                + " auid=1000 ses=3 msg='op=login acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.9"
                + " terminal=ssh res=failed'"));
        assertThat(login.path("user").path("effective").path("name").asText()).isEqualTo("alice");
        assertThat(login.path("process").path("executable").asText()).isEqualTo("/usr/sbin/sshd");
        assertThat(login.path("event").path("outcome").asText()).isEqualTo("failure");
        assertThat(login.path("event").path("category").toString()).isEqualTo("[\"authentication\"]");
        assertThat(login.path("auditd").path("user_login").path("msg").asText()).contains("acct=\"alice\"");
    }

    @Test
    void sigmaAttackTagsAreSortedIntoTacticNamesTechniquesAndSubtechniques() {
        Set<String> tactics = new LinkedHashSet<>();
        Set<String> techniques = new LinkedHashSet<>();
        Set<String> subtechniques = new LinkedHashSet<>();
        for (String tag : List.of("attack.command-and-control", "attack.t1059.004", "attack.T1059", "attack.g0032",
                "attack.s0002", "attack.stealth", "cve.2021-4034", "attack.t1105", "attack.execution", "attack.execution")) {
            EcsFormat.attackTag(tag, tactics, techniques, subtechniques);
        }
        assertThat(tactics).containsExactly("Command and Control", "Stealth", "Execution");
        assertThat(techniques).containsExactly("T1059", "T1105");
        assertThat(subtechniques).containsExactly("T1059.004");
    }
}
