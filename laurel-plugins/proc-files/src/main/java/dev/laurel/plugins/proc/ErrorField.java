package dev.laurel.plugins.proc;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.Record;
import dev.laurel.api.Setting;
import dev.laurel.api.Value;

/**
 * The {@code report-errors} option of the plugins that read /proc, and the {@code *_ERROR} field
 * it controls: when a plugin cannot find out what it adds (the process is gone, a file is
 * unreadable), it writes the reason into its error field, unless the config says
 * {@code report-errors: false} (as {@code laurel migrate-config} writes for LAUREL 0.5.1's
 * configs, which had no such fields).
 *
 * <pre>{@code
 * static final ErrorField.Declaration ERRORS = ErrorField.declare("UNIT_ERROR",
 *         "/proc/PID/cgroup cannot be read (e.g. the process is gone)");
 * ...settings() { return List.of(..., ERRORS.setting()); }
 * ...create(...) { return new Systemd(proc, ERRORS.of(config)); }
 * errors.set(syscall, read.problem());      // in enrich
 * }</pre>
 */
public final class ErrorField {
    /** The option's name in every plugin that has it. */
    public static final String OPTION = "report-errors";

    /** A plugin's error field and its {@code report-errors} setting. */
    public record Declaration(String field, Setting<Boolean> setting) {
        /** The field as {@code config} asks for it. */
        public ErrorField of(PluginConfig config) {
            return new ErrorField(field, config.get(setting));
        }
    }

    private final String field;
    private final boolean report;

    /** {@code field} written when {@code report} is true; for tests that build a plugin directly. */
    public ErrorField(String field, boolean report) {
        this.field = field;
        this.report = report;
    }

    /** The error field {@code field}, written "when {@code when}" (for the option's description). */
    public static Declaration declare(String field, String when) {
        return new Declaration(field, Setting.bool(OPTION, "Add " + field + " when " + when).withDefault(true));
    }

    /** Sets the field on {@code record} to {@code problem}, if errors are reported. */
    public void set(Record record, String problem) {
        if (report) {
            record.set(field.substring(field.indexOf('.') + 1), Value.text(problem));
        }
    }

    /** Adds the field to {@code event} as a record of its own, if errors are reported. */
    public void put(AuditEvent event, String problem) {
        if (report) {
            event.put(field, Value.text(problem));
        }
    }
}
