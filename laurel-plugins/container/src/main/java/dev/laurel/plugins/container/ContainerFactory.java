package dev.laurel.plugins.container;

import dev.laurel.plugins.proc.ErrorField;
import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.List;

/** Creates {@link Container} enrichers. */
public final class ContainerFactory implements EnricherFactory {

    static final ErrorField.Declaration ERRORS = ErrorField.declare("CONTAINER_INFO_ERROR",
            "/proc/PID/cgroup cannot be read (e.g. the process is gone)");

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
        return List.of(ERRORS.setting());
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        return new Container(ProcFiles.of(context), ERRORS.of(config));
    }
}
