package dev.laurel.plugins.usergroups;

import dev.laurel.plugins.proc.ErrorField;
import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds {@code SYSCALL.GROUPS}, the supplementary group ids of the event's process as a list of
 * numbers, from the {@code Groups:} line of {@code /proc/PID/status} ({@code []} for none), and
 * with {@code names} on, {@code SYSCALL.GROUP_NAMES} in the same order ({@code unknown(<gid>)}
 * for an id the group file does not name, as auditd writes unknown ids). These are the groups as
 * laurel reads them, which may be later than the event. When status cannot be read or has no
 * well-formed {@code Groups:} line, {@code SYSCALL.GROUPS_ERROR} says why (unless
 * {@code report-errors} is off); more than {@code max-groups} are cut, and GROUPS_ERROR says so.
 */
final class UserGroups implements Enricher {
    private static final int MAX_BYTES = 1 << 20;
    private static final byte[] KEY = "Groups:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ProcFiles proc;
    private final Map<Long, String> names;
    private final int maxGroups;
    private final ErrorField errors;

    UserGroups(ProcFiles proc, Map<Long, String> names, int maxGroups, ErrorField errors) {
        this.proc = proc;
        this.names = names;
        this.maxGroups = maxGroups;
        this.errors = errors;
    }

    @Override
    public void enrich(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        if (sc == null) {
            return;
        }
        ProcFiles.Read read = proc.read(sc.getLong("pid", -1), "status", MAX_BYTES);
        if (!read.ok()) {
            error(sc, read.problem());
            return;
        }
        List<Long> gids = new ArrayList<>();
        String problem = groups(read.bytes(), gids);
        if (problem != null) {
            error(sc, problem);
            return;
        }
        List<Value> numbers = new ArrayList<>(Math.min(gids.size(), maxGroups));
        List<Value> named = names == null ? null : new ArrayList<>(numbers.size());
        for (int i = 0; i < gids.size() && i < maxGroups; i++) {
            long gid = gids.get(i);
            numbers.add(Value.number(gid));
            if (named != null) {
                String n = names.get(gid);
                named.add(Value.text(n != null ? n : "unknown(" + gid + ")"));
            }
        }
        sc.set("GROUPS", Value.list(numbers));
        if (named != null) {
            sc.set("GROUP_NAMES", Value.list(named));
        }
        if (gids.size() > maxGroups) {
            error(sc, gids.size() + " groups, the first " + maxGroups + " listed");
        }
    }

    private void error(Record sc, String problem) {
        errors.set(sc, problem);
    }

    /** Fills {@code out} from the Groups line of a status file; returns a problem or {@code null}. */
    static String groups(byte[] status, List<Long> out) {
        int i = 0;
        while (i < status.length) {
            int end = i;
            while (end < status.length && status[end] != '\n') {
                end++;
            }
            if (end - i >= KEY.length && java.util.Arrays.equals(status, i, i + KEY.length, KEY, 0, KEY.length)) {
                return numbers(status, i + KEY.length, end, out);
            }
            i = end + 1;
        }
        return "no Groups line in status";
    }

    private static String numbers(byte[] b, int from, int to, List<Long> out) {
        int i = from;
        while (i < to) {
            if (b[i] == ' ' || b[i] == '\t') {
                i++;
                continue;
            }
            long n = 0;
            int start = i;
            while (i < to && b[i] >= '0' && b[i] <= '9' && i - start < 10) {
                n = n * 10 + (b[i] - '0');
                i++;
            }
            if (i == start || (i < to && b[i] != ' ' && b[i] != '\t') || n > 0xffffffffL) {
                out.clear();
                return "malformed Groups line";
            }
            out.add(n);
        }
        return null;
    }
}
