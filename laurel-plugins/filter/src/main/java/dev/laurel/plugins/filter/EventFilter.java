package dev.laurel.plugins.filter;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.Enricher;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.SockaddrDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Drops events that match any of its rules: audit key, no key, process label, socket address,
 * executable, systemd service or raw line. Unless turned off, the first event of each process is
 * kept even if it matches, so that other events' references to that process (its exec event id
 * in PARENT_INFO, for instance) lead somewhere.
 *
 * <p>Dropping only marks the event ({@link AuditEvent#drop()}); the engine has already fed it to
 * process tracking. Labels are read from the process table as they stand when this stage runs,
 * so a labeler must come earlier in the chain.
 */
final class EventFilter implements Enricher {

    /** The rules, as validated by the factory. */
    record Rules(List<byte[]> keys, boolean noKey, Set<String> labels, List<SockaddrRule> sockaddrs,
                 List<Pattern> exes, ServiceCgroups services, List<Pattern> rawLines) {
    }

    private final Rules rules;
    private final ProcessTable processes;    // null if neither labels nor keep-first need it
    private final FirstEvents firstEvents;   // null when keep-first-per-process is off

    EventFilter(Rules rules, ProcessTable processes, FirstEvents firstEvents) {
        this.rules = rules;
        this.processes = processes;
        this.firstEvents = firstEvents;
    }

    @Override
    public void enrich(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        long pid = sc == null ? -1 : sc.getLong("pid", -1);
        ProcessInfo process = pid >= 0 && processes != null ? processes.get(pid) : null;
        // Every event of a process counts towards "first", whether or not it matches.
        boolean first = firstEvents != null && pid >= 0 && firstEvents.first(new FirstEvents.Process(pid,
                process == null ? null : process.lastExec(), process == null ? -1 : process.startTime()));
        if (!first && matches(event, sc, pid, process)) {
            event.drop();
        }
    }

    private boolean matches(AuditEvent event, Record sc, long pid, ProcessInfo process) {
        if (sc != null) {
            if ((!rules.keys().isEmpty() || rules.noKey()) && matchesKey(sc.get("key"))) {
                return true;
            }
            if (!rules.labels().isEmpty() && process != null) {
                for (String label : process.labels()) {
                    if (rules.labels().contains(label)) {
                        return true;
                    }
                }
            }
            if (!rules.exes().isEmpty()) {
                byte[] exe = sc.decoded("exe");
                if (exe != null && anyFinds(rules.exes(), new String(exe, StandardCharsets.UTF_8))) {
                    return true;
                }
            }
            if (!rules.services().isEmpty() && pid >= 0 && rules.services().contains(pid)) {
                return true;
            }
        }
        if (!rules.sockaddrs().isEmpty() && matchesSockaddr(event, sc)) {
            return true;
        }
        if (!rules.rawLines().isEmpty()) {
            for (Record r : event.records()) {
                if (anyFinds(rules.rawLines(), new String(r.line(), StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The SYSCALL {@code key}: {@code (null)}, one key, or several separated by 0x01. */
    private boolean matchesKey(Value key) {
        if (key == null) {
            return false;
        }
        if (key instanceof Value.Null || (key instanceof Value.Token t && t.encoding() == Encoding.NULL)) {
            return rules.noKey();
        }
        if (key instanceof Value.ListValue list) {      // a stage that split the keys already
            for (Value item : list.items()) {
                if (matchesKey(item)) {
                    return true;
                }
            }
            return false;
        }
        byte[] b = key instanceof Value.Token t ? t.decoded()
                : key instanceof Value.Text t ? t.bytes() : null;
        if (b == null || rules.keys().isEmpty()) {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= b.length; i++) {
            if (i == b.length || b[i] == 0x01) {
                for (byte[] k : rules.keys()) {
                    if (Arrays.equals(b, start, i, k, 0, k.length)) {
                        return true;
                    }
                }
                start = i + 1;
            }
        }
        return false;
    }

    private boolean matchesSockaddr(AuditEvent event, Record sc) {
        boolean littleEndian = SockaddrDecoder.isLittleEndian(sc);
        for (Record r : event.records()) {
            if (r.type() != RecordType.SOCKADDR) {
                continue;
            }
            SockaddrDecoder.Endpoint ep = SockaddrDecoder.endpoint(SockaddrDecoder.bytes(r.get("saddr")), littleEndian);
            if (ep == null) {
                continue;
            }
            for (SockaddrRule rule : rules.sockaddrs()) {
                if (rule.matches(ep.address(), ep.port())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean anyFinds(List<Pattern> patterns, String subject) {
        for (Pattern p : patterns) {
            if (p.matcher(subject).find()) {
                return true;
            }
        }
        return false;
    }
}
