package dev.laurel.plugins.keylabeler;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.Enricher;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.Records;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
    private final Set<String> propagate;
    private final List<Rule> exeRules;
    private final List<Rule> argvRules;
    private final List<Rule> scriptRules;
    private final int argvCount;
    private final int argvBytes;
    /** {@code label-keys} as UTF-8 bytes, and as the Strings they came from, in the same order. */
    private final byte[][] labelKeyBytes;
    private final String[] labelKeyNames;
    /** The labels {@link #labelList} last made a list of, and that list. */
    private String[] lastLabels;
    private Value lastLabelList;

    KeyLabeler(ProcessTable processes, List<String> labelKeys, List<String> propagate, List<Rule> exeRules,
               List<Rule> argvRules, List<Rule> scriptRules, int argvCount, int argvBytes) {
        this.processes = processes;
        this.labelKeyNames = Set.copyOf(labelKeys).toArray(new String[0]);
        this.labelKeyBytes = new byte[labelKeyNames.length][];
        for (int i = 0; i < labelKeyNames.length; i++) {
            labelKeyBytes[i] = labelKeyNames[i].getBytes(StandardCharsets.UTF_8);
        }
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
        if (labelKeyBytes.length > 0) {
            labelByKey(sc, pid);
        }
        Record execve = event.first(RecordType.EXECVE);
        if (execve != null && isYes(sc)) {
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
        if (p != null) {
            Set<String> labels = p.labels();
            if (!labels.isEmpty()) {
                sc.set("LABELS", labelList(labels));
            }
        }
    }

    /**
     * Labels the process with each of the event's keys (separated by 0x01) that is one of
     * {@code label-keys}. The keys are compared as bytes, in the line where the key is still the
     * token parsed there: no copy and no String per key and event.
     */
    private void labelByKey(Record sc, long pid) {
        int f = sc.indexOf("key");
        if (f < 0) {
            return;
        }
        byte[] key;
        int from;
        int to;
        Encoding parsed = Records.tokenEncoding(sc, f);
        if (parsed != null && parsed != Encoding.HEX) {
            if (parsed == Encoding.NULL || parsed == Encoding.UNSET) {
                return;
            }
            key = sc.line();
            from = Records.tokenOffset(sc, f);
            to = from + Records.tokenLength(sc, f);
        } else {
            key = sc.decoded("key");
            if (key == null) {
                return;
            }
            from = 0;
            to = key.length;
        }
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || key[i] == 0x01) {
                String k = labelKey(key, start, i - start);
                if (k != null) {
                    processes.label(pid, k, propagate.contains(k));
                }
                start = i + 1;
            }
        }
    }

    /** The label key whose UTF-8 bytes are {@code b[off, off+len)}, or {@code null}. */
    private String labelKey(byte[] b, int off, int len) {
        for (int j = 0; j < labelKeyBytes.length; j++) {
            byte[] k = labelKeyBytes[j];
            if (k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) {
                return labelKeyNames[j];
            }
        }
        return null;
    }

    /**
     * The LABELS list for this set of labels: the one made last time while the set is the same
     * (a labelled process tree gives the same labels event after event). Values are immutable,
     * so events may share one.
     */
    private Value labelList(Set<String> labels) {
        String[] last = lastLabels;
        if (last != null && last.length == labels.size()) {
            boolean same = true;
            for (int i = 0; i < last.length && same; i++) {
                same = labels.contains(last[i]);
            }
            if (same) {
                return lastLabelList;
            }
        }
        List<Value> list = new ArrayList<>(labels.size());
        for (String l : labels) {       // sorted by the table
            list.add(Value.text(l));
        }
        lastLabels = labels.toArray(new String[0]);
        lastLabelList = Value.list(list);
        return lastLabelList;
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

    /** Whether {@code success} is yes, as a token (compared in the line, no Token made) or as text. */
    private static boolean isYes(Record sc) {
        int i = sc.indexOf("success");
        return i >= 0 && (Records.tokenIs(sc, i, "yes")
                || sc.value(i) instanceof Value.Text text && text.asString().equals("yes"));
    }
}
