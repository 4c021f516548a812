package dev.laurel.plugins.keylabeler;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventId;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;
import dev.laurel.engine.process.ProcessTracker;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class KeyLabelerTest {
    private long serial = 1;

    private static Value.Token token(String s, Encoding e) {
        return new Value.Token(s.getBytes(StandardCharsets.UTF_8), e);
    }

    /** An execve event of pid 100 (parent 1) running {@code exe} with {@code args}; key as given. */
    private AuditEvent exec(String exe, Value key, String... args) {
        AuditEvent e = new AuditEvent(new EventId(1700000000L, 0, serial++), null);
        Record sc = new Record(RecordType.SYSCALL, new byte[0]);
        sc.add("arch", token("c000003e", Encoding.BARE));
        sc.add("syscall", token("59", Encoding.BARE));
        sc.add("success", token("yes", Encoding.BARE));
        sc.add("exit", token("0", Encoding.BARE));
        sc.add("ppid", token("1", Encoding.BARE));
        sc.add("pid", token("100", Encoding.BARE));
        sc.add("comm", token("x", Encoding.DOUBLE_QUOTED));
        sc.add("exe", token(exe, Encoding.DOUBLE_QUOTED));
        sc.add("key", key);
        e.records().add(sc);
        Record ex = new Record(RecordType.EXECVE, new byte[0]);
        ex.add("argc", token(Integer.toString(args.length), Encoding.BARE));
        ex.add("ARGV", Value.list(java.util.Arrays.stream(args).map(Value::text).toList()));
        e.records().add(ex);
        return e;
    }

    private static List<Value> labels(AuditEvent e) {
        Value v = e.first(RecordType.SYSCALL).get("LABELS");
        return v instanceof Value.ListValue l ? l.items() : List.of();
    }

    private static KeyLabeler.Rule rule(String regex, String label, boolean attach) {
        return new KeyLabeler.Rule(Pattern.compile(regex), label, attach);
    }

    @Test
    void eachOfSeveralKeysSeparatedBy0x01IsChecked() {
        ProcessTracker table = new ProcessTracker();
        KeyLabeler labeler = new KeyLabeler(table, List.of("b"), List.of(), List.of(), List.of(), List.of(), 32, 4096);
        // auditd hex-encodes a multi-key field: "a\x01b"
        AuditEvent e = exec("/bin/true", token("610162", Encoding.HEX), "true");
        table.observe(e);
        labeler.enrich(e);
        assertThat(labels(e)).containsExactly(Value.text("b"));
    }

    @Test
    void labelExeAttachesAndUnlabelExeRemovesAtExec() {
        ProcessTracker table = new ProcessTracker();
        KeyLabeler labeler = new KeyLabeler(table, List.of(), List.of(),
                List.of(rule("^/usr/lib/jvm/.*/bin/java$", "java", true), rule("bin/php$", "java", false)),
                List.of(), List.of(), 32, 4096);
        AuditEvent java = exec("/usr/lib/jvm/java-17/bin/java", token("(null)", Encoding.NULL), "java", "-jar", "x.jar");
        table.observe(java);
        labeler.enrich(java);
        assertThat(labels(java)).containsExactly(Value.text("java"));
        AuditEvent php = exec("/usr/bin/php", token("(null)", Encoding.NULL), "php");
        table.observe(php);
        labeler.enrich(php);
        assertThat(labels(php)).isEmpty();
    }

    @Test
    void labelArgvLooksOnlyAtTheConfiguredArgumentsAndBytes() {
        ProcessTracker table = new ProcessTracker();
        KeyLabeler within = new KeyLabeler(table, List.of(), List.of(), List.of(),
                List.of(rule("^ssh .*-R ", "tunnel", true)), List.of(), 32, 4096);
        AuditEvent e = exec("/usr/bin/ssh", token("(null)", Encoding.NULL), "ssh", "host", "-R", "8080:localhost:80");
        table.observe(e);
        within.enrich(e);
        assertThat(labels(e)).containsExactly(Value.text("tunnel"));

        ProcessTracker other = new ProcessTracker();
        KeyLabeler firstTwo = new KeyLabeler(other, List.of(), List.of(), List.of(),
                List.of(rule("^ssh .*-R ", "tunnel", true)), List.of(), 2, 4096);
        AuditEvent again = exec("/usr/bin/ssh", token("(null)", Encoding.NULL), "ssh", "host", "-R", "8080:localhost:80");
        other.observe(again);
        firstTwo.enrich(again);
        assertThat(labels(again)).isEmpty();
    }

    @Test
    void labelScriptMatchesTheScriptTheScriptEnricherFound() {
        ProcessTracker table = new ProcessTracker();
        KeyLabeler labeler = new KeyLabeler(table, List.of(), List.of(), List.of(), List.of(),
                List.of(rule("^/root/maint-.*[.]sh$", "maint", true)), 32, 4096);
        AuditEvent e = exec("/usr/bin/bash", token("(null)", Encoding.NULL), "bash", "/root/maint-daily.sh");
        e.first(RecordType.SYSCALL).set("SCRIPT", Value.text("/root/maint-daily.sh"));
        table.observe(e);
        labeler.enrich(e);
        assertThat(labels(e)).containsExactly(Value.text("maint"));
    }

    @Test
    void aFailedExecChangesNoExeLabel() {
        ProcessTracker table = new ProcessTracker();
        KeyLabeler labeler = new KeyLabeler(table, List.of(), List.of(), List.of(rule("java$", "java", true)),
                List.of(), List.of(), 32, 4096);
        AuditEvent e = exec("/usr/bin/java", token("(null)", Encoding.NULL), "java");
        e.first(RecordType.SYSCALL).set("success", token("no", Encoding.BARE));
        table.observe(e);
        labeler.enrich(e);
        assertThat(labels(e)).isEmpty();
    }

    /** A parsed-looking execve event: every field a token of {@code line}, as the parser makes them. */
    private AuditEvent parsedExec(long pid, String key) {
        String text = "success=yes ppid=1 pid=" + pid + " exe=\"/bin/true\" key=" + key;
        byte[] line = text.getBytes(StandardCharsets.UTF_8);
        Record sc = new Record(RecordType.SYSCALL, line);
        Records.addToken(sc, "arch", 0, 0, Encoding.EMPTY);
        int at = 0;
        for (String field : text.split(" ")) {
            int eq = field.indexOf('=');
            String name = field.substring(0, eq);
            int v = at + eq + 1;
            int len = field.length() - eq - 1;
            if (field.charAt(eq + 1) == '"') {
                Records.addToken(sc, name, v + 1, len - 2, Encoding.DOUBLE_QUOTED);
            } else if (field.endsWith("(null)")) {
                Records.addToken(sc, name, v, len, Encoding.NULL);
            } else {
                Records.addToken(sc, name, v, len, Encoding.BARE);
            }
            at += field.length() + 1;
        }
        AuditEvent e = new AuditEvent(new EventId(1700000000L, 0, serial++), null);
        e.records().add(sc);
        Record ex = new Record(RecordType.EXECVE, new byte[0]);
        ex.add("ARGV", Value.list(List.of(Value.text("true"))));
        e.records().add(ex);
        return e;
    }

    @Test
    void keysReadInTheLineLabelAndTheListFollowsEachProcesssLabels() {
        ProcessTracker table = new ProcessTracker();
        KeyLabeler labeler = new KeyLabeler(table, List.of("sw", "net"), List.of(), List.of(), List.of(), List.of(), 32, 4096);
        AuditEvent first = parsedExec(100, "\"sw\"");
        table.observe(first);
        labeler.enrich(first);
        assertThat(labels(first)).containsExactly(Value.text("sw"));
        AuditEvent other = parsedExec(200, "\"swx\"");     // a longer key is another key
        table.observe(other);
        labeler.enrich(other);
        assertThat(labels(other)).isEmpty();
        AuditEvent more = parsedExec(100, "\"net\"");
        table.observe(more);
        labeler.enrich(more);
        assertThat(labels(more)).containsExactly(Value.text("net"), Value.text("sw"));
        AuditEvent none = parsedExec(100, "(null)");
        table.observe(none);
        labeler.enrich(none);
        assertThat(labels(none)).containsExactly(Value.text("net"), Value.text("sw"));
        AuditEvent second = parsedExec(300, "\"net\"");
        table.observe(second);
        labeler.enrich(second);
        assertThat(labels(second)).containsExactly(Value.text("net"));
    }
}
