package dev.laurel.plugins.sigma;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs Sigma rules on every event and adds a top-level {@code SIGMA} list, one object
 * {@code {"id","title","level","tags"}} per rule matched, in rule order; optionally labels the
 * matched process (by level or tag), labels that can propagate to its children.
 *
 * <p>Rules are indexed by log source, and {@code service: auditd} rules also by the record type
 * their condition requires; within each, by the literals their conditions require
 * ({@link RuleIndex}), so that a record is only tried against the rules that can match it.
 */
final class Sigma implements Enricher {

    private final List<SigmaRule> rules;
    private final Detection[] detections;
    private final Value[] outputs;
    /**
     * auditd rules by record type name, those for any type included; made when a type is first
     * seen for the types no rule names ({@link #anyRules} alone): at most one per record type
     * auditd has, a few hundred.
     */
    private final Map<String, RuleIndex> byType;
    private final List<Integer> anyRules;
    private final RuleIndex processCreation;
    private final RuleIndex fileEvent;
    private final RuleIndex networkConnection;
    /** The rules of the index being run that can match, as bit words. */
    private final long[] candidates;
    private final ProcessTable processes;
    private final Map<SigmaRule.Level, String> levelLabels;
    private final Map<String, String> tagLabels;
    private final Set<String> propagate;
    private final BitSet matched = new BitSet();
    private final EventSources.AuditdRecord auditd = new EventSources.AuditdRecord();
    private final EventSources.ProcessCreation process;
    private final EventSources.FileEvent file;
    private final EventSources.NetworkConnection network;

