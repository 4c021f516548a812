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

    static final Setting<String> STYLE = Setting.choice("style",
                    "laurel: a top-level CONTAINER_INFO {ID} (LAUREL 0.5.1, and 0.7+ with container_info); "
                            + "laurel-0.8: SYSCALL.PID.container {id} (LAUREL 0.7+ with container = true)",
                    "laurel", "laurel-0.8")
            .withDefault("laurel");

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
        return List.of(STYLE, ERRORS.setting());
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        return new Container(ProcFiles.of(context), config.get(STYLE).equals("laurel-0.8"), ERRORS.of(config));
    }
}
