package dev.laurel.plugins.container;

import dev.laurel.plugins.proc.ErrorField;
import dev.laurel.plugins.proc.PidObject;
import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Adds a top-level {@code CONTAINER_INFO: {"ID": "<64 hex digits>"}}, LAUREL's form, to events
 * whose SYSCALL process runs in a container, found in {@code /proc/PID/cgroup}: a path segment
 * {@code docker-<id>.scope}, {@code cri-containerd-<id>.scope}, {@code crio-<id>.scope},
 * {@code libpod-<id>.scope} (systemd cgroup driver) or a bare {@code <id>} segment as in
 * {@code /docker/<id>} and {@code /kubepods/burstable/pod<uid>/<id>} (cgroupfs driver). The
 * deepest match of the first line that has one wins. When the file cannot be read, a top-level
 * {@code CONTAINER_INFO_ERROR} says why (unless {@code report-errors} is off). With
 * {@code style: laurel-0.8} the id goes where LAUREL 0.7+ puts it with {@code container = true}:
 * {@code SYSCALL.PID.container: {"id": ...}}.
 */
final class Container implements Enricher {
    private static final int MAX_BYTES = 64 * 1024;
    private static final String[] PREFIXES = {"docker-", "cri-containerd-", "crio-", "libpod-"};
    private static final byte[] SCOPE = ".scope".getBytes(StandardCharsets.US_ASCII);

    private final ProcFiles proc;
    private final boolean inPid;
    private final ErrorField errors;

    /** @param inPid LAUREL 0.8's {@code SYSCALL.PID.container {id}} instead of the top-level field */
    Container(ProcFiles proc, boolean inPid, ErrorField errors) {
        this.proc = proc;
        this.inPid = inPid;
        this.errors = errors;
    }

    @Override
    public void enrich(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        if (sc == null) {
            return;
        }
        ProcFiles.Read read = proc.read(sc.getLong("pid", -1), "cgroup", MAX_BYTES);
        if (!read.ok()) {
            errors.put(event, read.problem());
            return;
        }
        String id = containerId(read.bytes());
        if (id == null) {
            return;
        }
        if (inPid) {
            PidObject.put(sc, "container", Value.object(Map.of("id", Value.text(id))));
        } else {
            event.put("CONTAINER_INFO", Value.object(Map.of("ID", Value.text(id))));
        }
    }

    /** The container id in a cgroup file's text, or {@code null}. */
    static String containerId(byte[] cgroup) {
        int lineStart = 0;
        while (lineStart < cgroup.length) {
            int lineEnd = lineStart;
            while (lineEnd < cgroup.length && cgroup[lineEnd] != '\n') {
                lineEnd++;
            }
            // hierarchy:controllers:path; the path itself may hold colons
            int colons = 0;
            int pathStart = lineStart;
            while (pathStart < lineEnd && colons < 2) {
                if (cgroup[pathStart++] == ':') {
                    colons++;
                }
            }
            if (colons == 2) {
                String id = inPath(cgroup, pathStart, lineEnd);
                if (id != null) {
                    return id;
                }
            }
            lineStart = lineEnd + 1;
        }
        return null;
    }

    private static String inPath(byte[] b, int from, int to) {
        int end = to;
        while (end > from) {
            int start = end;
            while (start > from && b[start - 1] != '/') {
                start--;
            }
            String id = inSegment(b, start, end);
            if (id != null) {
                return id;
            }
            end = start - 1;
        }
        return null;
    }

    private static String inSegment(byte[] b, int from, int to) {
        if (to - from == 64) {
            return hex64(b, from);
        }
        int len = to - from;
        if (len <= SCOPE.length + 64 || !endsWith(b, to, SCOPE)) {
            return null;
        }
        int idEnd = to - SCOPE.length;
        for (String p : PREFIXES) {
            if (idEnd - from == p.length() + 64 && startsWith(b, from, p)) {
                return hex64(b, from + p.length());
            }
        }
        return null;
    }

    private static String hex64(byte[] b, int from) {
        for (int i = from; i < from + 64; i++) {
            byte c = b[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
        }
        return new String(b, from, 64, StandardCharsets.US_ASCII);
    }

    private static boolean endsWith(byte[] b, int to, byte[] suffix) {
        for (int i = 0; i < suffix.length; i++) {
            if (b[to - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int from, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (b[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
