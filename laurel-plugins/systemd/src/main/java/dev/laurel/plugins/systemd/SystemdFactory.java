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

    static final Setting<String> STYLE = Setting.choice("style",
                    "units: SYSCALL.UNIT and SYSCALL.USER_UNIT, as journald names them; laurel-0.8: "
                            + "SYSCALL.PID.systemd_service, the list of .service units in the cgroup path without "
                            + "the suffix, as LAUREL 0.7+ writes it",
                    "units", "laurel-0.8")
            .withDefault("units");

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
        return List.of(STYLE, ERRORS.setting());
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        return new Systemd(ProcFiles.of(context), config.get(STYLE).equals("laurel-0.8"), ERRORS.of(config));
    }
}
