package dev.laurel.plugins.keylabeler;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Attaches labels to processes and writes the labels of an event's process as a sorted
 * {@code SYSCALL.LABELS} list.
 *
 * <p>An event whose {@code key} (several keys are separated by 0x01) is one of
 * {@code label-keys} labels its process. At a successful exec, {@code label-exe}/{@code unlabel-exe}
 * rules match the executable's path and {@code label-argv}/{@code unlabel-argv} rules the command
 * line, and {@code label-script}/{@code unlabel-script} rules the script an interpreter runs
 * ({@code SYSCALL.SCRIPT}, from the {@code script} enricher earlier in the chain). Labels named
 * in {@code propagate-labels} are attached as propagating: the engine's process table copies
 * them to every child forked from then on, whether or not the child execs.
 */
final class KeyLabeler implements Enricher {

    /** A regex that attaches or removes a label. */
    record Rule(Pattern pattern, String label, boolean attach) {
    }

    private final ProcessTable processes;
    private final Set<String> labelKeys;
    private final Set<String> propagate;
    private final List<Rule> exeRules;
    private final List<Rule> argvRules;
    private final List<Rule> scriptRules;
    private final int argvCount;
    private final int argvBytes;

    KeyLabeler(ProcessTable processes, List<String> labelKeys, List<String> propagate, List<Rule> exeRules,
               List<Rule> argvRules, List<Rule> scriptRules, int argvCount, int argvBytes) {
        this.processes = processes;
        this.labelKeys = Set.copyOf(labelKeys);
        this.propagate = Set.copyOf(propagate);
        this.exeRules = List.copyOf(exeRules);
        this.argvRules = List.copyOf(argvRules);
        this.scriptRules = List.copyOf(scriptRules);
        this.argvCount = argvCount;
        this.argvBytes = argvBytes;
    }

    @Override
    public void enrich(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        if (sc == null) {
            return;
        }
        long pid = sc.getLong("pid", -1);
        if (pid < 0) {
            return;
        }
        if (!labelKeys.isEmpty()) {
            byte[] key = sc.decoded("key");
            if (key != null) {
                int start = 0;
                for (int i = 0; i <= key.length; i++) {
                    if (i == key.length || key[i] == 0x01) {
                        String k = new String(key, start, i - start, StandardCharsets.UTF_8);
                        if (labelKeys.contains(k)) {
                            processes.label(pid, k, propagate.contains(k));
                        }
                        start = i + 1;
                    }
                }
            }
        }
        Record execve = event.first(RecordType.EXECVE);
        if (execve != null && isYes(sc.get("success"))) {
            byte[] exe = sc.decoded("exe");
            if (exe != null) {
                apply(exeRules, pid, new String(exe, StandardCharsets.UTF_8));
            }
            if (!argvRules.isEmpty()) {
                apply(argvRules, pid, commandLine(execve));
            }
            byte[] script = scriptRules.isEmpty() ? null : sc.decoded("SCRIPT");
            if (script != null) {
                apply(scriptRules, pid, new String(script, StandardCharsets.UTF_8));
            }
        }
        ProcessInfo p = processes.get(pid);
        if (p != null && !p.labels().isEmpty()) {
            List<Value> labels = new ArrayList<>(p.labels().size());
            for (String l : p.labels()) {       // sorted by the table
                labels.add(Value.text(l));
            }
            sc.set("LABELS", Value.list(labels));
        }
    }

    private void apply(List<Rule> rules, long pid, String subject) {
        for (Rule r : rules) {
            if (r.pattern().matcher(subject).find()) {
                if (r.attach()) {
                    processes.label(pid, r.label(), propagate.contains(r.label()));
                } else {
                    processes.unlabel(pid, r.label());
                }
            }
        }
    }

    private String commandLine(Record execve) {
        if (!(execve.get("ARGV") instanceof Value.ListValue argv)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Value v : argv.items()) {
            if (n++ == argvCount || sb.length() >= argvBytes) {
                break;
            }
            if (n > 1) {
                sb.append(' ');
            }
            byte[] b = null;
            if (v instanceof Value.Text text) {
                b = text.bytes();
            } else if (v instanceof Value.Token token) {
                b = token.decoded();
            }
            if (b != null) {
                sb.append(new String(b, StandardCharsets.UTF_8));
            }
        }
        return sb.length() > argvBytes ? sb.substring(0, argvBytes) : sb.toString();
    }

    private static boolean isYes(Value v) {
        if (v instanceof Value.Token t) {
            return t.is("yes");
        }
        return v instanceof Value.Text text && text.asString().equals("yes");
    }
}
