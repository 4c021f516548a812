package dev.laurel.plugins.systemd;

import dev.laurel.plugins.proc.ErrorField;
import dev.laurel.plugins.proc.PidObject;
import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the systemd unit of an event's process, read from the cgroup path in
 * {@code /proc/PID/cgroup} (the unified {@code 0::} line, else the v1 {@code name=systemd} line),
 * with journald's rules for {@code _SYSTEMD_UNIT} and {@code _SYSTEMD_USER_UNIT}:
 * {@code SYSCALL.UNIT} is the first unit below the slices ({@code /system.slice/nginx.service} →
 * {@code nginx.service}, {@code /user.slice/user-1000.slice/session-2.scope} →
 * {@code session-2.scope}, {@code /init.scope}); under a user manager
 * ({@code user@1000.service}) {@code SYSCALL.USER_UNIT} is the first unit below its own slices.
 * A cgroup outside any unit (the root, {@code /docker/<id>}) adds nothing. When the file cannot
 * be read, {@code SYSCALL.UNIT_ERROR} says why (unless {@code report-errors} is off). With
 * {@code style: laurel-0.8}, LAUREL 0.7+'s {@code SYSCALL.PID.systemd_service} instead: every
 * {@code .service} of that path without its suffix ({@code ["user@1000", "emacs"]}).
 */
final class Systemd implements Enricher {
    private static final int MAX_BYTES = 64 * 1024;
    private static final String[] UNIT_SUFFIXES = {".service", ".scope", ".socket", ".mount", ".swap"};

    private final ProcFiles proc;
    private final boolean services;
    private final ErrorField errors;

    /** @param services LAUREL 0.8's {@code SYSCALL.PID.systemd_service} instead of UNIT and USER_UNIT */
    Systemd(ProcFiles proc, boolean services, ErrorField errors) {
        this.proc = proc;
        this.services = services;
        this.errors = errors;
    }

    /** A unit and, under a user manager, the user unit; either may be {@code null}. */
    record Units(String unit, String userUnit) {
    }

    @Override
    public void enrich(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        if (sc == null) {
            return;
        }
        ProcFiles.Read read = proc.read(sc.getLong("pid", -1), "cgroup", MAX_BYTES);
        if (!read.ok()) {
            errors.set(sc, read.problem());
            return;
        }
        if (services) {
            List<Value> names = services(cgroupPath(read.bytes()));
            if (!names.isEmpty()) {
                PidObject.put(sc, "systemd_service", Value.list(names));
            }
            return;
        }
        Units units = units(read.bytes());
        if (units.unit() != null) {
            sc.set("UNIT", Value.text(units.unit()));
        }
        if (units.userUnit() != null) {
            sc.set("USER_UNIT", Value.text(units.userUnit()));
        }
    }

    /** The units of a cgroup file's text. */
    static Units units(byte[] cgroup) {
        String path = cgroupPath(cgroup);
        return path == null ? new Units(null, null) : unitsOfPath(path);
    }

    /**
     * LAUREL 0.8's systemd_service: every segment of the path that names a {@code .service},
     * without that suffix, from the top ({@code user@1000}, {@code emacs}).
     */
    static List<Value> services(String path) {
        List<Value> out = new ArrayList<>();
        if (path != null) {
            for (String segment : path.split("/")) {
                if (segment.endsWith(".service")) {
                    out.add(Value.text(segment.substring(0, segment.length() - ".service".length())));
                }
            }
        }
        return out;
    }

    /** The systemd cgroup path of a cgroup file's text, or {@code null}. */
    static String cgroupPath(byte[] cgroup) {
        String text = new String(cgroup, StandardCharsets.UTF_8);
        String unified = null;
        String named = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("0::")) {
                unified = line.substring(3);
            } else {
                int first = line.indexOf(':');
                if (first >= 0 && line.startsWith("name=systemd:", first + 1)) {
                    named = line.substring(first + 1 + "name=systemd:".length());
                }
            }
        }
        // hybrid hierarchies keep both; the v1 line is the one systemd uses when 0:: is just "/"
        return unified != null && (named == null || !unified.equals("/")) ? unified : named;
    }

    static Units unitsOfPath(String path) {
        String unit = null;
        String userUnit = null;
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.endsWith(".slice")) {
                continue;
            }
            if (!isUnit(segment)) {
                break;      // a cgroup below the unit (delegation) or not systemd's at all
            }
            if (unit == null) {
                unit = segment;
                if (!(segment.startsWith("user@") && segment.endsWith(".service"))) {
                    break;
                }
            } else {
                userUnit = segment;
                break;
            }
        }
        return new Units(unit, userUnit);
    }

    private static boolean isUnit(String segment) {
        for (String s : UNIT_SUFFIXES) {
            if (segment.length() > s.length() && segment.endsWith(s)) {
                return true;
            }
        }
        return false;
    }
}
