package dev.laurel.plugins.script;

import dev.laurel.plugins.proc.ErrorField;
import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.internal.NameList;

import java.util.ArrayList;
import java.util.List;

/** Creates {@link Script} enrichers. */
public final class ScriptFactory implements EnricherFactory {

    static final Setting<List<String>> INTERPRETERS = Setting.stringList("interpreters",
                    "Executable names (an entry ending in * is a prefix) whose first non-option argument "
                            + "is the script when an interpreter is started by name; [] turns this off")
            .withDefault(List.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "csh", "tcsh",
                    "python*", "perl*", "ruby*", "php*", "node", "nodejs", "lua*", "tclsh*", "Rscript", "pwsh"));

    static final ErrorField.Declaration ERRORS = ErrorField.declare("SYSCALL.SCRIPT_ERROR",
            "the executable cannot be looked up (e.g. the process is gone)");

    @Override
    public String type() {
        return "script";
    }

    @Override
    public String description() {
        return "Adds SYSCALL.SCRIPT, the script file an interpreter was started for, at execve";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(INTERPRETERS, ERRORS.setting());
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        ProcFiles proc = ProcFiles.of(context, problems);
        NameList interpreters = NameList.read(INTERPRETERS, config.get(INTERPRETERS), "/",
                "give an executable's file name without '/'", problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Script(proc, interpreters.names(), interpreters.prefixes(), ERRORS.of(config));
    }
}
