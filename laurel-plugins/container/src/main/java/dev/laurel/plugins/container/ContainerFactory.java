package dev.laurel.plugins.container;

import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.ArrayList;
import java.util.List;

/** Creates {@link Container} enrichers. */
public final class ContainerFactory implements EnricherFactory {

    static final Setting<String> PROC_ROOT = Setting.string("proc-root",
                    "Where the proc file system is mounted, e.g. /host/proc when laurel runs in a container")
            .withDefault("/proc");
    static final Setting<Boolean> REPORT_ERRORS = Setting.bool("report-errors",
                    "Add CONTAINER_INFO_ERROR when /proc/PID/cgroup cannot be read (e.g. the process is gone)")
            .withDefault(true);

    @Override
    public String type() {
        return "container";
    }

    @Override
    public String description() {
        return "Adds CONTAINER_INFO {ID} for processes in a docker, podman, containerd, cri-o or kubernetes container";
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
        return new Container(proc, config.get(REPORT_ERRORS));
    }
}
