package dev.laurel.engine.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a LAUREL 0.5.1 config (TOML, read by {@link LaurelToml}) into the equivalent laurel YAML:
 * the same output files, translations, enrichments, labels and filters, with LAUREL's defaults
 * for whatever the file leaves out (so an empty LAUREL config gives LAUREL's default output).
 * What laurel cannot do the same way is listed in {@link #notes()} and as comments in the YAML.
 *
 * <pre>{@code
 * ConfigMigration m = ConfigMigration.of(LaurelToml.parse(toml), "/etc/laurel/config.toml");
 * System.out.print(m.yaml());
 * m.notes().forEach(System.err::println);
 * }</pre>
 */
public final class ConfigMigration {
    /** LAUREL's defaults (its man page): 10 MiB files, 5 generations. */
    private static final long DEFAULT_SIZE = 10L * 1024 * 1024;
    private static final long DEFAULT_GENERATIONS = 5;
    private static final List<Object> DEFAULT_EXECVE_ENV = List.of("LD_PRELOAD", "LD_LIBRARY_PATH");

    private final String yaml;
    private final List<String> notes;

    private ConfigMigration(String yaml, List<String> notes) {
        this.yaml = yaml;
        this.notes = List.copyOf(notes);
    }

    /** The YAML config, ready to be written to a file. */
    public String yaml() {
        return yaml;
    }

    /** What has no equivalent, or works differently, one sentence each. */
    public List<String> notes() {
        return notes;
    }

    /** Migrates {@code toml}, read from {@code source} (named in the YAML's header). */
    public static ConfigMigration of(Map<String, Object> toml, String source) {
        return new Builder(toml).build(source);
    }

    private static final class Builder {
        final Map<String, Object> toml;
        final List<String> notes = new ArrayList<>();
        final StringBuilder body = new StringBuilder();
        /** Dotted names of the values (and whole tables) migrated or noted, so the rest can be reported. */
        final Set<String> read = new LinkedHashSet<>();

        Builder(Map<String, Object> toml) {
            this.toml = toml;
        }

        ConfigMigration build(String source) {
            String directory = string("", "directory", ".");
            String user = string("", "user", null);
            Long statusPeriod = number("", "statusreport-period", null);
            String input = string("", "input", null);

            if (input != null) {
                body.append("input: ").append(quote(input.equals("stdin") ? "-" : input)).append('\n');
            }
            if (user != null) {
                body.append("user: ").append(quote(user)).append('\n');
            }
            Map<String, Object> state = table("state");
            if (state != null) {
                String file = string("state", "file", "state");
                body.append("state: ").append(quote(parent(resolve(directory, file)))).append('\n');
                Long maxAge = number("state", "max-age", null);
                if (maxAge != null) {
                    body.append("limits:\n  state-max-age: ").append(maxAge).append("s\n");
                }
                note("state.file: laurel keeps its state in a directory (state: above), in a file of its own name");
                skip("state", "generations", "laurel keeps one state file");
            }
            StringBuilder diagnostics = new StringBuilder();
            if (statusPeriod != null && statusPeriod > 0) {
                diagnostics.append("  status-report-period: ").append(statusPeriod).append("s\n");
            }
            Map<String, Object> debug = table("debug");
            if (debug != null) {
                skip("debug", "dump-state-period", "laurel writes its state on SIGHUP and every limits.state-interval"
                        + " instead");
                if (debug.get("log") instanceof Map<?, ?>) {
                    read.add("debug.log");
                    note("debug.log: laurel's own messages go to syslog or stderr (diagnostics.log), not to a file"
                            + " of its own");
                }
                if (debug.get("parse-error-log") instanceof Map<?, ?>) {
                    read.add("debug.parse-error-log");
                    String file = string("debug.parse-error-log", "file", "parse-error.log");
                    diagnostics.append("  parse-error-log: ").append(quote(resolve(directory, file))).append('\n');
                    if (number("debug.parse-error-log", "size", null) != null
                            || number("debug.parse-error-log", "generations", null) != null) {
                        note("debug.parse-error-log: laurel does not rotate the parse-error log (size, generations);"
                                + " rotate it with logrotate");
                    }
                }
            }
            if (diagnostics.length() > 0) {
                body.append("diagnostics:\n").append(diagnostics);
            }

            body.append("\nenrichers:\n");
            body.append("  # LAUREL always decodes auditd's hex-encoded strings.\n");
            body.append("  - type: hex-decoder\n");
            translate();
            transform();
            enrich();
            labels();
            filter();

            body.append("\nsinks:\n");
            logFile("auditlog", directory, "audit.log", null);
            if (table("filterlog") != null) {
                logFile("filterlog", directory, "filtered.log", "filtered");
            }
            unknownKeys();

            StringBuilder out = new StringBuilder();
            out.append("# laurel configuration migrated from LAUREL's ").append(source)
                    .append(" by laurel migrate-config.\n");
            out.append("# Check it with: laurel --config THIS_FILE --dry-run\n");
            if (!notes.isEmpty()) {
                out.append("#\n# Not carried over, or different in laurel:\n");
                for (String n : notes) {
                    out.append("#   - ").append(n).append('\n');
                }
            }
            out.append('\n').append(body);
            return new ConfigMigration(out.toString(), notes);
        }

        private void translate() {
            boolean universal = bool("translate", "universal", false);
            Boolean userDb = bool("translate", "user-db", null);
            if (userDb == null) {
                userDb = bool("translate", "userdb", false);   // the man page's spelling
            }
            boolean dropRaw = bool("translate", "drop-raw", false);
            if (universal || userDb) {
                body.append("  - type: translate\n");
                body.append("    universal: ").append(universal).append('\n');
                body.append("    user-db: ").append(userDb).append('\n');
                body.append("    sockaddr: object          # LAUREL's SADDR is an object\n");
                if (dropRaw) {
                    body.append("    drop-raw: true\n");
                }
            }
        }

        private void transform() {
            List<Object> argv = list("transform", "execve-argv", List.of("array"));
            Long limit = number("transform", "execve-argv-limit-bytes", null);
            if (!argv.equals(List.of("array")) || limit != null) {
                body.append("  - type: execve-transform\n");
                body.append("    execve-argv: ").append(flowList(argv)).append('\n');
                if (limit != null) {
                    body.append("    execve-argv-limit-bytes: ").append(limit).append('\n');
                }
            }
        }

        private void enrich() {
            List<Object> env = list("enrich", "execve-env", DEFAULT_EXECVE_ENV);
            if (!env.isEmpty()) {
                body.append("  - type: execve-env\n");
                body.append("    variables: ").append(flowList(env)).append('\n');
            }
            if (bool("enrich", "container", true)) {
                body.append("  - type: container\n");
            }
            if (bool("enrich", "systemd", false)) {
                body.append("  - type: systemd\n");
            }
            if (bool("enrich", "user-groups", false)) {
                body.append("  - type: user-groups\n");
            }
            if (bool("enrich", "script", true)) {
                body.append("  - type: script\n");
            }
            boolean pid = bool("enrich", "pid", true);
            boolean parentInfo = bool("enrich", "parent-info", false) || bool("enrich", "parent_info", false);
            if (pid || parentInfo) {
                String style = pid && parentInfo ? "both" : pid ? "laurel" : "parent-info";
                body.append("  - type: parent-info\n");
                body.append("    style: ").append(style).append(pid ? "             # LAUREL's SYSCALL.PPID, SYSCALL.PID,"
                        + " OBJ_PID.OPID\n" : "\n");
            }
            skip("enrich", "prefix", "laurel writes its enrichments under fixed names");
        }

        private void labels() {
            if (table("label-process") == null) {
                return;
            }
            StringBuilder options = new StringBuilder();
            for (String key : List.of("label-keys", "propagate-labels")) {
                List<Object> values = list("label-process", key, List.of());
                if (!values.isEmpty()) {
                    options.append("    ").append(key).append(": ").append(flowList(values)).append('\n');
                }
            }
            for (String key : List.of("label-exe", "unlabel-exe", "label-script", "unlabel-script", "label-argv",
                    "unlabel-argv")) {
                Map<String, Object> map = map("label-process", key);
                if (!map.isEmpty()) {
                    options.append("    ").append(key).append(":\n");
                    map.forEach((regex, label) -> options.append("      ").append(quote(regex)).append(": ")
                            .append(quote(String.valueOf(label))).append('\n'));
                }
            }
            for (String key : List.of("label-argv-count", "label-argv-bytes")) {
                Long n = number("label-process", key, null);
                if (n != null) {
                    options.append("    ").append(key).append(": ").append(n).append('\n');
                }
            }
            if (options.length() > 0) {
                body.append("  - type: key-labeler\n").append(options);
            }
        }

        private void filter() {
            if (table("filter") == null) {
                return;
            }
            StringBuilder options = new StringBuilder();
            String[][] lists = {{"filter-keys", "keys"}, {"filter-labels", "labels"}, {"filter-sockaddr", "sockaddr"},
                {"filter-raw-lines", "raw-lines"}};
            for (String[] pair : lists) {
                List<Object> values = list("filter", pair[0], List.of());
                if (!values.isEmpty()) {
                    options.append("    ").append(pair[1]).append(": ").append(flowList(values)).append('\n');
                }
            }
            if (bool("filter", "filter-null-keys", false)) {
                options.append("    no-key: true\n");
            }
            Boolean keepFirst = bool("filter", "keep-first-per-process", null);
            if (keepFirst != null) {
                options.append("    keep-first-per-process: ").append(keepFirst).append('\n');
            }
            String action = string("filter", "filter-action", null);
            if (action != null && !action.equals("drop") && !action.equals("log")) {
                note("filter.filter-action \"" + action + "\" is unknown; filtered events are dropped");
            }
            if (options.length() > 0) {
                body.append("  - type: filter\n").append(options);
            }
        }

        private void logFile(String section, String directory, String defaultFile, String events) {
            String file = string(section, "file", defaultFile);
            long size = number(section, "size", DEFAULT_SIZE);
            long generations = number(section, "generations", DEFAULT_GENERATIONS);
            String prefix = string(section, "line-prefix", null);
            List<Object> readUsers = list(section, "read-users", List.of());
            body.append("  - type: json-file\n");
            if (events != null) {
                body.append("    id: ").append(section).append('\n');
            }
            if (file.equals("-")) {
                body.append("    file: \"-\"\n");
            } else {
                body.append("    file: ").append(quote(resolve(directory, file))).append('\n');
                body.append("    size: ").append(size).append('\n');
                body.append("    generations: ").append(generations).append('\n');
            }
            if (prefix != null) {
                body.append("    line-prefix: ").append(quote(prefix)).append('\n');
            }
            if (events != null) {
                body.append("    events: ").append(events).append('\n');
            }
            if (!readUsers.isEmpty()) {
                note(section + ".read-users " + readUsers + ": laurel does not set POSIX ACLs; json-file's group"
                        + " option makes its files readable by one group (mode 0640)");
            }
        }

        private void unknownKeys() {
            collectUnknown("", toml);
        }

        private void collectUnknown(String prefix, Map<String, Object> table) {
            for (Map.Entry<String, Object> e : table.entrySet()) {
                String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                if (read.contains(name)) {
                    continue;
                }
                if (e.getValue() instanceof Map<?, ?> sub) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> subTable = (Map<String, Object>) sub;
                    collectUnknown(name, subTable);
                } else {
                    note(name + ": not a LAUREL 0.5.1 setting laurel knows; ignored");
                }
            }
        }

        // --- reading values, remembering what was read ---

        private Map<String, Object> table(String section) {
            Object t = section.isEmpty() ? toml : lookup(section);
            if (t instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) map;
                return m;
            }
            return null;
        }

        private Object lookup(String dotted) {
            Object current = toml;
            for (String part : dotted.split("\\.")) {
                if (!(current instanceof Map<?, ?> map)) {
                    return null;
                }
                current = map.get(part);
            }
            return current;
        }

        private Object value(String section, String key) {
            String name = section.isEmpty() ? key : section + "." + key;
            Object table = section.isEmpty() ? toml : lookup(section);
            if (!(table instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return null;
            }
            read.add(name);
            return map.get(key);
        }

        private String string(String section, String key, String fallback) {
            Object v = value(section, key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof String s) {
                return s;
            }
            note(name(section, key) + " should be a string, not " + v + "; LAUREL's default is used");
            return fallback;
        }

        private Long number(String section, String key, Long fallback) {
            Object v = value(section, key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof Long n) {
                return n;
            }
            note(name(section, key) + " should be a number, not " + v + "; LAUREL's default is used");
            return fallback;
        }

        private Boolean bool(String section, String key, Boolean fallback) {
            Object v = value(section, key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            note(name(section, key) + " should be true or false, not " + v + "; LAUREL's default is used");
            return fallback;
        }

        private List<Object> list(String section, String key, List<Object> fallback) {
            Object v = value(section, key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof List<?> l) {
                return new ArrayList<>(l);
            }
            if (v instanceof String s) {
                return List.of(s);
            }
            note(name(section, key) + " should be a list, not " + v + "; LAUREL's default is used");
            return fallback;
        }

        private Map<String, Object> map(String section, String key) {
            Object v = value(section, key);
            if (v instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, val) -> out.put(String.valueOf(k), val));
                return out;
            }
            if (v != null) {
                note(name(section, key) + " should be a table of regular expression = label; ignored");
            }
            return Map.of();
        }

        private void skip(String section, String key, String why) {
            Object v = value(section, key);
            if (v != null) {
                note(name(section, key) + ": no equivalent; " + why);
            }
        }

        private void note(String note) {
            notes.add(note);
        }

        private static String name(String section, String key) {
            return section.isEmpty() ? key : section + "." + key;
        }
    }

    /** LAUREL writes relative file names under {@code directory}. */
    private static String resolve(String directory, String file) {
        if (file.startsWith("/") || directory.equals(".") || directory.isEmpty()) {
            return file;
        }
        return directory.endsWith("/") ? directory + file : directory + "/" + file;
    }

    private static String parent(String file) {
        int slash = file.lastIndexOf('/');
        return slash <= 0 ? (slash == 0 ? "/" : ".") : file.substring(0, slash);
    }

    private static String flowList(List<Object> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(String.valueOf(values.get(i))));
        }
        return sb.append(']').toString();
    }

    /** A YAML scalar that reads back as exactly {@code s}: single-quoted, or double-quoted for control characters. */
    static String quote(String s) {
        boolean control = false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
                control = true;
                break;
            }
        }
        if (!control) {
            return "'" + s.replace("'", "''") + "'";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
