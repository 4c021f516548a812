package dev.laurel.engine.migrate;

import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table of a LAUREL config, read with LAUREL's types: each getter returns {@code null} when
 * the key is absent and records a problem (with the key's line) when the value has a type LAUREL
 * would refuse. Remembers which keys were read, so that the rest can be reported as unknown.
 */
final class TomlSection {
    private final TomlTable table;
    private final String prefix;
    private final int line;
    private final List<LaurelConfigException.Problem> problems;
    private final Set<String> read = new HashSet<>();

    TomlSection(TomlTable table, String name, int line, List<LaurelConfigException.Problem> problems) {
        this.table = table;
        this.prefix = name.isEmpty() ? "" : name + ".";
        this.line = line;
        this.problems = problems;
    }

    /** Where the table starts (its header, or its first key), 1-based; 1 for the top level. */
    int line() {
        return line;
    }

    /** The dotted name LAUREL's docs use: {@code auditlog.size}. */
    String option(String key) {
        return prefix + key;
    }

    boolean has(String key) {
        return table.contains(List.of(key));
    }

    /** The key's line, 1-based; the table's own line if it is absent. */
    int line(String key) {
        TomlPosition p = table.inputPositionOf(List.of(key));
        return p == null ? line : p.line();
    }

    private int column(String key) {
        TomlPosition p = table.inputPositionOf(List.of(key));
        return p == null ? 0 : p.column();
    }

    private Object value(String key) {
        read.add(key);
        return table.get(List.of(key));
    }

    /** Marks a key as handled without reading its value (it is reported as having no equivalent). */
    void skip(String key) {
        read.add(key);
    }

    void problem(String key, String message) {
        problems.add(new LaurelConfigException.Problem(line(key), column(key), option(key) + ": " + message));
    }

    Boolean bool(String key) {
        Object v = value(key);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        problem(key, "expected true or false, found " + describe(v));
        return null;
    }

    /** A non-negative integer (LAUREL's u64 and usize). */
    Long count(String key) {
        Object v = value(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Long n && n >= 0) {
            return n;
        }
        problem(key, "expected a non-negative integer, found " + describe(v));
        return null;
    }

    String string(String key) {
        Object v = value(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        problem(key, "expected a string, found " + describe(v));
        return null;
    }

    /** An array of strings, in file order, without repeats (LAUREL keeps most of these as sets). */
    List<String> strings(String key) {
        Object v = value(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof TomlArray array)) {
            problem(key, "expected an array of strings such as [\"a\", \"b\"], found " + describe(v));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Object item = array.get(i);
            if (!(item instanceof String s)) {
                problem(key, "expected an array of strings, item " + (i + 1) + " is " + describe(item));
                return null;
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** A table of strings ({@code label-exe.'REGEX' = 'LABEL'}), in file order. */
    Map<String, String> stringMap(String key) {
        Object v = value(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof TomlTable t)) {
            problem(key, "expected a table of strings such as " + key + ".'REGEX' = \"LABEL\", found " + describe(v));
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : orderedKeys(t)) {
            Object item = t.get(List.of(k));
            if (!(item instanceof String s)) {
                TomlPosition p = t.inputPositionOf(List.of(k));
                problems.add(new LaurelConfigException.Problem(p == null ? line(key) : p.line(),
                        p == null ? 0 : p.column(), option(key) + "." + k + ": expected a string, found " + describe(item)));
                continue;
            }
            out.put(k, s);
        }
        return out;
    }

    /** A sub-table, or {@code null} if absent (a problem if it is not a table). */
    TomlSection section(String key) {
        Object v = value(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof TomlTable t)) {
            problem(key, "expected a table ([" + option(key) + "]), found " + describe(v));
            return null;
        }
        return new TomlSection(t, option(key).replaceAll("\\.$", ""), line(key), problems);
    }

    /** The keys nobody read, in file order, with their lines. */
    List<String> unread() {
        List<String> out = new ArrayList<>();
        for (String k : orderedKeys(table)) {
            if (!read.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** The keys in the order they appear in the file (tomlj's key sets are unordered). */
    private static List<String> orderedKeys(TomlTable t) {
        List<String> keys = new ArrayList<>(t.keySet());
        keys.sort((a, b) -> {
            TomlPosition pa = t.inputPositionOf(List.of(a));
            TomlPosition pb = t.inputPositionOf(List.of(b));
            int la = pa == null ? 0 : pa.line();
            int lb = pb == null ? 0 : pb.line();
            if (la != lb) {
                return Integer.compare(la, lb);
            }
            return Integer.compare(pa == null ? 0 : pa.column(), pb == null ? 0 : pb.column());
        });
        return keys;
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "the string \"" + s + "\"";
        }
        if (v instanceof TomlArray) {
            return "an array";
        }
        if (v instanceof TomlTable) {
            return "a table";
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v instanceof Long || v instanceof Double) {
            return "the number " + v;
        }
        return "a " + v.getClass().getSimpleName();
    }
}