    Sigma(List<SigmaRule> rules, ProcessTable processes, Map<String, String> fieldMap,
          Map<SigmaRule.Level, String> levelLabels, Map<String, String> tagLabels, Set<String> propagate) {
        this.rules = List.copyOf(rules);
        this.processes = processes;
        this.levelLabels = Map.copyOf(levelLabels);
        this.tagLabels = Map.copyOf(tagLabels);
        this.propagate = Set.copyOf(propagate);
        this.outputs = new Value[rules.size()];
        this.detections = new Detection[rules.size()];
        Map<String, List<Integer>> types = new HashMap<>();
        List<Integer> any = new ArrayList<>();
        List<Integer> pc = new ArrayList<>();
        List<Integer> fe = new ArrayList<>();
        List<Integer> nc = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            SigmaRule r = rules.get(i);
            outputs[i] = output(r);
            detections[i] = r.detection();
            switch (r.logSource()) {
                case "auditd" -> {
                    Set<String> t = r.detection().recordTypes();
                    if (t == null) {
                        any.add(i);
                    } else {
                        for (String type : t) {
                            types.computeIfAbsent(type, k -> new ArrayList<>()).add(i);
                        }
                    }
                }
                case "process_creation" -> pc.add(i);
                case "file_event" -> fe.add(i);
                default -> nc.add(i);
            }
        }
        this.candidates = new long[(rules.size() + 63) >>> 6];
        this.byType = new HashMap<>();
        // the rules for any record type are in each type's index too: one search of each field per record
        types.forEach((k, v) -> {
            List<Integer> both = new ArrayList<>(v);
            both.addAll(any);
            both.sort(null);
            byType.put(k, new RuleIndex(both, rules, k, candidates));
        });
        this.anyRules = List.copyOf(any);
        this.processCreation = new RuleIndex(pc, rules, null, candidates);
        this.fileEvent = new RuleIndex(fe, rules, null, candidates);
        this.networkConnection = new RuleIndex(nc, rules, null, candidates);
        this.process = new EventSources.ProcessCreation(fieldMap, processes);
        this.file = new EventSources.FileEvent(fieldMap, processes);
        this.network = new EventSources.NetworkConnection(fieldMap, processes);
    }

    private static Value output(SigmaRule r) {
        Map<String, Value> o = new LinkedHashMap<>();
        o.put("id", r.id() == null ? Value.NULL : Value.text(r.id()));
        o.put("title", Value.text(r.title()));
        o.put("level", Value.text(r.level().word()));
        o.put("tags", Value.list(r.tags().stream().map(Value::text).toList()));
        return Value.object(o);
    }

    @Override
    public void enrich(AuditEvent event) {
        matched.clear();
        List<Record> records = event.records();
        if (!anyRules.isEmpty() || !byType.isEmpty()) {
            for (int i = 0, n = records.size(); i < n; i++) {
                Record r = records.get(i);
                RuleIndex typed = byType.get(r.type().name());
                if (typed == null) {
                    typed = new RuleIndex(anyRules, rules, r.type().name(), candidates);
                    byType.put(r.type().name(), typed);
                }
                if (typed.isEmpty()) {
                    continue;
                }
                auditd.of(r);
                run(typed, auditd);
            }
        }
        Record sc = event.first(RecordType.SYSCALL);
        if (sc != null) {
            categories(event, sc);
        }
        if (!matched.isEmpty()) {
            report(event, sc);
        }
        if (!levelLabels.isEmpty() || !tagLabels.isEmpty()) {
            writeLabels(sc);
        }
    }

    private void categories(AuditEvent event, Record sc) {
        Record execve = event.first(RecordType.EXECVE);
        if (execve != null && succeeded(sc)) {
            process.of(event, sc, execve);
            run(processCreation, process);
            process.remember(event.id());
        }
        if (!fileEvent.isEmpty()) {
            for (Record r : event.records()) {
                if (r.type() == RecordType.PATH && "CREATE".equals(EventSources.recordField(r, "nametype"))) {
                    file.of(event, sc, r);
                    run(fileEvent, file);
                }
            }
        }
        if (!networkConnection.isEmpty()) {
            String name = EventSources.recordField(sc, "SYSCALL");
            boolean connect = "connect".equals(name);
            Record sa = event.first(RecordType.SOCKADDR);
            if (sa != null && (connect || "accept".equals(name) || "accept4".equals(name))
                    && network.of(event, sc, connect, sa)) {
                run(networkConnection, network);
            }
        }
    }

    private static boolean succeeded(Record sc) {
        Value v = sc.get("success");
        return v instanceof Value.Token t ? t.is("yes") : "yes".equals(FieldSource.text(v));
    }

    private void run(RuleIndex rules, FieldSource source) {
        if (rules.isEmpty()) {
            return;
        }
        rules.candidates(source);
        for (int w = 0; w < candidates.length; w++) {
            for (long bits = candidates[w]; bits != 0; bits &= bits - 1) {
                int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                if (!matched.get(i) && detections[i].matches(source)) {
                    matched.set(i);
                }
            }
        }
    }

    private void report(AuditEvent event, Record sc) {
        List<Value> list = new ArrayList<>(matched.cardinality());
        long pid = sc == null ? -1 : sc.getLong("pid", -1);
        for (int i = matched.nextSetBit(0); i >= 0; i = matched.nextSetBit(i + 1)) {
            list.add(outputs[i]);
            if (pid >= 0) {
                label(pid, rules.get(i));
            }
        }
        event.put("SIGMA", Value.list(list));
    }

    private void label(long pid, SigmaRule rule) {
        String l = levelLabels.get(rule.level());
        if (l != null) {
            processes.label(pid, l, propagate.contains(l));
        }
        for (String tag : rule.tags()) {
            String t = tagLabels.get(tag);
            if (t != null) {
                processes.label(pid, t, propagate.contains(t));
            }
        }
    }

    /** The process's labels as a sorted SYSCALL.LABELS list, as key-labeler writes it. */
    private void writeLabels(Record sc) {
        long pid = sc == null ? -1 : sc.getLong("pid", -1);
        ProcessInfo p = pid < 0 ? null : processes.get(pid);
        if (p != null && !p.labels().isEmpty()) {
            sc.set("LABELS", Value.list(p.labels().stream().map(Value::text).toList()));
        }
    }
}
