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
 * their condition requires, so a record is only tried against the rules that can match it.
 */
final class Sigma implements Enricher {

    private static final int[] NONE = new int[0];

    private final List<SigmaRule> rules;
    private final Value[] outputs;
    /** auditd rules by record type name; {@link #anyType} those that can match any record. */
    private final Map<String, int[]> byType;
    private final int[] anyType;
    private final int[] processCreation;
    private final int[] fileEvent;
    private final int[] networkConnection;
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
        Map<String, List<Integer>> types = new HashMap<>();
        List<Integer> any = new ArrayList<>();
        List<Integer> pc = new ArrayList<>();
        List<Integer> fe = new ArrayList<>();
        List<Integer> nc = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            SigmaRule r = rules.get(i);
            outputs[i] = output(r);
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
        this.byType = new HashMap<>();
        types.forEach((k, v) -> byType.put(k, ints(v)));
        this.anyType = ints(any);
        this.processCreation = ints(pc);
        this.fileEvent = ints(fe);
        this.networkConnection = ints(nc);
        this.process = new EventSources.ProcessCreation(fieldMap, processes);
        this.file = new EventSources.FileEvent(fieldMap, processes);
        this.network = new EventSources.NetworkConnection(fieldMap, processes);
    }

    private static int[] ints(List<Integer> l) {
        return l.isEmpty() ? NONE : l.stream().mapToInt(Integer::intValue).toArray();
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
        if (anyType.length > 0 || !byType.isEmpty()) {
            for (int i = 0, n = records.size(); i < n; i++) {
                Record r = records.get(i);
                int[] typed = byType.getOrDefault(r.type().name(), NONE);
                if (typed.length == 0 && anyType.length == 0) {
                    continue;
                }
                auditd.of(r);
                run(typed, auditd);
                run(anyType, auditd);
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
        if (execve != null && "yes".equals(EventSources.recordField(sc, "success"))) {
            process.of(event, sc, execve);
            run(processCreation, process);
            process.remember(event.id());
        }
        if (fileEvent.length > 0) {
            for (Record r : event.records()) {
                if (r.type() == RecordType.PATH && "CREATE".equals(EventSources.recordField(r, "nametype"))) {
                    file.of(event, sc, r);
                    run(fileEvent, file);
                }
            }
        }
        if (networkConnection.length > 0) {
            String name = EventSources.recordField(sc, "SYSCALL");
            boolean connect = "connect".equals(name);
            Record sa = event.first(RecordType.SOCKADDR);
            if (sa != null && (connect || "accept".equals(name) || "accept4".equals(name))
                    && network.of(event, sc, connect, sa)) {
                run(networkConnection, network);
            }
        }
    }

    private void run(int[] candidates, FieldSource source) {
        for (int i : candidates) {
            if (!matched.get(i) && rules.get(i).detection().matches(source)) {
                matched.set(i);
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
