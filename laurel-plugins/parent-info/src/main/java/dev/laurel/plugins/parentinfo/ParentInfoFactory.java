package dev.laurel.plugins.parentinfo;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Creates {@link ParentInfo} enrichers. */
public final class ParentInfoFactory implements EnricherFactory {

    static final Setting<String> STYLE = Setting.choice("style",
                    "parent-info: a top-level PARENT_INFO object; laurel: LAUREL 0.5.1's SYSCALL.PPID, "
                            + "SYSCALL.PID, SYSCALL.SPAWNED_BY and OBJ_PID.OPID; both: both; laurel-0.8: LAUREL 0.8's "
                            + "SYSCALL.PID, SYSCALL.PPID, SYSCALL.SPAWNED_BY and *PID of other records",
                    "parent-info", "laurel", "both", "laurel-0.8")
            .withDefault("parent-info");

    static final Setting<Boolean> SPAWNED_BY = Setting.bool("spawned-by",
                    "with style laurel, both or laurel-0.8: also SYSCALL.SPAWNED_BY, the image that spawned the process "
                            + "(its parent, or its own image before exec if that made audited calls); "
                            + "false gives LAUREL 0.5.1's fields only")
            .withDefault(true);

    static final Setting<Boolean> PPID_VERBOSE = Setting.bool("ppid-verbose",
                    "with style laurel-0.8: SYSCALL.PPID also has the parent's comm, exe and ppid (LAUREL 0.8's "
                            + "ppid-verbose); false gives its EVENT_ID or START_TIME only")
            .withDefault(false);

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
        return List.of(STYLE, SPAWNED_BY, PPID_VERBOSE);
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        String style = config.get(STYLE);
        if (style.equals("laurel-0.8")) {
            return new Laurel08ProcessFields(context.processes(), config.get(PPID_VERBOSE), config.get(SPAWNED_BY),
                    bootTime(context.procRoot().orElse(null)));
        }
        if (config.isSet(PPID_VERBOSE)) {
            throw new ConfigException(PPID_VERBOSE.name(), "is only used with style: laurel-0.8 (style laurel's "
                    + "SYSCALL.PPID always has comm, exe and ppid); remove it or set style: laurel-0.8");
        }
        boolean laurel = !style.equals("parent-info");
        return new ParentInfo(context.processes(), !style.equals("laurel"), laurel, laurel && config.get(SPAWNED_BY));
    }

    /** The kernel's boot time in unix seconds ({@code btime} of {@code <proc-root>/stat}), or -1. */
    static long bootTime(Path procRoot) {
        if (procRoot == null) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(procRoot.resolve("stat"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no START_TIME then: processes known only from /proc are named by nothing
        }
        return -1;
    }
}
