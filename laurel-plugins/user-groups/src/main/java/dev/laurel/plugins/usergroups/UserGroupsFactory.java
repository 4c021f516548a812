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

    static final Setting<String> STYLE = Setting.choice("style",
                    "groups: SYSCALL.GROUPS, the process's supplementary groups from /proc/PID/status; laurel-0.8: "
                            + "SYSCALL.UID_GROUPS, the names of the groups passwd-file and group-file give the uid, as "
                            + "LAUREL 0.8 writes them",
                    "groups", "laurel-0.8")
            .withDefault("groups");
    static final Setting<String> PASSWD_FILE = Setting.string("passwd-file",
                    "With style laurel-0.8: the user database, in /etc/passwd format (read once at start)")
            .withDefault("/etc/passwd");
    static final Setting<Boolean> NAMES = Setting.bool("names",
                    "Also add SYSCALL.GROUP_NAMES, the names from group-file (read once at start)")
            .withDefault(false);
    static final Setting<String> GROUP_FILE = Setting.string("group-file",
                    "The group database for names (and for style laurel-0.8), in /etc/group format")
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
        return List.of(STYLE, NAMES, GROUP_FILE, PASSWD_FILE, MAX_GROUPS, ERRORS.setting());
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        if (config.get(STYLE).equals("laurel-0.8")) {
            return uidGroups(config, problems);
        }
        if (config.isSet(PASSWD_FILE)) {
            problems.add(new ConfigException.Problem(PASSWD_FILE.name(), "is only used with style: laurel-0.8"));
        }
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
            problems.add(new ConfigException.Problem(GROUP_FILE.name(), "is only used with names: true or style: laurel-0.8"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new UserGroups(proc, names, config.get(MAX_GROUPS).intValue(),
                ERRORS.of(config));
    }

    private static Enricher uidGroups(PluginConfig config, List<ConfigException.Problem> problems)
            throws ConfigException {
        List<String> passwd = lines(config, PASSWD_FILE, problems);
        List<String> group = lines(config, GROUP_FILE, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new UidGroups(passwd, group);
    }

    private static List<String> lines(PluginConfig config, Setting<String> file, List<ConfigException.Problem> problems) {
        try {
            return Files.readAllLines(Path.of(config.get(file)), StandardCharsets.UTF_8);
        } catch (IOException | InvalidPathException e) {
            problems.add(new ConfigException.Problem(file.name(), "cannot be read: " + e.getMessage()
                    + " (give the database in /etc/" + (file == PASSWD_FILE ? "passwd" : "group") + " format)"));
            return List.of();
        }
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
