package dev.laurel.plugins.filter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tells whether a process runs in one of some systemd system services, from its
 * {@code PROC-ROOT/PID/cgroup} (audit records do not carry the cgroup). A unit runs in the
 * cgroup {@code /system.slice/UNIT} (cgroup v2, or the v1 {@code name=systemd} hierarchy).
 *
 * <p>A process that has exited, or a file that cannot be read, matches nothing; so does every
 * process when the config says {@code proc-root: none}.
 */
final class ServiceCgroups {
    private final Path procRoot;
    private final List<String> units;

    /**
     * @param units unit names; a name without a dot means {@code NAME.service}
     */
    ServiceCgroups(Path procRoot, List<String> units) {
        this.procRoot = procRoot;
        this.units = units.stream().map(u -> u.indexOf('.') < 0 ? u + ".service" : u).toList();
    }

    boolean isEmpty() {
        return units.isEmpty();
    }

    /** Whether process {@code pid} is, right now, in one of the units. */
    boolean contains(long pid) {
        if (procRoot == null) {
            return false;   // proc-root: none; a converted log's processes are not this machine's
        }
        byte[] content;
        try {
            content = Files.readAllBytes(procRoot.resolve(Long.toString(pid)).resolve("cgroup"));
        } catch (IOException | SecurityException e) {
            return false;
        }
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            // hierarchy-ID:controllers:path
            int second = line.indexOf(':', line.indexOf(':') + 1);
            if (second >= 0 && inUnit(line.substring(second + 1))) {
                return true;
            }
        }
        return false;
    }

    private boolean inUnit(String path) {
        for (String unit : units) {
            String dir = "/system.slice/" + unit;
            int at = path.indexOf(dir);
            if (at >= 0) {
                int end = at + dir.length();
                if (end == path.length() || path.charAt(end) == '/') {
                    return true;
                }
            }
        }
        return false;
    }

    /** A unit name users may write: no slash, not empty. */
    static boolean isUnitName(String name) {
        return !name.isBlank() && name.indexOf('/') < 0 && name.indexOf(':') < 0;
    }
}
