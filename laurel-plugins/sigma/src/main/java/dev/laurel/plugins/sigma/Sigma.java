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
import java.util.Collection;
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
    private final Detection[] detections;
    private final Value[] outputs;
    /** auditd rules by record type name; {@link #anyType} those that can match any record. */
    private final Map<String, Keyed> byType;
    private final Keyed anyType;
    private final Keyed processCreation;
    private final Keyed fileEvent;
    private final Keyed networkConnection;
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
        this.byType = new HashMap<>();
        // an EXECVE rule mostly names its command (a0: chattr); the other record types are few rules each
        types.forEach((k, v) -> byType.put(k, new Keyed(k.equals("EXECVE") ? "a0" : null, false, v, rules)));
        this.anyType = new Keyed(null, false, any, rules);
        this.processCreation = new Keyed("Image", true, pc, rules);
        this.fileEvent = new Keyed(null, false, fe, rules);
        this.networkConnection = new Keyed(null, false, nc, rules);
        this.process = new EventSources.ProcessCreation(fieldMap, processes);
        this.file = new EventSources.FileEvent(fieldMap, processes);
        this.network = new EventSources.NetworkConnection(fieldMap, processes);
    }

    private static int[] ints(Collection<Integer> l) {
        return l.isEmpty() ? NONE : l.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Rules of one log source (or record type) by the key a field must have for them to match
     * ({@link Detection#keys}), and the rules that need none: only the rules under the field's
     * key and the rest are tried.
     */
    private static final class Keyed {
        final String field;
        final boolean basename;
        final Map<String, int[]> byKey = new HashMap<>();
        final int[] rest;

        Keyed(String field, boolean basename, List<Integer> indexes, List<SigmaRule> rules) {
            this.field = field;
            this.basename = basename;
            Map<String, List<Integer>> keyed = new HashMap<>();
            List<Integer> other = new ArrayList<>();
            for (int i : indexes) {
                Set<String> keys = field == null ? null : rules.get(i).detection().keys(field, basename);
                if (keys == null) {
                    other.add(i);
                } else {
                    for (String k : keys) {
                        keyed.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
                    }
                }
            }
            keyed.forEach((k, v) -> byKey.put(k, ints(v)));
            this.rest = ints(other);
        }

        boolean isEmpty() {
            return rest.length == 0 && byKey.isEmpty();
        }

        /** The rules keyed by the source's value of the field. */
        int[] keyed(FieldSource source) {
            if (byKey.isEmpty()) {
                return NONE;
            }
            String v = source.lower(field);
            if (v == null) {
                return NONE;
            }
            if (basename) {
                v = v.substring(v.lastIndexOf('/') + 1);
            }
            return byKey.getOrDefault(v, NONE);
        }
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
        if (!anyType.isEmpty() || !byType.isEmpty()) {
            for (int i = 0, n = records.size(); i < n; i++) {
                Record r = records.get(i);
                Keyed typed = byType.get(r.type().name());
                if (typed == null && anyType.isEmpty()) {
                    continue;
                }
                auditd.of(r);
                if (typed != null) {
                    run(typed, auditd);
                }
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

    private void run(Keyed rules, FieldSource source) {
        run(rules.keyed(source), source);
        run(rules.rest, source);
    }

    private void run(int[] candidates, FieldSource source) {
        for (int i : candidates) {
            if (!matched.get(i) && detections[i].matches(source)) {
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
