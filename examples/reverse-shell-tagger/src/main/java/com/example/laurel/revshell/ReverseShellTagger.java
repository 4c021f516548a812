package com.example.laurel.revshell;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Adds {@code FIELD: {technique, name, pattern}} to events whose EXECVE matches a pattern. */
final class ReverseShellTagger implements Enricher {

    /** Well-known one-liners: a socket wired to a shell's standard streams. */
    static final List<Pattern> BUILT_IN = List.of(
            Pattern.compile("socket.*(exec|system)\\s*\\(?\\s*[\"']?/bin/(ba)?sh"),
            Pattern.compile("/dev/(tcp|udp)/[^/ ]+/\\d+"),
            Pattern.compile("\\b(nc|ncat|netcat)\\b.*\\s-(e|c)\\s"),
            Pattern.compile("pty\\.spawn\\(.*sh"));

    private final String field;
    private final List<Pattern> patterns;

    ReverseShellTagger(String field, List<Pattern> patterns) {
        this.field = field;
        this.patterns = List.copyOf(patterns);
    }

    @Override
    public void enrich(AuditEvent event) {
        Record execve = event.first(RecordType.EXECVE);
        if (execve == null || !(execve.get("ARGV") instanceof Value.ListValue argv)) {
            return;
        }
        String commandLine = join(argv);
        for (Pattern p : patterns) {
            if (p.matcher(commandLine).find()) {
                Map<String, Value> tag = new LinkedHashMap<>();
                tag.put("technique", Value.text("T1059"));
                tag.put("name", Value.text("Command and Scripting Interpreter: reverse shell"));
                tag.put("pattern", Value.text(p.pattern()));
                event.put(field, Value.object(tag));
                return;
            }
        }
    }

    private static String join(Value.ListValue argv) {
        StringBuilder sb = new StringBuilder();
        for (Value v : argv.items()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (v instanceof Value.Text t) {
                sb.append(t.asString());
            } else if (v instanceof Value.Token t) {
                byte[] b = t.decoded();
                if (b != null) {
                    sb.append(new String(b, StandardCharsets.UTF_8));
                }
            }
        }
        return sb.toString();
    }
}
