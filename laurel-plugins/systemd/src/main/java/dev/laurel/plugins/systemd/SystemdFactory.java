package dev.laurel.plugins.systemd;

import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.ArrayList;
import java.util.List;

/** Creates {@link Systemd} enrichers. */
public final class SystemdFactory implements EnricherFactory {

    static final Setting<String> PROC_ROOT = Setting.string("proc-root",
                    "Where the proc file system is mounted, e.g. /host/proc when laurel runs in a container")
            .withDefault("/proc");
    static final Setting<Boolean> REPORT_ERRORS = Setting.bool("report-errors",
                    "Add UNIT_ERROR when /proc/PID/cgroup cannot be read (e.g. the process is gone)")
            .withDefault(true);

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
        return List.of(PROC_ROOT, REPORT_ERRORS);
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        ProcFiles proc = ProcFiles.of(config, PROC_ROOT, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Systemd(proc, config.get(REPORT_ERRORS));
    }
}
