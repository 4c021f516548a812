package dev.laurel.plugins.usergroups;

import dev.laurel.plugins.proc.ErrorField;
import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Creates {@link UserGroups} enrichers. */
public final class UserGroupsFactory implements EnricherFactory {

    static final Setting<Boolean> NAMES = Setting.bool("names",
                    "Also add SYSCALL.GROUP_NAMES, the names from group-file (read once at start)")
            .withDefault(false);
    static final Setting<String> GROUP_FILE = Setting.string("group-file",
                    "The group database for names, in /etc/group format")
            .withDefault("/etc/group");
    static final Setting<Long> MAX_GROUPS = Setting.integer("max-groups",
                    "How many groups to list at most; more are cut and GROUPS_ERROR says so")
            .withDefault(256L)
            .check(n -> n > 0 && n <= 65536, "must be between 1 and 65536");
    static final ErrorField.Declaration ERRORS = ErrorField.declare("GROUPS_ERROR",
            "/proc/PID/status cannot be read (e.g. the process is gone)");

    @Override
    public String type() {
        return "user-groups";
    }

    @Override
    public String description() {
        return "Adds SYSCALL.GROUPS, the supplementary groups of the process, from /proc/PID/status";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(NAMES, GROUP_FILE, MAX_GROUPS, ERRORS.setting());
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        ProcFiles proc = ProcFiles.of(context, problems);
        Map<Long, String> names = null;
        if (config.get(NAMES)) {
            try {
                names = groupNames(Files.readAllLines(Path.of(config.get(GROUP_FILE)), StandardCharsets.UTF_8));
            } catch (IOException | InvalidPathException e) {
                problems.add(new ConfigException.Problem(GROUP_FILE.name(), "cannot be read: " + e.getMessage()
                        + " (give the group database, or set names: false)"));
            }
        } else if (config.isSet(GROUP_FILE)) {
            problems.add(new ConfigException.Problem(GROUP_FILE.name(), "is only used with names: true"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new UserGroups(proc, names, config.get(MAX_GROUPS).intValue(),
                ERRORS.of(config));
    }

    /** gid to name from /etc/group lines ({@code name:password:gid:members}); the first name of a gid wins. */
    static Map<Long, String> groupNames(List<String> lines) {
        Map<Long, String> names = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && !f[0].isEmpty() && !line.startsWith("#")) {
                try {
                    names.putIfAbsent(Long.parseLong(f[2]), f[0]);
                } catch (NumberFormatException e) {
                    // a malformed entry names nothing
                }
            }
        }
        return Map.copyOf(names);
    }
}
