package dev.laurel.plugins.systemd;

import dev.laurel.plugins.proc.ErrorField;
import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.List;

/** Creates {@link Systemd} enrichers. */
public final class SystemdFactory implements EnricherFactory {

    static final ErrorField.Declaration ERRORS = ErrorField.declare("UNIT_ERROR",
            "/proc/PID/cgroup cannot be read (e.g. the process is gone)");

    @Override
    public String type() {
        return "systemd";
    }

    @Override
    public String description() {
        return "Adds SYSCALL.UNIT (and USER_UNIT), the systemd unit of the process, from its cgroup";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(ERRORS.setting());
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        return new Systemd(ProcFiles.of(context), ERRORS.of(config));
    }
}
