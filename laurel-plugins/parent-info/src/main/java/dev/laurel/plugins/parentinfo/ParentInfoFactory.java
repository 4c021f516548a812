package dev.laurel.plugins.parentinfo;

import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.List;

/** Creates {@link ParentInfo} enrichers. */
public final class ParentInfoFactory implements EnricherFactory {

    static final Setting<String> STYLE = Setting.choice("style",
                    "parent-info: a top-level PARENT_INFO object; laurel: LAUREL's SYSCALL.PPID, "
                            + "SYSCALL.PID, SYSCALL.SPAWNED_BY and OBJ_PID.OPID; both: both",
                    "parent-info", "laurel", "both")
            .withDefault("parent-info");

    static final Setting<Boolean> SPAWNED_BY = Setting.bool("spawned-by",
                    "with style laurel or both: also SYSCALL.SPAWNED_BY, the image that spawned the process "
                            + "(its parent, or its own image before exec if that made audited calls); "
                            + "false gives LAUREL 0.5.1's fields only")
            .withDefault(true);

    @Override
    public String type() {
        return "parent-info";
    }

    @Override
    public String description() {
        return "Adds the parent process (its last exec's event id, comm, exe, ppid) to every event";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(STYLE, SPAWNED_BY);
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) {
        String style = config.get(STYLE);
        boolean laurel = !style.equals("parent-info");
        return new ParentInfo(context.processes(), !style.equals("laurel"), laurel, laurel && config.get(SPAWNED_BY));
    }
}
