package dev.laurel.api.internal;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Setting;

import java.util.ArrayList;
import java.util.List;

/**
 * A list option of names where an entry ending in {@code *} is a prefix, e.g. execve-env's
 * {@code variables: [LD_PRELOAD, LC_*]} or script's {@code interpreters: [bash, python3*]}.
 *
 * <pre>{@code
 * NameList vars = NameList.read(VARIABLES, config.get(VARIABLES), "=\0", "give a variable name (no '=' or NUL)", problems);
 * vars.names();      // [LD_PRELOAD]
 * vars.prefixes();   // [LC_]
 * }</pre>
 *
 * @param names    the whole names, in config order
 * @param prefixes the prefixes, without their {@code *}, in config order
 */
public record NameList(List<String> names, List<String> prefixes) {
    public NameList {
        names = List.copyOf(names);
        prefixes = List.copyOf(prefixes);
    }

    /**
     * Splits {@code entries} into names and prefixes. An entry that is empty (but for its
     * {@code *}), has another {@code *} or one of the {@code forbidden} characters is added to
     * {@code problems} as {@code has an invalid entry "X": WHAT, optionally ending in * for a prefix}.
     */
    public static NameList read(Setting<List<String>> setting, List<String> entries, String forbidden, String what,
                                List<ConfigException.Problem> problems) {
        List<String> names = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String entry : entries) {
            boolean prefix = entry.endsWith("*");
            String name = prefix ? entry.substring(0, entry.length() - 1) : entry;
            if (name.isEmpty() || name.indexOf('*') >= 0 || name.chars().anyMatch(c -> forbidden.indexOf(c) >= 0)) {
                problems.add(new ConfigException.Problem(setting.name(), "has an invalid entry \"" + entry + "\": "
                        + what + ", optionally ending in * for a prefix"));
            } else {
                (prefix ? prefixes : names).add(name);
            }
        }
        return new NameList(names, prefixes);
    }
}
